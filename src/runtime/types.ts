/**
 * One interface for everything that can run an example: a WebContainer in the reader's browser,
 * the local Node of the machine that serves the book, or the recording made at build time.
 * Framework-free: the UI talks only to these types, and each runtime is testable on its own.
 */

export type RuntimeName = 'webcontainer' | 'local' | 'recorded';

/** Where a piece of output came from. `system` is the sandbox talking, not the program. */
export type OutputStream = 'stdout' | 'stderr' | 'system';

export type OutputSink = (text: string, stream: OutputStream) => void;

/**
 * What to run. Sources are plain JavaScript already: the page strips the types first, so a syntax
 * error is reported before any runtime is involved, and every runtime runs the same files.
 */
export interface RunSpec {
  exampleId: string;
  /** File name (relative to the example's folder) → JavaScript source; must contain `entry`. */
  files: Record<string, string>;
  /** The file to run with `node`, e.g. `main.js`. */
  entry: string;
  /** Command-line arguments after the entry file. */
  args?: string[];
  /** Extra environment variables for the program. */
  env?: Record<string, string>;
  /** Start (or reuse) the book's image server and pass its URL in IMAGE_SERVER. */
  imageServer: boolean;
  /**
   * A server example: the runtime picks a port for it, passes it in PORT, and hands the program's
   * URL to clients started with {@link RunningProgram.startClient}.
   */
  server?: boolean;
}

export interface RunningProgram {
  /** Resolves with the exit code once the process is gone (a stopped program is not an error). */
  readonly exit: Promise<number>;
  /** Ends the process; resolves when it is gone. Never hangs: a runtime escalates if it must. */
  stop(): Promise<void>;
  /**
   * For a server program: run another file of the same example as a client of this server, with
   * SCRAPER_SERVER set to the server's URL.
   */
  startClient?(entry: string, args: string[], onOutput: OutputSink): Promise<RunningProgram>;
}

export interface Runtime {
  readonly name: Exclude<RuntimeName, 'recorded'>;
  /** Words for the status line, e.g. "local Node v24.21.0". */
  readonly label: string;
  run(spec: RunSpec, onOutput: OutputSink): Promise<RunningProgram>;
}

/** Why a live runtime is not available: shown to the reader next to the recorded output. */
export class RuntimeUnavailable extends Error {
  readonly runtime: Exclude<RuntimeName, 'recorded'>;
  constructor(message: string, runtime: Exclude<RuntimeName, 'recorded'>) {
    super(message);
    this.name = 'RuntimeUnavailable';
    this.runtime = runtime;
  }
}
