/**
 * What an example tells the page about its runs, as a DOM event on its `<book-example>`: an
 * exercise around it (src/exercises/element.ts) judges a run by what it printed without reaching
 * into the controller. Framework-free; the transcript keeps whole lines per stream, capped, so a
 * program that floods its output cannot grow the page's memory through this.
 */
import { LineSplitter } from '../lib/lines.ts';

export const RUN_EVENT = 'book-example-run';

export interface TranscriptLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

export type RunEventDetail =
  | { phase: 'started' }
  | {
      phase: 'ended';
      /** How it ended: `exited` with a code, `stopped` by the reader or a limit, or `failed` to run. */
      outcome: 'exited' | 'stopped' | 'failed';
      exitCode: number | null;
      /** No runtime could run the code: what was shown is the recording of the program as given. */
      recorded: boolean;
      /** The runtime's name as the status line shows it, or the reason nothing could run. */
      runtime: string;
      /** The code that ran differs from the example's own. */
      edited: boolean;
      lines: TranscriptLine[];
    };

/** Lines kept per run; the rest is counted in the output view, not judged. */
export const MAX_TRANSCRIPT_LINES = 5000;
const MAX_LINE_CHARS = 2000;

/** The lines of one run, in the order printed. */
export class RunTranscript {
  private readonly kept: TranscriptLine[] = [];
  private readonly splitters = {
    stdout: new LineSplitter({ maxLineChars: MAX_LINE_CHARS }),
    stderr: new LineSplitter({ maxLineChars: MAX_LINE_CHARS }),
  };

  append(text: string, stream: 'stdout' | 'stderr'): void {
    for (const line of this.splitters[stream].push(text)) this.keep(line.text, stream);
  }

  /** The lines of the run, with each stream's unfinished last line: call once, at its end. */
  finish(): TranscriptLine[] {
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.splitters[stream].flush();
      if (rest) this.keep(rest.text, stream);
    }
    return this.kept;
  }

  private keep(text: string, stream: 'stdout' | 'stderr'): void {
    if (this.kept.length < MAX_TRANSCRIPT_LINES) this.kept.push({ text, stream });
  }
}
