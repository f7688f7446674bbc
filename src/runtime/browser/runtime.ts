/**
 * The in-page runtime: runs the examples in this page, in Web Workers, with no server and no
 * third-party service, so they run on any static host, in every browser, inside a course page's
 * frame. Each run is a module worker of its own (./worker/main.ts) with a small layer for the
 * parts of Node the book's programs use; Stop is `terminate()`, which ends even `while (true) {}`
 * at once. The book's image server runs here too, as a program in a worker of its own (the same
 * source, the same PNGs and delays as under Node), reached over the page's loopback network
 * (./network.ts), as are a server example and its clients. The same limits as the other live
 * runtimes: the example's time limit, 64 MB of output.
 */
import { deferred, TIMED_OUT, within } from '../../lib/async.ts';
import { programTimeLimit, RUN_LIMITS } from '../limits.ts';
import { ENGLISH, type Words } from '../messages.ts';
import { RunAborted, RuntimeUnavailable, type OutputSink, type RunningProgram, type Runtime, type RunOptions, type RunSpec } from '../types.ts';
import { LoopbackNetwork } from './network.ts';
import { outputCap } from './output-cap.ts';
import { pyodideLabel } from './python/files.ts';
import { createPythonRunner, type PythonRunner } from './python/runner.ts';
import type { ProgramEvent, StartProgram } from './protocol.ts';

/** The port the book's image server listens on, as under Node (`IMAGE_SERVER_PORT`'s default). */
export const IMAGE_SERVER_PORT = 8765;
/** Code of a program ended by Stop or by a limit, as a killed process reports it. */
const KILLED = 137;

export interface BrowserRuntimeOptions {
  words?: Words;
  /** Makes a worker for one run (the page: the bundled ./worker/main.ts). */
  createWorker: () => Worker;
  /** The image server's program (plain JavaScript), loaded with the first run that needs it. */
  imageServerSource: () => Promise<string>;
  /** How long the image server, or a server example, may take to listen. Default 10 s. */
  readyTimeoutMs?: number;
  programTimeoutMs?: number;
  serverTimeoutMs?: number;
  outputLimitBytes?: number;
  /**
   * The Python versions: a module worker of ./python/worker.ts, and the absolute URL of the folder
   * with Pyodide's files. Left out, a Python run is unavailable.
   */
  python?: { createWorker: () => Worker; indexURL: string };
}

interface Started {
  program: RunningProgram;
  /** The worker has ended (for whatever reason). */
  gone: Promise<void>;
}

