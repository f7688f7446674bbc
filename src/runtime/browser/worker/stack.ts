/**
 * Stack traces that point into the reader's files. A program's modules run from blob: URLs, and
 * the layer's own code from the book's scripts; a trace is rewritten so that a frame of the
 * program names its file as the program sees it (`file:///book/<example>/main.js:12:7`, the same
 * line and column as in the reader's main.ts, since types are stripped in place), and the layer's
 * frames are left out, as Node leaves out nothing but its frames are the program's own.
 */

export class StackMap {
  private readonly names = new Map<string, string>();
  private readonly shifts = new Map<string, number>();

  /** `shift`: characters the layer put before the file's first line, taken off its columns there. */
  add(url: string, name: string, shift = 0): void {
    this.names.set(url, name);
    this.shifts.set(url, shift);
  }

  /** A position in a module as the same position in the reader's file. */
  private column(url: string, line: number, column: number): number {
    return line === 1 ? Math.max(1, column - (this.shifts.get(url) ?? 0)) : column;
  }

  /** The trace with program frames renamed and the layer's frames dropped. */
  rewrite(stack: string): string {
    const lines = stack.split('\n');
    const out: string[] = [];
    for (const line of lines) {
      const urls = line.match(/(?:blob:)?(?:https?|file):\/\/[^\s)]+?(?=:\d+:\d+|\)|$)/g);
      if (!urls) {
        out.push(line);
        continue;
      }
      let kept = line;
      let program = false;
      for (const url of urls) {
        const name = this.names.get(url);
        if (name) {
          kept = kept
            .split(`${url}:`)
            .map((part, i) => (i === 0 ? part : part.replace(/^(\d+):(\d+)/, (_, l: string, c: string) => `${l}:${this.column(url, Number(l), Number(c))}`)))
            .join(`${name}:`)
            .split(url)
            .join(name);
          program = true;
        }
      }
      if (program) out.push(kept);
      else if (!/^\s*at\s|@/.test(line)) out.push(line); // a message line that happens to hold a URL
    }
    return out.join('\n');
  }

  /** Where a trace's first program frame points: the file's name, line and column. */
  firstFrame(stack: string): { name: string; line: number; column: number } | undefined {
    let first: { at: number; name: string; line: number; column: number } | undefined;
    for (const [url, name] of this.names) {
      const at = stack.indexOf(`${url}:`);
      if (at < 0 || (first && first.at < at)) continue;
      const match = /^:(\d+):(\d+)/.exec(stack.slice(at + url.length));
      if (match) first = { at, name, line: Number(match[1]), column: this.column(url, Number(match[1]), Number(match[2])) };
    }
    return first && { name: first.name, line: first.line, column: first.column };
  }
}
