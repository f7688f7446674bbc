/**
 * Output arrives in chunks that split lines anywhere. A LineSplitter turns chunks into whole lines
 * and scans only each new chunk for line ends, so a long line costs its length once, not once per
 * chunk. A line longer than `maxLineChars` keeps its beginning and counts the rest (`cut`), so a
 * program that prints 100 MB without a newline cannot grow memory or the page without bound.
 * Framework-free and used on both sides (the page's output view, the Node scripts).
 */

export interface SplitLine {
  text: string;
  /** Characters of this line dropped past `maxLineChars` (0 for most lines). */
  cut: number;
}

export interface LineSplitterOptions {
  /** Longest line kept whole; the default keeps every line (no limit). */
  maxLineChars?: number;
  /** Treat "\r\n" as one line end (terminals and Windows programs send it). Default true. */
  crlf?: boolean;
}

export class LineSplitter {
  private readonly max: number;
  private readonly crlf: boolean;
  /** The unfinished line so far, as pieces: joined once, when its end arrives. */
  private pieces: string[] = [];
  private kept = 0;
  private cut = 0;
  /** The last chunk ended in "\r": if the next one starts with "\n", that is one line end. */
  private heldCr = false;

  constructor(options: LineSplitterOptions = {}) {
    this.max = options.maxLineChars ?? Infinity;
    this.crlf = options.crlf ?? true;
  }

  /** The lines that `chunk` completes, in order. */
  push(chunk: string): SplitLine[] {
    const out: SplitLine[] = [];
    // An empty chunk says nothing: it must not release a held "\r" that a "\n" may still follow.
    if (chunk === '') return out;
    let text = chunk;
    if (this.heldCr) {
      this.heldCr = false;
      if (!text.startsWith('\n')) this.keep('\r');
    }
    if (this.crlf && text.endsWith('\r')) {
      this.heldCr = true;
      text = text.slice(0, -1);
    }
    let from = 0;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', from)) {
      const end = this.crlf && at > from && text.charCodeAt(at - 1) === 13 ? at - 1 : at;
      // A "\r" just before the "\n" but at the start of this chunk was held from the last one.
      this.keep(text.slice(from, end));
      out.push(this.take());
      from = at + 1;
    }
    if (from < text.length) this.keep(text.slice(from));
    return out;
  }

  /** The unfinished last line, if any (at the end of a run), and a fresh start. */
  flush(): SplitLine | null {
    if (this.heldCr) {
      this.heldCr = false;
      this.keep('\r');
    }
    if (this.kept === 0 && this.cut === 0) return null;
    return this.take();
  }

  /** Characters of the unfinished line so far (kept and cut). */
  get pending(): number {
    return this.kept + this.cut + (this.heldCr ? 1 : 0);
  }

  /** Characters of the unfinished line held in memory: never more than `maxLineChars` + 1 (a held "\r"). */
  get held(): number {
    return this.kept + (this.heldCr ? 1 : 0);
  }

  private keep(piece: string): void {
    if (!piece) return;
    // Once a line is cut, the rest of it is only counted: the kept text is always its beginning.
    if (this.cut > 0) {
      this.cut += piece.length;
      return;
    }
    const room = this.max - this.kept;
    if (piece.length <= room) {
      this.pieces.push(piece);
      this.kept += piece.length;
      return;
    }
    let keep = room;
    // Never keep half of a surrogate pair: a lone high surrogate would show as a broken glyph.
    if (keep > 0 && isHighSurrogate(piece.charCodeAt(keep - 1))) keep -= 1;
    if (keep > 0) {
      this.pieces.push(piece.slice(0, keep));
      this.kept += keep;
    }
    this.cut += piece.length - keep;
  }

  private take(): SplitLine {
    const line = { text: this.pieces.length === 1 ? this.pieces[0]! : this.pieces.join(''), cut: this.cut };
    this.pieces = [];
    this.kept = 0;
    this.cut = 0;
    return line;
  }
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
