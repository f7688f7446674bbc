/**
 * The wire between a page and the local runtime (`npm start`, `npm run dev`), defined once for both
 * sides: the page's client (./client.ts) and the Node server (./server/handler.ts).
 *
 *   GET  {LOCAL_RUNTIME_BASE}session  → SessionInfo as JSON
 *   POST {LOCAL_RUNTIME_BASE}run      RunSpec as JSON, with the secret in SECRET_HEADER
 *                                     → NDJSON: one LocalRuntimeEvent per line, `exit` always last
 *   Closing the response (the page aborts its fetch) kills the program.
 */

export const LOCAL_RUNTIME_BASE = '/__local-runtime/';
/** Lower case, as Node spells incoming header names; HTTP header names are case-insensitive. */
export const SECRET_HEADER = 'x-local-runtime-secret';

/** What GET session answers to the book's own pages. */
export interface SessionInfo {
  secret: string;
  /** The server's Node version, e.g. "v24.21.0". */
  node: string;
}

/** Which limit of the runtime stopped a program. */
export type LimitReason = 'time' | 'output';

/** One line of the NDJSON stream of POST run. */
export type LocalRuntimeEvent =
  | { type: 'started'; pid: number; url?: string }
  | { type: 'listening'; url: string }
  | { type: 'output'; stream: 'stdout' | 'stderr'; text: string }
  /** `limit` is the limit's size: milliseconds for `time`, bytes for `output`. */
  | { type: 'limit'; reason: LimitReason; limit: number; message: string }
  | { type: 'exit'; code: number };

/** The body of every refusal (4xx/5xx) of the server. */
export interface RefusalBody {
  error: string;
}
