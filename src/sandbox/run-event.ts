/**
 * What an example tells the page about its runs, as a DOM event on its `<book-example>`: an
 * exercise around it (src/exercises/element.ts) judges a run by what it printed without reaching
 * into the controller. Framework-free.
 */
export const RUN_EVENT = 'book-example-run';

export interface TranscriptLine {
  text: string;
  stream: 'stdout' | 'stderr';
}

export type RunEventDetail =
  | { phase: 'started' }
  | {
      phase: 'ended';
      /** Which tab's program ran: the example's TypeScript or its Python. */
      language: 'typescript' | 'python';
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

/**
 * Lines kept per run for the event: a program that floods its output cannot grow the page's memory
 * through this. Lines past it are shown as usual, but not judged.
 */
export const MAX_TRANSCRIPT_LINES = 5000;
