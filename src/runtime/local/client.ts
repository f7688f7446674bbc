/**
 * The local runtime, page side: when this project serves the book (`npm start`, `npm run dev`),
 * the examples run with the Node of the machine that serves it, through the endpoints of
 * ./server/handler.ts (the wire is ./protocol.ts). On the static site those endpoints do not exist,
 * and connectLocalRuntime() says so by resolving null. A page opened without the token the terminal
 * printed (./token.ts) gets RuntimeUnavailable instead, whose words say how to get live runs.
 *
 * Stopping a program is aborting its request: the server kills the program when the connection
 * closes, which also happens by itself when the reader leaves the page.
 *
 * Plain browser code (fetch, streams, TextDecoder), so that node:test runs it as it is.
 */
import { deferred, TIMED_OUT, within } from '../../lib/async.ts';
import { LineSplitter } from '../../lib/lines.ts';
import { ENGLISH, type Words } from '../messages.ts';
import { RunAborted, RuntimeUnavailable, runtimeLabel, type OutputSink, type RunningProgram, type Runtime, type RunOptions, type RunSpec } from '../types.ts';
import { LOCAL_RUNTIME_BASE, TOKEN_HEADER, type LocalRuntimeEvent, type RefusalCode, type SessionInfo } from './protocol.ts';

/** The exit code given to a program that was stopped and whose exit the server could not report. */
const STOPPED = 143;
/** How long a client waits for its server to accept connections. */
const SERVER_READY_MS = 20_000;

export interface LocalRuntimeClientOptions {
  /** Tests pass a fetch that adds the headers a browser would; the page uses its own. */
  fetch?: typeof fetch;
  /** The page's language, for what the runtime says to the reader. */
  words?: Words;
  /** This tab's token (./token.ts), or null when the page was not opened with one. */
  token?: string | null;
}

/**
 * The local runtime of the server that served this page, or null when there is none (the static
 * site, or `npm start -- --no-runtime`). Rejects with RuntimeUnavailable when the server has one
 * but this tab lacks its token.
 */
export async function connectLocalRuntime(options: LocalRuntimeClientOptions = {}): Promise<Runtime | null> {
  const fetchImpl: typeof fetch = options.fetch ?? ((input, init) => fetch(input, init));
  const words = options.words ?? ENGLISH;
  const token = options.token ?? '';
  const first = await getSession(fetchImpl, token);
  if (!first) return null;
  if ('refused' in first) throw new RuntimeUnavailable(tokenWords(first.refused, words), 'local');
  const label = words.say('runtime.local.label', { version: first.node });
  const pythonLabel = first.python ? words.say('runtime.local.pythonLabel', { version: first.python }) : undefined;

  async function post(spec: RunSpec, signal: AbortSignal): Promise<Response> {
    const send = () =>
      fetchImpl(`${LOCAL_RUNTIME_BASE}run`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [TOKEN_HEADER]: token },
        body: JSON.stringify(spec),
        cache: 'no-store',
        signal,
      });
    let response: Response;
    try {
      response = await send();
    } catch {
      if (signal.aborted) throw new RunAborted();
      // The server that served this page is gone: the reader needs to know which one, and how to get it back.
      throw new RuntimeUnavailable(words.say('runtime.local.gone'), 'local');
    }
    if (response.status === 401) {
      // The book's server was restarted since the page loaded: it has a new token, in a new address.
      throw new RuntimeUnavailable(tokenWords(await refusalCode(response), words), 'local');
    }
    if (response.status === 503 && (await refusalCode(response.clone())) === 'no-python') {
      throw new RuntimeUnavailable(words.say('runtime.local.noPython'), 'local');
    }
    if (!response.ok || !response.body) throw new Error(await errorText(response, words));
    return response;
  }

  async function launch(spec: RunSpec, onOutput: OutputSink, outer?: AbortSignal): Promise<Launched> {
    const controller = new AbortController();
    const abort = () => controller.abort();
    outer?.addEventListener('abort', abort, { once: true });
    let response: Response;
    try {
      response = await post(spec, controller.signal);
    } finally {
      outer?.removeEventListener('abort', abort);
    }

    let stopping = false;
    let settled = false;
    const exit = deferred<number>();
    exit.promise.catch(() => {}); // a client's exit may have no reader: its failure must not go unhandled
    const settle = (code: number) => {
      settled = true;
      exit.resolve(code);
    };
    const fail = (error: Error) => {
      settled = true;
      exit.reject(error);
    };
    const listening = deferred<string>();

    const onEvent = (event: LocalRuntimeEvent) => {
      if (settled) return;
      if (event.type === 'output') onOutput(event.text, event.stream);
      else if (event.type === 'limit') onOutput(`${limitText(event, runtimeLabel({ label, pythonLabel }, spec.language))}\n`, 'system');
      else if (event.type === 'denied') onOutput(`${deniedText(event)}\n`, 'system');
      else if (event.type === 'listening') listening.resolve(event.url);
      else if (event.type === 'exit') settle(event.code);
    };
    readEvents(response.body!, onEvent).then(
      () => {
        if (settled) return;
        if (stopping) settle(STOPPED);
        else fail(new Error(words.say('runtime.local.lost')));
      },
      () => {
        if (settled) return;
        if (stopping) settle(STOPPED);
        else fail(new Error(words.say('runtime.local.lost')));
      },
    );

    return {
      exit: exit.promise,
      listening: listening.promise,
      async stop() {
        if (!settled) {
          stopping = true;
          controller.abort();
        }
        await exit.promise.catch(() => {});
      },
    };
  }

  function limitText(event: Extract<LocalRuntimeEvent, { type: 'limit' }>, runtime: string): string {
    // time and cpu are milliseconds, the others bytes (protocol.ts)
    const limit = event.reason === 'time' || event.reason === 'cpu' ? words.duration(event.limit) : words.bytes(event.limit);
    return words.say(`runtime.limit.${event.reason}`, { limit, runtime });
  }

  /** Why the program got ERR_ACCESS_DENIED, in the page's words. */
  function deniedText({ permission, resource }: Extract<LocalRuntimeEvent, { type: 'denied' }>): string {
    const values = { runtime: label, permission, resource: resource ?? '' };
    if (permission === 'FileSystemRead' && resource) return words.say('runtime.denied.read', values);
    if (permission === 'FileSystemWrite' && resource) return words.say('runtime.denied.write', values);
    if (permission === 'ChildProcess') return words.say('runtime.denied.childProcess', values);
    if (permission === 'WorkerThreads') return words.say('runtime.denied.worker', values);
    return words.say('runtime.denied.other', values);
  }

  async function run(spec: RunSpec, onOutput: OutputSink, options: RunOptions = {}): Promise<RunningProgram> {
    // The page falls back to the next runtime (the in-page Python, or the recording) with this reason.
    if (spec.language === 'python' && !pythonLabel) throw new RuntimeUnavailable(words.say('runtime.local.noPython'), 'local');
    const program = await launch(spec, onOutput, options.signal);
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
        if (over) throw new Error(words.say('runtime.server.gone'));
        const outcome = await within(Promise.race([program.listening, ended.then(() => 'ended' as const)]), SERVER_READY_MS);
        if (outcome === 'ended') throw new Error(words.say('runtime.server.gone'));
        if (outcome === TIMED_OUT) throw new Error(words.say('runtime.server.slow', { seconds: SERVER_READY_MS / 1000 }));
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

  return { name: 'local', label, ...(pythonLabel ? { pythonLabel } : {}), run };
}

