/**
 * The wire between a page and the local runtime (`npm start`, `npm run dev`), defined once for both
 * sides: the page's client (./client.ts) and the Node server (./server/handler.ts).
 *
 *   GET  {LOCAL_RUNTIME_BASE}session  → SessionInfo as JSON
 *   POST {LOCAL_RUNTIME_BASE}run      RunSpec as JSON → NDJSON: one LocalRuntimeEvent per line,
 *                                     `exit` always last
 *   Both need the server's token in TOKEN_HEADER (./token.ts: the reader gets it from the terminal).
 *   Closing the response (the page aborts its fetch) kills the program.
 *   A refusal is 4xx/5xx with a RefusalBody, whose `code` the page turns into its own words.
 */

export const LOCAL_RUNTIME_BASE = '/__local-runtime/';
/** Lower case, as Node spells incoming header names; HTTP header names are case-insensitive. */
export const TOKEN_HEADER = 'x-book-token';

/** What GET session answers to a page that has the token. */
export interface SessionInfo {
  /** The server's Node version, e.g. "v24.21.0". */
  node: string;
  /**
   * The version of the CPython that runs Python runs, e.g. "3.11.2"; null when this machine has no
   * Python 3.11+ with aiohttp and requests (a Python run is then refused with `no-python`).
   */
  python: string | null;
}

/**
 * Which limit of the runtime stopped a program: its running time, its output, its memory (the
 * V8 heap, or all it allocates), its CPU time, or the size of a file it wrote.
 */
export type LimitReason = 'time' | 'output' | 'memory' | 'cpu' | 'file';

/** One line of the NDJSON stream of POST run. */
export type LocalRuntimeEvent =
  | { type: 'started'; pid: number; url?: string }
  | { type: 'listening'; url: string }
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** `limit` is the limit's size: milliseconds for `time` and `cpu`, bytes for the others. */
  | { type: 'limit'; reason: LimitReason; limit: number; message: string }
  /**
   * Node's permission model refused the program something (a run may read and write only its own
   * folder): `permission` as Node names it (FileSystemRead, FileSystemWrite, ChildProcess,
   * WorkerThreads…), `resource` the path when there is one. Sent once per permission; the program
   * goes on (it got an ERR_ACCESS_DENIED error, which it may catch).
   */
  | { type: 'denied'; permission: string; resource?: string; message: string }
  | { type: 'exit'; code: number };

/**
 * Why the server refused: `token-missing` (a page opened without the printed address), `token-wrong`
 * (the server was restarted since, with a new token), `not-local` (another machine, Host or site),
 * `busy` (too many runs), `closing` (shutting down), `bad-request` (the spec or the body),
 * `no-python` (a Python run, and this machine has no suitable Python), `failed` (the server's own fault).
 */
export type RefusalCode = 'token-missing' | 'token-wrong' | 'not-local' | 'busy' | 'closing' | 'bad-request' | 'no-python' | 'failed';

/** The body of every refusal (4xx/5xx) of the server: English words for other clients, and a code. */
export interface RefusalBody {
  error: string;
  code: RefusalCode;
}