export function createBrowserRuntime(options: BrowserRuntimeOptions): Runtime {
  const words = options.words ?? ENGLISH;
  const label = words.say('runtime.browser.label');
  const network = new LoopbackNetwork();
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const programTimeoutMs = options.programTimeoutMs ?? RUN_LIMITS.programTimeoutMs;
  const serverTimeoutMs = options.serverTimeoutMs ?? RUN_LIMITS.serverTimeoutMs;
  const outputLimitBytes = options.outputLimitBytes ?? RUN_LIMITS.outputLimitBytes;
  let imageServer: Promise<string> | undefined;
  let python: PythonRunner | undefined;
  /**
   * The worker for the next run, started when the previous run started: a worker's script and its
   * layer take tens of milliseconds to load, which a later Run then does not wait for.
   */
  let spare: Worker | undefined;
  const nextWorker = (): Worker => {
    const worker = spare ?? options.createWorker();
    spare = options.createWorker();
    return worker;
  };

  /** Starts one program in a worker of its own. */
  function start(
    program: Omit<StartProgram, 'type' | 'network' | 'words'>,
    onOutput: OutputSink,
    timeoutMs: number,
  ): Started {
    const worker = nextWorker();
    const connection = network.connect();
    const exited = deferred<number>();
    const gone = deferred<void>();
    let done = false;
    const cap = outputCap(outputLimitBytes);
    const finish = (code: number, message?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      worker.terminate();
      connection.close();
      if (message) onOutput(`${message}\n`, 'system');
      exited.resolve(code);
      gone.resolve();
    };
    const timer = setTimeout(
      () => finish(KILLED, words.say('runtime.limit.time', { limit: words.duration(timeoutMs), runtime: label })),
      timeoutMs,
    );
    worker.onmessage = (event: MessageEvent<ProgramEvent>) => {
      if (done) return;
      const message = event.data;
      if (message.type === 'output') {
        const { part, over } = cap(message.text);
        if (part) onOutput(part, message.stream);
        if (over) finish(KILLED, words.say('runtime.limit.output', { limit: words.bytes(outputLimitBytes), runtime: label }));
      } else if (message.type === 'missing') {
        onOutput(`${words.say('runtime.browser.missing', { name: message.name })}\n`, 'stderr');
      } else if (message.type === 'exit') {
        finish(message.code);
      }
    };
    worker.onerror = (event) => {
      // An error the layer could not report itself (the worker's script failed to load, or ran out of memory).
      event.preventDefault();
      finish(1, words.say('runtime.browser.crashed', { detail: event.message || 'no details' }));
    };
    const start: StartProgram = { type: 'start', ...program, words: { missing: words.say('runtime.browser.missing', { name: '{name}' }) }, network: connection.port };
    worker.postMessage(start, [connection.port]);
    return {
      program: {
        exit: exited.promise,
        stop: async () => finish(KILLED),
      },
      gone: gone.promise,
    };
  }

  /** The page's image server: started with the first run that needs it, and kept for the page's life. */
  function imageServerUrl(): Promise<string> {
    imageServer ??= (async () => {
      const source = await options.imageServerSource();
      const url = `http://127.0.0.1:${IMAGE_SERVER_PORT}`;
      let said = '';
      const server = start(
        {
          exampleId: '_support',
          files: { 'image-server.js': source },
          entry: 'image-server.js',
          args: [],
          env: { IMAGE_SERVER_PORT: String(IMAGE_SERVER_PORT) },
        },
        (text) => void (said = (said + text).slice(-300)),
        // A helper of every run on the page, not a run: no time limit of its own.
        2 ** 31 - 1,
      );
      const outcome = await within(
        Promise.race([network.listening(IMAGE_SERVER_PORT).then(() => 'ready' as const), server.gone.then(() => 'gone' as const)]),
        readyTimeoutMs,
      );
      if (outcome !== 'ready') {
        void server.program.stop();
        imageServer = undefined;
        throw new RuntimeUnavailable(words.say('runtime.browser.imageServer', { detail: said.trim() || '—' }), 'browser');
      }
      void server.gone.then(() => (imageServer = undefined));
      return url;
    })();
    return imageServer;
  }

  async function run(spec: RunSpec, onOutput: OutputSink, runOptions: RunOptions = {}): Promise<RunningProgram> {
    const { signal } = runOptions;
    if (signal?.aborted) throw new RunAborted();
    if (spec.language === 'python') {
      if (!options.python) throw new RuntimeUnavailable(words.say('runtime.browser.noPython'), 'browser');
      python ??= createPythonRunner({ words, ...options.python, outputLimitBytes });
      return python.run(spec, onOutput, programTimeLimit(spec.timeoutMs, programTimeoutMs), runOptions);
    }
    const env: Record<string, string> = { ...spec.env };
    if (spec.imageServer) env.IMAGE_SERVER = await imageServerUrl();
    if (signal?.aborted) throw new RunAborted();
    const program = { exampleId: spec.exampleId, files: spec.files, entry: spec.entry, args: spec.args ?? [] };
    if (!spec.server) return start({ ...program, env }, onOutput, programTimeLimit(spec.timeoutMs, programTimeoutMs)).program;

    const port = network.freePort();
    env.PORT = String(port);
    const server = start({ ...program, env }, onOutput, serverTimeoutMs);
    let exitCode: number | undefined;
    void server.program.exit.then((code) => (exitCode = code));
    const clients = new Set<RunningProgram>();
    const stopClients = () => Promise.all([...clients].map((client) => client.stop()));
    void server.gone.then(stopClients);
    return {
      exit: server.program.exit,
      async stop() {
        await Promise.all([server.program.stop(), stopClients()]);
      },
      async startClient(entry, args, clientOutput) {
        const ready = await within(Promise.race([network.listening(port), server.gone]), readyTimeoutMs);
        if (exitCode !== undefined) throw new Error(words.say('runtime.server.exited', { code: exitCode }));
        if (ready === TIMED_OUT) throw new Error(words.say('runtime.server.slow', { seconds: Math.round(readyTimeoutMs / 1000) }));
        const clientEnv: Record<string, string> = { ...env, SCRAPER_SERVER: `http://127.0.0.1:${port}` };
        delete clientEnv.PORT; // the server's, not the client's
        const client = start({ ...program, entry, args, env: clientEnv }, clientOutput, programTimeLimit(spec.timeoutMs, programTimeoutMs)).program;
        clients.add(client);
        void client.exit.finally(() => clients.delete(client));
        return client;
      },
    };
  }

  return {
    name: 'browser',
    label,
    ...(options.python ? { pythonLabel: pyodideLabel(words) } : {}),
    run,
  };
}
