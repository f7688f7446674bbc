/**
 * One interface for everything that can run an example: the local Node of the machine that serves
 * the book, a WebContainer in the reader's browser, the page itself (Web Workers with a small layer
 * of Node's APIs, ./browser/runtime.ts), or the recording made at build time (which
 * "runs" by showing what a real run printed, and says why nothing live could run).
 * Framework-free: the UI talks only to these types and to ./session.ts, and each runtime is
 * testable on its own.
 */

export type RuntimeName = 'local' | 'webcontainer' | 'browser' | 'recorded';
export type LiveRuntimeName = Exclude<RuntimeName, 'recorded'>;

/** Where a piece of output came from. `system` is the runtime talking, not the program. */
export type OutputStream = 'stdout' | 'stderr' | 'system';

export type OutputSink = (text: string, stream: OutputStream) => void;

/**
 * The language of a run: every example has a TypeScript port (main.ts) and a Python version
 * (main.py), and the Run button runs the one of the selected tab.
 */
export type ProgramLanguage = 'typescript' | 'python';

/**
 * What to run. Sources are plain JavaScript already: the page strips the types first, so a syntax
 * error is reported before any runtime is involved, and every runtime runs the same files.
 */
export interface RunSpec {
  exampleId: string;
  /**
   * Left out: `typescript`. A Python run has the reader's main.py as it is (`files['main.py']`,
   * `entry: 'main.py'`), run with a Python; a server example's client is still client.js, run with
   * the runtime's Node.
   */
  language?: ProgramLanguage;
  /**
   * File name (relative to the example's folder) → source: JavaScript for a TypeScript run, the
   * Python file itself for a Python run; must contain `entry`.
   */
  files: Record<string, string>;
  /** The file to run, e.g. `main.js` (with `node`) or `main.py` (with a Python). */
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
  /**
   * How long the program may run before the runtime stops it: the example's meta.json `timeoutMs`,
   * which the page has in its data. A runtime may hold it to a lower limit of its own; servers have
   * their own, longer limit. The local runtime's server reads meta.json itself and ignores this.
   */
  timeoutMs?: number;
}

export interface RunOptions {
  /**
   * Aborted when the run is no longer wanted before it has started (Stop, or a newer Run): a
   * runtime stops preparing and rejects, or hands back a program that the caller then stops.
   */
  signal?: AbortSignal;
  /**
   * Words for the status line while the run is starting and waits for something slow, e.g. "starting
   * the sandbox…" while a WebContainer boots. In the page's language.
   */
  onProgress?: (note: string) => void;
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
  readonly name: RuntimeName;
  /** Words for the status line, in the page's language, e.g. "local Node v24.21.0". */
  readonly label: string;
  /**
   * The same words for a Python run, e.g. "local CPython 3.11.2" or "Pyodide 0.29 (CPython 3.14) in
   * this page"; left out, `label` is said for both (see {@link runtimeLabel}).
   */
  readonly pythonLabel?: string;
  run(spec: RunSpec, onOutput: OutputSink, options?: RunOptions): Promise<RunningProgram>;
  /**
   * Starts what a first run would wait for (a WebContainer's boot), so that it may be ready when the
   * reader presses Run. Never throws; a failure is reported by the next run.
   */
  warmUp?(): void;
  /**
   * True when this runtime's event loop is known to run callbacks in another order than Node's in
   * some cases (WebContainers: stackblitz/webcontainer-core #980, #1048), so a page that teaches
   * that order says so next to the output.
   */
  readonly eventLoopDiffers?: boolean;
}

/** The runtime's words for a run in `language`. */
export function runtimeLabel(runtime: Pick<Runtime, 'label' | 'pythonLabel'>, language: ProgramLanguage | undefined): string {
  return language === 'python' ? (runtime.pythonLabel ?? runtime.label) : runtime.label;
}

/**
 * What the reader can do about a runtime that cannot run here, offered as a link next to the reason.
 * `open-in-new-tab`: the page is inside a frame, where a WebContainer cannot work, and would work on
 * its own. `run-on-request`: the browser is one where a WebContainer starts only when asked (iOS).
 * `href` is always an address of this site.
 */
export type UnavailableAction = { kind: 'open-in-new-tab'; href: string } | { kind: 'run-on-request'; href: string };

/**
 * Why a runtime cannot run anything (now): shown to the reader beside the recorded output. The
 * message is a whole sentence in the page's language that names what failed ("the book's server is
 * not answering any more…"); `runtime` says which runtime it was, or null when none was tried.
 */
export class RuntimeUnavailable extends Error {
  readonly runtime: LiveRuntimeName | null;
  /** What the reader can do about it, when there is something (a link next to the reason). */
  readonly action: UnavailableAction | undefined;
  constructor(message: string, runtime: LiveRuntimeName | null, action?: UnavailableAction) {
    super(message);
    this.name = 'RuntimeUnavailable';
    this.runtime = runtime;
    this.action = action;
  }
}

/** A run that was abandoned before it started (Stop, or a newer Run): not a failure. */
export class RunAborted extends Error {
  constructor() {
    super('The run was abandoned before it started.');
    this.name = 'RunAborted';
  }
}