interface Launched {
  exit: Promise<number>;
  /** A server's URL once it accepts connections. */
  listening: Promise<string>;
  stop(): Promise<void>;
}

/**
 * The session; `refused` when the server has a local runtime that this tab's token does not open;
 * null when this page's server has none (or refuses this page for another reason).
 */
async function getSession(fetchImpl: typeof fetch, token: string): Promise<SessionInfo | { refused: RefusalCode } | null> {
  try {
    const response = await fetchImpl(`${LOCAL_RUNTIME_BASE}session`, { cache: 'no-store', headers: token ? { [TOKEN_HEADER]: token } : {} });
    if (response.status === 401) return { refused: await refusalCode(response) };
    if (!response.ok) return null;
    const body: unknown = await response.json();
    if (typeof body !== 'object' || body === null) return null;
    const { node, python } = body as Record<string, unknown>;
    return typeof node === 'string' ? { node, python: typeof python === 'string' ? python : null } : null;
  } catch {
    return null; // offline, or a static host that answered with a page instead of JSON
  }
}

async function refusalCode(response: Response): Promise<RefusalCode> {
  try {
    const { code } = (await response.json()) as { code?: unknown };
    return code === 'token-wrong' || code === 'no-python' ? code : 'token-missing';
  } catch {
    return 'token-missing';
  }
}

/** What a reader without the right token reads: how to get live runs on this machine. */
function tokenWords(code: RefusalCode, words: Words): string {
  return words.say(code === 'token-wrong' ? 'runtime.local.newToken' : 'runtime.local.noToken');
}

/** Calls `onEvent` with each JSON line of the stream as it arrives. */
async function readEvents(body: ReadableStream<Uint8Array>, onEvent: (event: LocalRuntimeEvent) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const splitter = new LineSplitter({ crlf: false });
  const handle = (line: string) => {
    if (line.trim()) onEvent(JSON.parse(line) as LocalRuntimeEvent);
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const line of splitter.push(decoder.decode(value, { stream: true }))) handle(line.text);
    }
    const rest = splitter.push(decoder.decode());
    for (const line of rest) handle(line.text);
    const last = splitter.flush();
    if (last) handle(last.text);
  } finally {
    reader.releaseLock();
  }
}

/** The server's own words for a refused run ({"error": "…"}), or the HTTP status. */
async function errorText(response: Response, words: Words): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const { error, code } = JSON.parse(text) as { error?: unknown; code?: unknown };
    if (code === 'busy') return words.say('runtime.local.busy');
    if (code === 'closing') return words.say('runtime.local.closing');
    if (code === 'not-local') return words.say('runtime.local.notLocal', { detail: String(error ?? '') });
    if (typeof error === 'string') return words.say('runtime.local.refused', { detail: error });
  } catch {
    // not JSON: fall back to the status
  }
  return words.say('runtime.local.status', { status: response.status, statusText: response.statusText });
}

