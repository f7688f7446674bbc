/**
 * The terminal under an example: program output rendered as text (never HTML), with ANSI colours.
 * The lines themselves live in an OutputBuffer (the last MAX_LINES, each cut at MAX_LINE_CHARS);
 * this draws them at most once per animation frame, and each frame adds only the rows that are
 * new since the last one (up to FRAME_CHARS characters of them) and removes the rows they push
 * out, so a flood costs each frame a bounded amount of work however fast it arrives.
 *
 * Each frame's rows go into a block of their own (`.out-chunk`): the output is wrapped text, and
 * as one inline block the browser laid all of it out again whenever rows were added (3000 lines
 * of 20,000 characters: 18 s of layout, frames of half a second); blocks that did not change
 * keep their layout. Every row still ends with its "\n", so the text content and what a reader
 * selects and copies are the same as with one block.
 */
import { createAnsiSequenceParser, type ParseToken } from 'ansi-sequence-parser';
import type { OutputStream } from '~/runtime/types';
import { MAX_LINES, OutputBuffer, type OutputLine } from './output-buffer.ts';
import { terminalText } from './terminal-text.ts';

export interface OutputViewStrings {
  dropped: (count: number) => string;
  /** The words after a line that was cut: "… and {count} more characters of this line not shown". */
  cut: (count: number) => string;
  /** Each complete line as it arrives, dropped or not (the timeline and an exercise read them). */
  line?: (text: string, stream: OutputStream) => void;
}

type Parser = ReturnType<typeof createAnsiSequenceParser>;

/**
 * Characters drawn per frame at most: about 800 ordinary lines, or 5 lines cut at MAX_LINE_CHARS.
 * Wrapped text costs the browser about a microsecond a character to lay out on a slow machine,
 * so this keeps a frame of the worst flood (long lines without end) near 50 ms; more lines wait
 * for the next frame.
 */
const FRAME_CHARS = 50_000;

export class OutputView {
  private readonly buffer: OutputBuffer;
  private readonly pre: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly strings: OutputViewStrings;
  private frame = 0;
  /** Lines numbered below this have been drawn (or dropped before they could be). */
  private drawnUpTo = 0;
  /** The rows in `pre`, one per drawn line that is still kept. */
  private rows = 0;
  /** The next frame starts from an empty `pre` (a clear; at first it holds the recorded output). */
  private rebuild = true;
  /** Colours carry over from one line to the next, as in a terminal, so one parser draws them all. */
  private parser: Parser = createAnsiSequenceParser();

  constructor(pre: HTMLElement, notice: HTMLElement, strings: OutputViewStrings) {
    this.pre = pre;
    this.notice = notice;
    this.strings = strings;
    const onLine = strings.line;
    this.buffer = new OutputBuffer(onLine ? { onLine: (line) => onLine(line.text, line.stream) } : {});
  }

  clear(): void {
    this.buffer.clear();
    this.drawnUpTo = 0;
    this.rebuild = true;
    this.schedule();
  }

  /** Adds output as it arrives; chunks may split lines anywhere. */
  append(text: string, stream: OutputStream): void {
    // Until a line is complete nothing on the screen changes: no frame for it.
    if (this.buffer.append(text, stream).length > 0) this.schedule();
  }

  /** Ends the run: an unfinished last line is still shown. */
  flush(): void {
    if (this.buffer.flush().length > 0) this.schedule();
  }

  /** The visible text, for the copy button. */
  text(): string {
    return this.buffer.text(this.strings.cut);
  }

  get droppedLines(): number {
    return this.buffer.droppedLines;
  }

  /** One DOM update per frame however fast output arrives. */
  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const stickToBottom = this.pre.scrollHeight - this.pre.scrollTop - this.pre.clientHeight < 24;
    if (this.rebuild) {
      this.pre.replaceChildren();
      this.rows = 0;
      this.parser = createAnsiSequenceParser();
      this.rebuild = false;
    }
    const total = this.buffer.total;
    const fresh = this.buffer.since(this.drawnUpTo);
    const firstFresh = total - fresh.length;
    // Lines that came and went between two frames were never drawn: the rows on the screen no
    // longer continue into the new ones, so neither do their colours.
    if (firstFresh > this.drawnUpTo) this.parser = createAnsiSequenceParser();
    let count = 0;
    for (let chars = 0; count < fresh.length && (count === 0 || chars < FRAME_CHARS); count++) chars += fresh[count]!.text.length;

    this.removeOldestRows(this.rows + count - MAX_LINES);
    if (count > 0) {
      const chunk = document.createElement('span');
      chunk.className = 'out-chunk';
      for (let index = 0; index < count; index++) chunk.append(this.row(fresh[index]!));
      this.pre.append(chunk);
    }
    this.rows += count;
    this.drawnUpTo = firstFresh + count;
    if (this.drawnUpTo < total) this.schedule(); // the rest of a large batch, next frame

    const dropped = this.buffer.droppedLines;
    this.notice.hidden = dropped === 0;
    this.notice.textContent = dropped ? this.strings.dropped(dropped) : '';
    if (stickToBottom) this.pre.scrollTop = this.pre.scrollHeight;
  }

  /** Removes the `count` oldest rows: whole blocks at once, then the first rows of the next block. */
  private removeOldestRows(count: number): void {
    if (count <= 0) return;
    if (count >= this.rows) {
      this.pre.replaceChildren();
      this.rows = 0;
      return;
    }
    this.rows -= count;
    for (let chunk = this.pre.firstElementChild; chunk && count > 0; chunk = this.pre.firstElementChild) {
      const rows = chunk.childElementCount;
      if (rows <= count) {
        chunk.remove();
        count -= rows;
      } else {
        const range = document.createRange();
        range.setStart(chunk, 0);
        range.setEnd(chunk, count);
        range.deleteContents();
        count = 0;
      }
    }
  }

  private row(line: OutputLine): HTMLElement {
    const row = document.createElement('span');
    row.className = `out-line out-${line.stream}`;
    // Colours are parsed only for the lines shown, and only when they are drawn.
    for (const token of this.parser.parse(terminalText(line.text))) row.append(tokenNode(token));
    if (line.cut > 0) {
      const note = document.createElement('span');
      note.className = 'out-cut';
      note.textContent = ` ${this.strings.cut(line.cut)}`;
      row.append(note);
    }
    row.append('\n');
    return row;
  }
}

/** A piece of output as a text node, in a span only when it carries colour or a decoration. */
function tokenNode(token: ParseToken): Node {
  const classes: string[] = [];
  if (token.foreground?.type === 'named') classes.push(`ansi-${token.foreground.name}`);
  if (token.background?.type === 'named') classes.push(`ansi-bg-${token.background.name}`);
  for (const decoration of token.decorations) classes.push(`ansi-${decoration}`);
  if (classes.length === 0) return document.createTextNode(token.value);
  const span = document.createElement('span');
  span.className = classes.join(' ');
  span.textContent = token.value;
  return span;
}
