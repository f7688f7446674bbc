/**
 * The messages between the page and the in-page runtime's workers, defined once for both sides.
 *
 * - The page starts a program worker with `StartProgram` and hears `ProgramEvent`s from it.
 * - Every program worker also holds a port into the page's loopback network (./network.ts), over
 *   which its `node:http` servers listen and its `fetch`/`http.get` to 127.0.0.1 reach them:
 *   `NetMessage`s. Bodies travel whole (the book's programs send small bodies), as transferable
 *   ArrayBuffers.
 * - A nested worker (`node:worker_threads`) talks to the worker that made it with `ThreadMessage`s.
 */

/** Where every program's files are, as the program sees its paths (`process.argv[1]`, stacks). */
export const PROGRAM_ROOT = '/book';

/**
 * The sentences a worker may have to print itself, in the page's language (workers have no UI
 * strings of their own): the page fills them in when it starts the worker.
 */
export interface WorkerWords {
  /** "{name} is not in this page's runtime…": an import or an API the layer does not have. */
  missing: string;
}

export interface StartProgram {
  type: 'start';
  exampleId: string;
  /** File name relative to the program's folder → plain JavaScript. */
  files: Record<string, string>;
  entry: string;
  args: string[];
  env: Record<string, string>;
  words: WorkerWords;
  /** The program's end of the loopback network. */
  network: MessagePort;
}

export type ProgramEvent =
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** The program asked for something the layer does not have; `name` is e.g. `node:fs/promises`. */
  | { type: 'missing'; name: string }
  | { type: 'exit'; code: number };

export type Headers = Record<string, string>;

export type NetMessage =
  // program → network
  | { type: 'listen'; id: number; port: number }
  | { type: 'unlisten'; port: number }
  | { type: 'request'; id: number; port: number; method: string; path: string; headers: Headers; body: ArrayBuffer | null }
  | { type: 'abort'; id: number }
  | { type: 'reply'; id: number; status: number; statusText: string; headers: Headers; body: ArrayBuffer | null }
  // network → program
  | { type: 'listening'; id: number; port: number }
  | { type: 'listen-failed'; id: number; port: number; code: 'EADDRINUSE' }
  | { type: 'incoming'; id: number; port: number; method: string; path: string; headers: Headers; body: ArrayBuffer | null }
  /** The client of an incoming request went away (it aborted, or its program ended). */
  | { type: 'gone'; id: number }
  | { type: 'response'; id: number; status: number; statusText: string; headers: Headers; body: ArrayBuffer | null }
  /** No server listens on that port, or it went away before answering. */
  | { type: 'failed'; id: number; code: 'ECONNREFUSED' | 'ECONNRESET' };

export type ThreadMessage =
  // parent → nested worker
  | { type: 'thread-start'; code: string; workerData: unknown; env: Record<string, string>; words: WorkerWords }
  | { type: 'thread-message'; value: unknown }
  // nested worker → parent
  | { type: 'thread-output'; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'thread-error'; name: string; message: string; stack: string }
  | { type: 'thread-exit'; code: number };

/** Host names that mean "this machine": requests to them stay in the page's loopback network. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The in-page Python runtime's worker (./python-worker.ts): the page sends `load` as soon as the
 * worker exists (a spare worker loads Pyodide before its run is asked for), then one `run`.
 */
export type PythonCommand =
  | { type: 'load'; indexURL: string }
  | { type: 'run'; files: Record<string, string>; entry: string; args: string[]; env: Record<string, string> };

export type PythonEvent =
  /** Pyodide is loaded and ready for the run; `python` is its CPython version, e.g. "3.14.0". */
  | { type: 'ready'; python: string; loadMs: number }
  /** Pyodide could not be loaded (its files missing, the browser out of memory…). */
  | { type: 'load-failed'; detail: string }
  | Extract<ProgramEvent, { type: 'output' | 'exit' }>;
