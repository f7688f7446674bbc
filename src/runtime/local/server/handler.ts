/**
 * The local runtime: when this project serves the book (`npm start`, `npm run dev`), the page runs
 * its examples with this machine's Node (and the Python versions with its CPython, python.ts) through two endpoints (../client.ts is its page side, and
 * ../protocol.ts the wire both share):
 *
 *   GET  /__local-runtime/session  → {"node": "v24…", "python": "3.11.2" | null}
 *   POST /__local-runtime/run      RunSpec as JSON → NDJSON events, one per line:
 *        {"type":"started","pid":N,"url"?:"http://127.0.0.1:PORT"}   url for `server: true` only
 *        {"type":"listening","url":"…"}   a server accepts connections (clients may start)
 *        {"type":"output","stream":"stdout"|"stderr","text":"…"}
 *        {"type":"limit","reason":"time"|"output"|"memory"|"cpu"|"file","limit":N,"message":"…"}
 *                                         a limit was hit; the program is killed
 *        {"type":"denied","permission":"…","resource"?:"…","message":"…"}   the confinement refused an access
 *        {"type":"exit","code":N}   always last; 137 when killed
 *   Closing the response (the page aborts its fetch) kills the program.
 *
 * It runs whatever code it is sent, so only the book's own pages, read on this machine, may use it
 * (guard.ts), both endpoints need the per-start token that the terminal shows in the book's address
 * (../token.ts) and that no endpoint hands out, each run is confined to its own folder with
 * memory, CPU and file-size limits (confine.ts, rlimits.ts), and nothing a run leaves behind
 * survives it, nor its server's death (program.ts, watchdog.ts). The full list of events is in
 * ../protocol.ts.
 *
 * Framework-free: `handle(req, res, next)` is a Connect/Vite middleware and a node:http handler.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import process from 'node:process';
import { startImageServer, type ImageServer } from '../../../../content/examples/_support/image-server.ts';
import { freePort } from './ports.ts';
import { readMeta } from '../../../examples/files.ts';
import type { ExampleMeta } from '../../../examples/schema.ts';
import { LOCAL_RUNTIME_BASE as BASE_PATH, TOKEN_HEADER, type RefusalBody, type RefusalCode, type SessionInfo } from '../protocol.ts';
import { TOKEN_PARAM } from '../token.ts';
import { programTimeLimit, RUN_LIMITS } from '../../limits.ts';
import { refusal } from './guard.ts';
import { sendJson, startRun, type Plan, type Run } from './program.ts';
import { findPython } from './python.ts';
import { prlimit } from './rlimits.ts';
import { removeStaleRuns } from './stale.ts';
import { checkSpec } from './spec.ts';


export interface LocalRuntimeOptions {
  /** Longest run of a program, in ms (default 60 s); an example's meta.json timeoutMs may lower it. */
  programTimeoutMs?: number;
  /** Longest run of a server example, in ms (default 15 min). */
  serverTimeoutMs?: number;
  /** Most output one run may print, in bytes (default 64 MB). */
  outputLimitBytes?: number;
  /** Most runs at the same time (default 16): a page gone wild cannot start processes without end. */
  maxRuns?: number;
  /** The token pages must send (default: 32 random bytes, new at every start). */
  token?: string;
  /**
   * For tests only: lets every run start child processes (Node's --allow-child-process), to test
   * that nothing they start outlives the run. No example of the book needs it.
   */
  allowChildProcesses?: boolean;
}

export interface LocalRuntime {
  /** What the reader must have to run code: print it only to the terminal of whoever started the server. */
  readonly token: string;
  /** The book's address with the token, e.g. for `http://127.0.0.1:4321/`. */
  addressWithToken(origin: string): string;
  handle(req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void): Promise<void>;
  /** Kills every run, removes their folders, stops the image server. Later runs are refused. */
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

export function createLocalRuntime(options: LocalRuntimeOptions = {}): LocalRuntime {
  const programTimeoutMs = options.programTimeoutMs ?? RUN_LIMITS.programTimeoutMs;
  const serverTimeoutMs = options.serverTimeoutMs ?? RUN_LIMITS.serverTimeoutMs;
  const outputLimitBytes = options.outputLimitBytes ?? RUN_LIMITS.outputLimitBytes;
  const maxRuns = options.maxRuns ?? 16;
  const token = options.token ?? randomBytes(32).toString('hex');
  const runs = new Set<Run>();
  /** Runs admitted and not yet ended, counted from the check on: the cap cannot be overrun by runs still preparing. */
  let admitted = 0;
  let images: Promise<ImageServer> | undefined;
  let closed: Promise<void> | undefined;
  void removeStaleRuns(); // the folders of servers that are gone, and whatever still runs in them
  prlimit(); // says once in the log when runs have no OS limits

  /** One image server for every run, started by the first run that needs it. */
  async function imageServerUrl(): Promise<string> {
    if (!images) {
      const starting = startImageServer({ port: 0 });
      images = starting;
      starting.catch(() => {
        if (images === starting) images = undefined; // the next run tries again
      });
    }
    return (await images).url;
  }

  const refuse = (res: ServerResponse, status: number, code: RefusalCode, error: string) => sendJson(res, status, { error, code } satisfies RefusalBody);

  /** Refuses the request unless it comes from a page of the book on this machine that has the token. */
  function allowed(req: IncomingMessage, res: ServerResponse, requireOrigin: boolean): boolean {
    const refused = refusal(req, requireOrigin);
    if (refused) {
      refuse(res, 403, 'not-local', refused);
      return false;
    }
    const given = req.headers[TOKEN_HEADER];
    if (typeof given !== 'string' || given === '') {
      refuse(res, 401, 'token-missing', `The local runtime needs the token that the terminal shows in the book's address (?${TOKEN_PARAM}=…): open that address.`);
      return false;
    }
    if (!tokenMatches(given)) {
      refuse(res, 401, 'token-wrong', `That token is not this server's: it was restarted and printed a new address (?${TOKEN_PARAM}=…).`);
      return false;
    }
    return true;
  }

  function session(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'bad-request', 'Use GET for the session.');
    if (!allowed(req, res, false)) return;
    const python = findPython();
    sendJson(res, 200, { node: process.version, python: 'version' in python ? python.version : null } satisfies SessionInfo);
  }

