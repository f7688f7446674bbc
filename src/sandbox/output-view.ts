/**
 * The terminal under an example: program output rendered as text (never HTML), with ANSI colours,
 * keeping only the last lines so that a program printing a million lines cannot freeze the page.
 */
import { createAnsiSequenceParser, type ParseToken } from 'ansi-sequence-parser';
import type { OutputStream } from '~/runtime/types';

/** Enough to read a whole run of any example; a flood keeps its tail. */
export const MAX_LINES = 2000;

interface Line {
  text: string;
  stream: OutputStream;
}

export interface OutputViewStrings {
  dropped: (count: number) => string;
  /** Each complete line as it arrives, dropped or not (the timeline reads them). */
  line?: (text: string) => void;
}

export class OutputView {
  private readonly lines: Line[] = [];
  private dropped = 0;
  /** The unfinished last line of each stream, until its newline arrives. */
  private readonly partial = new Map<OutputStream, string>();
  private frame = 0;
  private readonly pre: HTMLElement;
  private readonly notice: HTMLElement;
  private readonly strings: OutputViewStrings;

  constructor(pre: HTMLElement, notice: HTMLElement, strings: OutputViewStrings) {
    this.pre = pre;
    this.notice = notice;
    this.strings = strings;
  }

  clear(): void {
    this.lines.length = 0;
    this.dropped = 0;
    this.partial.clear();
    this.schedule();
  }

  /** Adds output as it arrives; chunks may split lines anywhere. */
  append(text: string, stream: OutputStream): void {
    const pieces = ((this.partial.get(stream) ?? '') + text).split(/\r?\n/);
    this.partial.set(stream, pieces.pop() ?? '');
    for (const piece of pieces) this.push(piece, stream);
    this.schedule();
  }

  /** Ends the run: an unfinished last line is still shown. */
  flush(): void {
    for (const [stream, rest] of this.partial) if (rest) this.push(rest, stream);
    this.partial.clear();
    this.schedule();
  }

  /** The visible text, for the copy button. */
  text(): string {
    return this.visible()
      .map((line) => createAnsiSequenceParser().parse(line.text).map((token) => token.value).join(''))
      .join('\n');
  }

  get droppedLines(): number {
    return this.dropped + Math.max(0, this.lines.length - MAX_LINES);
  }

  /** The kept lines. Trimming happens in batches: one splice per MAX_LINES lines, not one per line. */
  private visible(): Line[] {
    return this.lines.length > MAX_LINES ? this.lines.slice(-MAX_LINES) : this.lines;
  }

  private push(text: string, stream: OutputStream): void {
    this.strings.line?.(text);
    this.lines.push({ text, stream });
    if (this.lines.length > 2 * MAX_LINES) {
      const excess = this.lines.length - MAX_LINES;
      this.lines.splice(0, excess);
      this.dropped += excess;
    }
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
    const fragment = document.createDocumentFragment();
    // Colours are parsed only for the lines shown, and only when they are drawn.
    const parser = createAnsiSequenceParser();
    for (const line of this.visible()) {
      const row = document.createElement('span');
      row.className = `out-line out-${line.stream}`;
      for (const token of parser.parse(line.text)) row.append(tokenNode(token));
      row.append('\n');
      fragment.append(row);
    }
    this.pre.replaceChildren(fragment);
    const dropped = this.droppedLines;
    this.notice.hidden = dropped === 0;
    this.notice.textContent = dropped ? this.strings.dropped(dropped) : '';
    if (stickToBottom) this.pre.scrollTop = this.pre.scrollHeight;
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
