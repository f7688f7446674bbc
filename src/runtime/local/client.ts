/**
 * The local runtime, page side: when this project serves the book (`npm start`, `npm run dev`),
 * the examples run with the Node of the machine that serves it, through the endpoints of
 * ./server/handler.ts. On the static site those endpoints do not exist, and
 * connectLocalRuntime() says so by resolving null.
 *
 * Stopping a program is aborting its request: the server kills the program when the connection
 * closes, which also happens by itself when the reader leaves the page.
 *
 * Plain browser code (fetch, streams, TextDecoder), so that node:test runs it as it is.
 */
import { RuntimeUnavailable, type OutputSink, type RunningProgram, type Runtime, type RunSpec } from '../types.ts';
import { LOCAL_RUNTIME_BASE, SECRET_HEADER, type LocalRuntimeEvent, type SessionInfo } from './protocol.ts';

/** The exit code given to a program that was stopped and whose exit the server could not report. */
const STOPPED = 143;
const NOT_RUNNING = 'The server is not running any more: start it again.';
/** How long a client waits for its server to accept connections. */
const SERVER_READY_MS = 20_000;

/**
 * The local runtime of the server that served this page, or null when there is none (the static
 * site, or `npm start -- --no-runtime`). `fetchImpl` lets tests add the headers a browser would.
 */
export async function connectLocalRuntime(
  fetchImpl: typeof fetch = (input, init) => fetch(input, init),
): Promise<Runtime | null> {
  const first = await getSession(fetchImpl);
  if (!first) return null;
  let secret = first.secret;

  async function post(spec: RunSpec, signal: AbortSignal): Promise<Response> {
    const send = () =>
      fetchImpl(`${LOCAL_RUNTIME_BASE}run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [SECRET_HEADER]: secret },
        body: JSON.stringify(spec),
        cache: 'no-store',
        signal,
      });
    let response: Response;
    try {
      response = await send();
      if (response.status === 401) {
        // The book's server restarted since the page loaded, with a new secret: ask for it once.
        const fresh = await getSession(fetchImpl);
        if (fresh) {
          secret = fresh.secret;
          response = await send();
        }
      }
    } catch (error) {
      throw new RuntimeUnavailable(`The book's local server cannot be reached (was it stopped?): ${reason(error)}`, 'local');
    }
    if (!response.ok || !response.body) throw new Error(await errorText(response));
    return response;
  }

  async function launch(spec: RunSpec, onOutput: OutputSink): Promise<Launched> {
    const controller = new AbortController();
    const response = await post(spec, controller.signal);

    let stopping = false;
    let settled = false;
    let settle: (code: number) => void = () => {};
    let fail: (error: Error) => void = () => {};
    const exit = new Promise<number>((resolve, reject) => {
      settle = (code) => {
        settled = true;
        resolve(code);
      };
      fail = (error) => {
        settled = true;
        reject(error);
      };
    });
    exit.catch(() => {}); // a client's exit may have no reader: its failure must not go unhandled

    let markListening: (url: string) => void = () => {};
    const listening = new Promise<string>((resolve) => (markListening = resolve));

    const onEvent = (event: LocalRuntimeEvent) => {
      if (settled) return;
      if (event.type === 'output') onOutput(event.text, event.stream);
      else if (event.type === 'limit') onOutput(`${event.message}\n`, 'system');
      else if (event.type === 'listening') markListening(event.url);
      else if (event.type === 'exit') settle(event.code);
    };
    readEvents(response.body!, onEvent).then(
      () => {
        if (settled) return;
        if (stopping) settle(STOPPED);
        else fail(new Error('The connection to the local runtime ended before the program did (was the book’s server stopped?).'));
      },
      (error: unknown) => {
        if (settled) return;
        if (stopping) settle(STOPPED);
        else fail(new Error(`The connection to the local runtime was lost: ${reason(error)}`));
      },
    );

    return {
      exit,
      listening,
      async stop() {
        if (!settled) {
          stopping = true;
          controller.abort();
        }
        await exit.catch(() => {});
      },
    };
  }

  async function run(spec: RunSpec, onOutput: OutputSink): Promise<RunningProgram> {
    const program = await launch(spec, onOutput);
    if (!spec.server) return { exit: program.exit, stop: program.stop };

    const clients = new Set<RunningProgram>();
    let over = false;
    const ended = program.exit.then(
      () => void (over = true),
      () => void (over = true),
    );
    return {
      exit: program.exit,
      async stop() {
        await Promise.all([program.stop(), ...[...clients].map((client) => client.stop())]);
      },
      async startClient(entry: string, args: string[], clientOutput: OutputSink): Promise<RunningProgram> {
        if (over) throw new Error(NOT_RUNNING);
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(resolve, SERVER_READY_MS, 'timeout')));
        const outcome = await Promise.race([program.listening, ended.then(() => 'ended' as const), timeout]).finally(() =>
          clearTimeout(timer),
        );
        if (outcome === 'ended') throw new Error(NOT_RUNNING);
        if (outcome === 'timeout') {
          throw new Error(`The server did not accept connections within ${SERVER_READY_MS / 1000} s (does it listen on the port in PORT?).`);
        }
        const client = await launch(
          {
            exampleId: spec.exampleId,
            files: spec.files,
            entry,
            args,
            env: { ...spec.env, SCRAPER_SERVER: outcome },
            imageServer: spec.imageServer,
          },
          clientOutput,
        );
        const running: RunningProgram = { exit: client.exit, stop: client.stop };
        clients.add(running);
        void client.exit.finally(() => clients.delete(running)).catch(() => {});
        return running;
      },
    };
  }

  return { name: 'local', label: `local Node ${first.node}`, run };
}

interface Launched {
  exit: Promise<number>;
  /** A server's URL once it accepts connections. */
  listening: Promise<string>;
  stop(): Promise<void>;
}

/** The session, or null when this page's server has no local runtime (or refuses this page). */
async function getSession(fetchImpl: typeof fetch): Promise<SessionInfo | null> {
  try {
    const response = await fetchImpl(`${LOCAL_RUNTIME_BASE}session`, { cache: 'no-store' });
    if (!response.ok) return null;
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null) return null;
    const { secret, node } = body as Record<string, unknown>;
    return typeof secret === 'string' && typeof node === 'string' ? { secret, node } : null;
  } catch {
    return null; // offline, or a static host that answered with a page instead of JSON
  }
}

/** Calls `onEvent` with each JSON line of the stream as it arrives. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: LocalRuntimeEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let partial = '';
  const handle = (line: string) => {
    if (line.trim()) onEvent(JSON.parse(line) as LocalRuntimeEvent);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const lines = (partial + decoder.decode(value, { stream: true })).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) handle(line);
    }
    handle(partial + decoder.decode());
  } finally {
    reader.releaseLock();
  }
}

/** The server's own words for a refused run ({"error": "…"}), or the HTTP status. */
async function errorText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const { error } = JSON.parse(text) as { error?: unknown };
    if (typeof error === 'string') return `The local runtime refused to run the program: ${error}`;
  } catch {
    // not JSON: fall back to the status
  }
  return `The local runtime answered ${response.status} ${response.statusText}.`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