  async function run(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST') return refuse(res, 405, 'bad-request', 'Use POST to run a program.');
    if (closed) return refuse(res, 503, 'closing', 'The local runtime is shutting down.');
    if (!allowed(req, res, true)) return;
    // Reserved at the check: every await below runs while the slot is held.
    if (admitted >= maxRuns) return refuse(res, 429, 'busy', `${maxRuns} programs are running already: stop one before starting another.`);
    admitted += 1;
    try {
      await admittedRun(req, res);
    } finally {
      admitted -= 1;
    }
  }

  async function admittedRun(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === undefined) {
      // The rest of a body too large is not read: the connection closes as soon as the answer is out.
      res.setHeader('Connection', 'close');
      refuse(res, 413, 'bad-request', `The request body is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB.`);
      res.once('finish', () => req.destroy());
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return refuse(res, 400, 'bad-request', 'The request body is not valid JSON.');
    }
    const checked = checkSpec(parsed);
    if (!checked.ok) return refuse(res, 400, 'bad-request', checked.message);
    const spec = checked.spec;
    let python: string | undefined;
    if (spec.language === 'python') {
      const found = findPython();
      if ('error' in found) return refuse(res, 503, 'no-python', `This machine cannot run the Python versions: ${found.error}`);
      python = found.python;
    }

    const env: Record<string, string> = { ...spec.env };
    for (const name of ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ']) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    env.NODE_NO_WARNINGS = '1';
    if (spec.imageServer) {
      try {
        env.IMAGE_SERVER = await imageServerUrl();
      } catch (error) {
        return refuse(res, 500, 'failed', `The book's image server could not start: ${(error as Error).message}`);
      }
    }
    let port: number | undefined;
    if (spec.server) {
      port = await freePort(0);
      env.PORT = String(port);
    }
    const meta = readMeta(spec.exampleId);
    const plan: Plan = {
      files: spec.files,
      entry: spec.entry,
      args: spec.args ?? [],
      env,
      timeoutMs: timeLimitMs(meta, spec.server === true, { programTimeoutMs, serverTimeoutMs }),
      outputLimitBytes,
      port,
      grants: { worker: meta.permissions?.includes('worker') ?? false, childProcess: options.allowChildProcesses === true },
      ...(python ? { python } : {}),
    };
    if (closed || res.destroyed) return; // shut down, or the page left, while this was being prepared
    const started = startRun(res, plan);
    runs.add(started);
    await started.finished;
    runs.delete(started);
  }

  function tokenMatches(given: string): boolean {
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  }

  return {
    token,
    addressWithToken(origin) {
      const url = new URL(origin);
      url.searchParams.set(TOKEN_PARAM, token);
      return url.href;
    },
    async handle(req, res, next) {
      const pathname = (req.url ?? '/').split('?')[0];
      if (pathname !== BASE_PATH.slice(0, -1) && !pathname.startsWith(BASE_PATH)) {
        if (next) return next();
        return refuse(res, 404, 'bad-request', `Not found: ${pathname}`);
      }
      try {
        const route = pathname.slice(BASE_PATH.length);
        if (route === 'session') return session(req, res);
        if (route === 'run') return await run(req, res);
        refuse(res, 404, 'bad-request', `The local runtime has no ${pathname}: it answers ${BASE_PATH}session and ${BASE_PATH}run.`);
      } catch (error) {
        // A middleware must not reject: Connect would not catch it.
        if (!res.headersSent && !res.destroyed) refuse(res, 500, 'failed', `The local runtime failed: ${(error as Error).message}`);
        else res.destroy();
      }
    },
    close() {
      closed ??= (async () => {
        for (const run of runs) run.killNow(); // synchronous: also right when called on process exit
        await Promise.allSettled([...runs].map((run) => run.finished));
        const server = await images?.catch(() => undefined);
        images = undefined;
        await server?.close();
      })();
      return closed;
    },
  };
}

/**
 * How long a run may take: the server of a server example, as long as a reader may want to play
 * with it; a program, the runtime's limit, or less when its example's meta.json says it needs less
 * (a program that hangs is then stopped as soon as it is clearly hanging).
 *
 * The example's meta.json decides what is a server (`kind`), not the page: the page's `server`
 * flag (`asServer`) only says which run of a server example is its server (its clients get the
 * program limit), so a page cannot get the long limit for a program by calling it a server.
 */
export function timeLimitMs(
  meta: Pick<ExampleMeta, 'kind' | 'timeoutMs'>,
  asServer: boolean,
  limits: { programTimeoutMs: number; serverTimeoutMs: number },
): number {
  if (meta.kind === 'server' && asServer) return limits.serverTimeoutMs;
  return programTimeLimit(meta.timeoutMs, limits.programTimeoutMs);
}

/** The body as text, or undefined when it is larger than `max` bytes. */
async function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  if (Number(req.headers['content-length']) > max) return undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
