/**
 * The model behind the terminal under an example, without the DOM: program output arriving in
 * chunks becomes lines, of which the last MAX_LINES are kept, each at most MAX_LINE_CHARS long.
 * Whatever a program prints (a million lines, 100 MB without a newline), the memory it holds and
 * the work of each chunk stay bounded: a chunk costs its own length once, never the length of the
 * line it belongs to, and a dropped line or the cut-off rest of a long one is only counted.
 */
import { LineSplitter } from '../lib/lines.ts';
import type { OutputStream } from '../runtime/types.ts';
import { plainText } from './terminal-text.ts';

/** Enough to read a whole run of any example; a flood keeps its tail. */
export const MAX_LINES = 2000;
/** Far longer than any line a reader reads, short enough that drawing 2000 of them stays cheap. */
export const MAX_LINE_CHARS = 10_000;

export interface OutputLine {
  /** The beginning of the line, at most `maxLineChars` characters, escape sequences and all. */
  readonly text: string;
  readonly stream: OutputStream;
  /** Characters of the line past `maxLineChars`, not kept (0 for almost every line). */
  readonly cut: number;
}

export interface OutputBufferOptions {
  maxLines?: number;
  maxLineChars?: number;
  /** Each complete line as it arrives, dropped later or not (the timeline reads them all). */
  onLine?: (line: OutputLine) => void;
}

export class OutputBuffer {
  readonly maxLines: number;
  readonly maxLineChars: number;
  private readonly onLine: ((line: OutputLine) => void) | undefined;
  /** One per stream: stdout and stderr interleave, each with its own unfinished line. */
  private readonly splitters = new Map<OutputStream, LineSplitter>();
  /** The kept lines and up to `maxLines` older ones, trimmed in batches (one splice per `maxLines` lines). */
  private lines: OutputLine[] = [];
  /** Lines removed from `lines` since the last clear. */
  private trimmed = 0;

  constructor(options: OutputBufferOptions = {}) {
    this.maxLines = options.maxLines ?? MAX_LINES;
    this.maxLineChars = options.maxLineChars ?? MAX_LINE_CHARS;
    this.onLine = options.onLine;
  }

  /** Adds output as it arrives (chunks may split lines anywhere); returns the lines it completed. */
  append(text: string, stream: OutputStream): OutputLine[] {
    // The sandbox speaks about what the program printed so far ("…stopped at the output limit"):
    // an unfinished line of the program is shown before those words, not after them.
    const completed = stream === 'system' ? this.flush() : [];
    for (const line of this.splitter(stream).push(text)) completed.push(this.push(line.text, stream, line.cut));
    return completed;
  }

  /** Ends the run: the unfinished last line of each stream is a line too. Returns them. */
  flush(): OutputLine[] {
    const completed: OutputLine[] = [];
    for (const [stream, splitter] of this.splitters) {
      const rest = splitter.flush();
      if (rest) completed.push(this.push(rest.text, stream, rest.cut));
    }
    return completed;
  }

  clear(): void {
    this.splitters.clear();
    this.lines = [];
    this.trimmed = 0;
  }

  /** Lines completed since the last clear, kept or dropped; line numbers count from 0. */
  get total(): number {
    return this.trimmed + this.lines.length;
  }

  get droppedLines(): number {
    return this.total - this.visible().length;
  }

  /** The kept lines, oldest first: at most `maxLines`. */
  visible(): readonly OutputLine[] {
    return this.lines.length > this.maxLines ? this.lines.slice(-this.maxLines) : this.lines;
  }

  /** The kept lines numbered `from` or later (all the kept ones if older lines are asked for). */
  since(from: number): readonly OutputLine[] {
    const first = Math.max(from, this.total - this.maxLines, this.trimmed) - this.trimmed;
    return first <= 0 ? this.lines : this.lines.slice(first);
  }

  /** Characters of `stream`'s unfinished line held in memory (never more than about `maxLineChars`). */
  heldChars(stream: OutputStream): number {
    return this.splitters.get(stream)?.held ?? 0;
  }

  /**
   * The kept lines as a reader sees them, for the copy button: escape sequences and colours
   * removed, a cut line followed by `cutNote` (the words the view shows after it).
   */
  text(cutNote: (count: number) => string): string {
    return this.visible()
      .map((line) => (line.cut ? `${plainText(line.text)} ${cutNote(line.cut)}` : plainText(line.text)))
      .join('\n');
  }

  private splitter(stream: OutputStream): LineSplitter {
    let splitter = this.splitters.get(stream);
    if (!splitter) {
      splitter = new LineSplitter({ maxLineChars: this.maxLineChars });
      this.splitters.set(stream, splitter);
    }
    return splitter;
  }

  private push(text: string, stream: OutputStream, cut: number): OutputLine {
    const line: OutputLine = { text, stream, cut };
    this.onLine?.(line);
    this.lines.push(line);
    if (this.lines.length > 2 * this.maxLines) {
      const excess = this.lines.length - this.maxLines;
      this.lines.splice(0, excess);
      this.trimmed += excess;
    }
    return line;
  }
}
