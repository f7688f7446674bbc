/**
 * The WebContainer runtime: runs the examples in the Node.js that StackBlitz's WebContainer puts
 * in the reader's browser tab. The facts it is built around (shared/design.md, and a read of
 * @webcontainer/api 1.6.4 against its docs and working projects):
 * - one instance per page, shared by every example on it; each run in a folder of its own
 *   (`<example>/run-<n>`, removed after), so a run still stopping never sees the next run's files;
 * - booted with explicit options (BOOT_OPTIONS: the COEP the book's headers send, a named workdir);
 *   offline, or with StackBlitz's service blocked, `boot()` never settles, so it is raced against a
 *   timeout (30 s: a cold boot is slow), and the failure is remembered; `warmUp()` starts it early;
 * - its Node (18 or 20) does not detect ES modules: every folder of ES modules gets a package.json
 *   of type module, `_support/` included;
 * - the library decodes output chunk by chunk, so programs run with ./utf8-guard.ts's guard;
 * - `kill()` may be ignored by a process in a hot loop, so `stop()` escalates, after a grace long
 *   enough for a slow but obedient exit, to tearing the whole instance down (the next run boots a
 *   fresh one); an `error` event of the container does the same and ends its programs with the reason;
 * - the same limits as the local runtime: the example's time limit, 64 MB of output;
 * - the page cannot fetch a server inside the container, so a server example's clients run inside
 *   it too, next to the book's image server.
 * Any failure to start (the image server, a mount, a spawn) is a RuntimeUnavailable: the reader
 * gets the reason and the recording, never an empty output.
 *
 * Only types come from '@webcontainer/api': the page hands in `boot`, so this module loads
 * nothing by itself and the tests drive it with a fake and with real processes.
 */
import type { BootOptions, FileSystemAPI, FileSystemTree, Unsubscribe, WebContainer, WebContainerProcess } from '@webcontainer/api';
import { deferred, TIMED_OUT, within, type Deferred } from '../lib/async.ts';
import { errorMessage as reason } from '../lib/errors.ts';
import { LineSplitter } from '../lib/lines.ts';
import { cutToBytes, utf8Length } from '../lib/utf8.ts';
import { programTimeLimit, RUN_LIMITS } from './limits.ts';
import { ENGLISH, type Words } from './messages.ts';
import { OUTPUT_GUARD, TerminalText } from './utf8-guard.ts';
import { RunAborted, RuntimeUnavailable, type OutputSink, type RunningProgram, type Runtime, type RunOptions, type RunSpec } from './types.ts';

/** The part of a WebContainer this runtime uses (so a test's container need not be a whole one). */
export type Container = Pick<WebContainer, 'mount' | 'spawn' | 'on' | 'teardown'> & { readonly fs: Pick<FileSystemAPI, 'rm'> };

/**
 * How the page boots its WebContainer. `coep` is what the book's headers send (src/runtime/isolation.ts;
 * the library warns when an isolated page boots without it); the named workdir makes paths in
 * stack traces read `/home/asyncio-book/07-execution-order/run-1/main.js`.
 */
export const BOOT_OPTIONS = Object.freeze({ coep: 'require-corp', workdirName: 'asyncio-book' } satisfies BootOptions);

export interface WebContainerRuntimeOptions {
  /** Boots the page's WebContainer with these options; the page passes `WebContainer.boot`, tests their own. */
  boot: (options: BootOptions) => Promise<Container>;
  /** How long `boot()` may take before the runtime counts as unavailable. Default 30 s (a cold boot). */
  bootTimeoutMs?: number;
  /** Plain-JS files shared by all examples (e.g. `image-server.js`), mounted under `_support/`. */
  supportFiles: () => Promise<Record<string, string>>;
  /** How long a stopped program may take to exit before the instance is torn down. Default 3 s. */
  killGraceMs?: number;
  /** How long to wait for the image server's, or a server example's, "ready" line. Default 20 s. */
  readyTimeoutMs?: number;
  /** Longest run of a program (and of a client), in ms; the spec's `timeoutMs` may lower it. Default 60 s. */
  programTimeoutMs?: number;
  /** Longest run of a server example, in ms. Default 15 min. */
  serverTimeoutMs?: number;
  /** Most output one run may print, in bytes. Default 64 MB. */
  outputLimitBytes?: number;
  /**
   * The image server's port inside the container (default 8765). Each container is private to its
   * page, so the ports are fixed there; tests on a shared machine pass free ones.
   */
  imageServerPort?: number;
  /** The port a server example is given in PORT (default 8080). */
  serverPort?: number;
  /** The page's language, for what the runtime says to the reader. Default English. */
  words?: Words;
}

export interface WebContainerRuntime extends Runtime {
  readonly name: 'webcontainer';
  warmUp(): void;
}

/** The folder (relative to the container's workdir) with the files shared by all examples. */
const SUPPORT_DIR = '_support';
const GUARD_FILE = 'output-guard.cjs';
/** From a run's folder (`<example>/run-<n>`) to the guard: a relative path, as cwd and mounts are relative to the workdir. */
const GUARD_FROM_RUN = `../../${SUPPORT_DIR}/${GUARD_FILE}`;
const MODULE_PACKAGE = '{ "type": "module" }\n';
/** The exit code reported for a program that went down with its instance: 128 + SIGKILL. */
const KILLED = 137;
/** After a process exits, how long its last output may still take to arrive. */
const OUTPUT_DRAIN_MS = 100;
const IMAGE_SERVER_READY = /^image-server ready (\S+)/;
/** The server example prints "Serving on http://…"; "listening on …" covers a reader's own server. */
const SERVER_READY = /(?:Serving on|[Ll]istening on)\s+(https?:\/\/[^\s)]+)/;

/** Why a program's instance went away, as that program's end tells it. */
type Ending = { kind: 'restarted'; forIt: boolean } | { kind: 'lost'; message: string };

/** An instance and what runs in it; all of it goes when the instance is torn down. */
interface Instance {
  readonly container: Container;
  /** Ends each running program of this instance (its process dies with it). */
  readonly programs: Set<(ending: Ending) => void>;
  /** Releases the output readers of this instance's processes: a torn-down instance never closes them. */
  readonly readers: Set<() => void>;
  /** Resolves with the reason once the instance is gone: what is still starting in it gives up. */
  readonly gone: Deferred<string>;
  readonly unsubscribe: Unsubscribe;
  support?: Promise<void>;
  imageServer?: Promise<string>;
}

export function createWebContainerRuntime(options: WebContainerRuntimeOptions): WebContainerRuntime {
  const bootTimeoutMs = options.bootTimeoutMs ?? 30_000;
  const killGraceMs = options.killGraceMs ?? 3000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const programTimeoutMs = options.programTimeoutMs ?? RUN_LIMITS.programTimeoutMs;
  const serverTimeoutMs = options.serverTimeoutMs ?? RUN_LIMITS.serverTimeoutMs;
  const outputLimitBytes = options.outputLimitBytes ?? RUN_LIMITS.outputLimitBytes;
  const imageServerPort = options.imageServerPort ?? 8765;
  const serverPort = options.serverPort ?? 8080;
  const words = options.words ?? ENGLISH;
  const label = words.say('runtime.webcontainer.label');
  const seconds = (ms: number) => ms / 1000;

  // One instance per runtime object; the page makes one runtime object (choice.ts).
  let current: Promise<Instance> | undefined;
  let live: Instance | undefined;
  /** Why no WebContainer could be booted: later runs fail fast with the same reason. */
  let failure: RuntimeUnavailable | undefined;
  let supportTree: Promise<FileSystemTree> | undefined;
  let runs = 0;

  function instance(): Promise<Instance> {
    if (failure) return Promise.reject(failure);
    current ??= bootInstance();
    return current;
  }

  async function bootInstance(): Promise<Instance> {
    const booting = (async () => options.boot({ ...BOOT_OPTIONS }))(); // a boot() that throws at once also rejects
    let booted: Container | typeof TIMED_OUT;
    try {
      booted = await within(booting, bootTimeoutMs);
    } catch (error) {
      failure = new RuntimeUnavailable(words.say('runtime.webcontainer.bootFailed', { detail: reason(error) }), 'webcontainer');
      throw failure;
    }
    if (booted === TIMED_OUT) {
      failure = new RuntimeUnavailable(words.say('runtime.webcontainer.bootTimeout', { seconds: seconds(bootTimeoutMs) }), 'webcontainer');
      // The boot is still pending and may yet succeed on a slow network: then the next Run uses it.
      booting.then(
        (container) => {
          failure = undefined;
          current = Promise.resolve(adopt(container));
        },
        () => {},
      );
      throw failure;
    }
    return adopt(booted);
  }

  function adopt(container: Container): Instance {
    const gone = deferred<string>();
    const inst: Instance = {
      container,
      programs: new Set(),
      readers: new Set(),
      gone,
      // An internal error of the service leaves the instance in an unknown state: it goes, with the reason.
      unsubscribe: container.on('error', (error) => {
        const message = words.say('runtime.webcontainer.error', { detail: error.message });
        tearDown(inst, message, () => ({ kind: 'lost', message }));
      }),
    };
    live = inst;
    return inst;
  }

  /**
   * Tears the instance down, its processes with it; the next run boots a new one. `why` goes to what
   * is still starting in it, `ending` says to each running program how it ended.
   */
  function tearDown(inst: Instance, why: string, ending: (end: (ending: Ending) => void) => Ending): void {
    if (live === inst) {
      live = undefined;
      current = undefined;
    }
    inst.unsubscribe();
    try {
      inst.container.teardown();
    } catch {
      // already torn down: nothing left to release
    }
    inst.gone.resolve(why);
    for (const release of [...inst.readers]) release();
    // Ended even if the instance went before: stop() must never wait for a process that is gone.
    for (const end of [...inst.programs]) end(ending(end));
  }

  /** The shared files, fetched once per page and mounted once per instance. */
  function mountSupport(inst: Instance): Promise<void> {
    inst.support ??= (async () => {
      supportTree ??= options.supportFiles().then((files) => folder({ ...files, [GUARD_FILE]: OUTPUT_GUARD, 'package.json': MODULE_PACKAGE }, words));
      const directory = await supportTree.catch((error: unknown) => {
        supportTree = undefined; // let the next run try again
        throw error;
      });
      await inst.container.mount({ [SUPPORT_DIR]: { directory } });
    })().catch((error: unknown) => {
      inst.support = undefined;
      throw error;
    });
    return inst.support;
  }

  /** The book's image server, started once per instance; resolves with its URL. */
  function imageServer(inst: Instance): Promise<string> {
    if (!inst.imageServer) {
      // Forgotten when it fails to start or dies later, so that the next run starts it again.
      const forget = () => {
        if (inst.imageServer === starting) inst.imageServer = undefined;
      };
      const starting = startImageServer(inst, forget);
      starting.catch(forget);
      inst.imageServer = starting;
    }
    return inst.imageServer;
  }

  async function startImageServer(inst: Instance, onExit: () => void): Promise<string> {
    await mountSupport(inst);
    // Started by a relative path from inside its folder: `node` resolves an absolute path against
    // the container's real root, while cwd and mounts are relative to its workdir.
    const child = await inst.container.spawn('node', ['image-server.js'], {
      cwd: SUPPORT_DIR,
      env: { NODE_NO_WARNINGS: '1', IMAGE_SERVER_PORT: String(imageServerPort) },
    });
    const seen: string[] = [];
    const ready = deferred<string>();
    const watch = lines((line) => {
      seen.push(line);
      if (seen.length > 50) seen.shift();
      const match = IMAGE_SERVER_READY.exec(line);
      if (match?.[1]) ready.resolve(match[1]);
    });
    void pump(child.output, inst, watch); // read to the end, or the stream would hold its output back
    const exited = child.exit.then(
      (code) => words.say('runtime.webcontainer.imageServerExited', { code }),
      (error: unknown) => words.say('runtime.webcontainer.imageServerLost', { detail: reason(error) }),
    );
    void exited.then(onExit);
    void inst.gone.promise.then(onExit);
    const outcome = await within(Promise.race([ready.promise.then((url) => ({ url })), exited, inst.gone.promise]), readyTimeoutMs);
    if (typeof outcome === 'object') return outcome.url;
    kill(child);
    const how = outcome === TIMED_OUT ? words.say('runtime.webcontainer.imageServerSilent', { seconds: seconds(readyTimeoutMs) }) : outcome;
    const said = lastWords(seen);
    throw new RuntimeUnavailable(said ? `${how} ${words.say('runtime.webcontainer.imageServerOutput', { line: said })}` : how, 'webcontainer');
  }

  /** Spawns `node <args>` in a run's folder and follows it until it exits or its instance goes. */
  async function launch(
    inst: Instance,
    cwd: string,
    args: string[],
    env: Record<string, string>,
    onOutput: OutputSink,
    limits: { timeoutMs: number; watch?: (text: string) => void },
  ): Promise<RunningProgram> {
    const child = await inst.container.spawn('node', ['--require', GUARD_FROM_RUN, ...args], { cwd, env });
    let done = false;
    let limited = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const exited = deferred<number>();
    const exit = exited.promise;
    exit.catch(() => {}); // a client's exit may have no reader: its failure must not go unhandled
    const finish = (outcome: { code: number } | { error: Error }, message?: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      inst.programs.delete(end);
      if (message) onOutput(message, 'system');
      if ('code' in outcome) exited.resolve(outcome.code);
      else exited.reject(outcome.error);
    };
    const end = (ending: Ending) => {
      if (ending.kind === 'lost') return finish({ error: new Error(ending.message) });
      const message = ending.forIt ? words.say('runtime.webcontainer.restarted', { seconds: seconds(killGraceMs) }) : words.say('runtime.webcontainer.restartedOther');
      finish({ code: KILLED }, `${message}\n`);
    };
    inst.programs.add(end);

    const stop = async () => {
      if (done) return;
      kill(child);
      // A hot loop never yields to the kill: then only tearing the instance down ends it.
      if ((await within(exit.catch(() => 0), killGraceMs)) === TIMED_OUT) {
        tearDown(inst, words.say('runtime.webcontainer.restartedOther'), (which) => ({ kind: 'restarted', forIt: which === end }));
      }
      await exit.catch(() => {});
    };
    const limit = (message: string) => {
      if (done || limited) return;
      limited = true;
      onOutput(`${message}\n`, 'system');
      void stop();
    };
    timer = setTimeout(() => limit(words.say('runtime.limit.time', { limit: words.duration(limits.timeoutMs), runtime: label })), limits.timeoutMs);

    // stdout and stderr arrive mixed in one terminal stream: all of it is reported as stdout.
    let printed = 0;
    const deliver = (text: string) => {
      if (done || limited || !text) return; // nothing after the end reaches the page, nor past a limit
      const room = outputLimitBytes - printed;
      const size = utf8Length(text);
      printed += size;
      const part = size > room ? cutToBytes(text, room) : text;
      if (part) {
        onOutput(part, 'stdout');
        limits.watch?.(part);
      }
      if (size > room) limit(words.say('runtime.limit.output', { limit: words.bytes(outputLimitBytes), runtime: label }));
    };
    const drained = pump(child.output, inst, deliver);
    child.exit.then(
      async (code) => {
        await within(drained, OUTPUT_DRAIN_MS); // the last chunks may come just after the exit
        finish({ code });
      },
      (error: unknown) => finish({ error: new Error(words.say('runtime.webcontainer.lost', { detail: reason(error) })) }),
    );
    return { exit, stop };
  }

  async function run(spec: RunSpec, onOutput: OutputSink, runOptions: RunOptions = {}): Promise<RunningProgram> {
    const { signal } = runOptions;
    // A WebContainer has Node only; the page then runs the Python itself (choice.ts falls back).
    if (spec.language === 'python') throw new RuntimeUnavailable(words.say('runtime.webcontainer.noPython'), 'webcontainer');
    if (!live && !failure) runOptions.onProgress?.(words.say('runtime.webcontainer.booting', { seconds: seconds(bootTimeoutMs) }));
    const inst = await until(instance(), signal); // a boot that fails is a RuntimeUnavailable already
    const run = `run-${++runs}`;
    const dir = `${spec.exampleId}/${run}`;
    let mounting: Promise<void> | undefined;
    try {
      await until(mountSupport(inst), signal);
      // Mounted afresh on every run, in a folder of its own: the reader may have edited the files.
      const files = folder({ ...spec.files, 'package.json': MODULE_PACKAGE }, words);
      mounting = inst.container.mount({ [spec.exampleId]: { directory: { [run]: { directory: files } } } });
      await until(mounting, signal);
      const env: Record<string, string> = { NODE_NO_WARNINGS: '1', ...spec.env };
      if (spec.imageServer) env.IMAGE_SERVER = await until(imageServer(inst), signal);
      const { program, settled } = spec.server
        ? await startServer(inst, dir, spec, env, onOutput)
        : await launch(inst, dir, [spec.entry, ...(spec.args ?? [])], env, onOutput, { timeoutMs: programTimeLimit(spec.timeoutMs, programTimeoutMs) }).then((p) => ({ program: p, settled: p.exit }));
      void settled.catch(() => {}).finally(() => remove(inst, dir));
      if (signal?.aborted) {
        await program.stop(); // Stop or a newer Run came while it was starting
        throw new RunAborted();
      }
      return program;
    } catch (error) {
      void mounting?.then(() => remove(inst, dir), () => {}); // also after a mount that finished once the run was abandoned
      if (error instanceof RunAborted || error instanceof RuntimeUnavailable) throw error;
      throw new RuntimeUnavailable(words.say('runtime.webcontainer.startFailed', { detail: reason(error) }), 'webcontainer');
    }
  }

  /**
   * A server: ready when the container reports its port open, or when the program says so itself.
   * `settled` resolves when the server and every client it had are gone (then its folder can go).
   */
  async function startServer(
    inst: Instance,
    dir: string,
    spec: RunSpec,
    env: Record<string, string>,
    onOutput: OutputSink,
  ): Promise<{ program: RunningProgram; settled: Promise<unknown> }> {
    env.PORT = String(serverPort);
    let url = `http://127.0.0.1:${serverPort}`; // the examples' servers listen on 127.0.0.1
    const readiness = deferred<void>();
    const ready = readiness.promise;
    const markReady = () => readiness.resolve();
    const unsubscribe = [
      inst.container.on('port', (port, type) => port === serverPort && type === 'open' && markReady()),
      inst.container.on('server-ready', (port) => port === serverPort && markReady()),
    ];
    let watch: ((text: string) => void) | undefined = lines((line) => {
      const match = SERVER_READY.exec(line);
      if (match?.[1]) {
        url = match[1].replace(/\/$/, '');
        markReady();
      }
    });
    const stopWatching = () => {
      watch = undefined;
      for (const off of unsubscribe.splice(0)) off();
    };
    void ready.then(stopWatching);
    let server: RunningProgram;
    try {
      server = await launch(inst, dir, [spec.entry, ...(spec.args ?? [])], env, onOutput, { timeoutMs: serverTimeoutMs, watch: (text) => watch?.(text) });
    } catch (error) {
      stopWatching();
      throw error;
    }
    let exitCode: number | undefined;
    const clients = new Set<RunningProgram>();
    const stopClients = () => Promise.all([...clients].map((client) => client.stop()));
    const ended = server.exit.then(
      (code) => void (exitCode = code),
      () => void (exitCode = KILLED),
    );
    // Nothing of a server's session outlives it: its clients would only wait for a server that is gone.
    void ended.then(() => {
      stopWatching();
      return stopClients();
    });
    const settled = ended.then(() => Promise.all([...clients].map((client) => client.exit.catch(() => {}))));

    const program: RunningProgram = {
      exit: server.exit,
      async stop() {
        await Promise.all([server.stop(), stopClients()]);
      },
      // Clients run inside the container: the page itself cannot fetch the server (design facts).
      async startClient(entry: string, clientArgs: string[], clientOutput: OutputSink) {
        const outcome = await within(Promise.race([ready, ended]), readyTimeoutMs);
        if (exitCode !== undefined) throw new Error(words.say('runtime.server.exited', { code: exitCode }));
        if (outcome === TIMED_OUT) throw new Error(words.say('runtime.server.slow', { seconds: seconds(readyTimeoutMs) }));
        const clientEnv: Record<string, string> = { ...env, SCRAPER_SERVER: url };
        delete clientEnv.PORT; // the server's, not the client's
        const client = await launch(inst, dir, [entry, ...clientArgs], clientEnv, clientOutput, { timeoutMs: programTimeLimit(spec.timeoutMs, programTimeoutMs) });
        clients.add(client);
        void client.exit.catch(() => {}).finally(() => clients.delete(client));
        return client;
      },
    };
    return { program, settled };
  }

  /** Removes a run's folder once nothing runs in it; a torn-down instance has no files left to remove. */
  function remove(inst: Instance, dir: string): void {
    if (live !== inst) return;
    inst.container.fs.rm(dir, { recursive: true, force: true }).catch(() => {});
  }

  /**
   * Reads a process's output to its end, passing the program's text on as it comes, until the
   * stream ends or the instance goes (a torn-down instance never closes its streams).
   */
  async function pump(output: ReadableStream<string>, inst: Instance, write: (text: string) => void): Promise<void> {
    const reader = output.getReader();
    const release = () => void reader.cancel().catch(() => {});
    inst.readers.add(release);
    const text = new TerminalText();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        write(text.push(value));
      }
      write(text.flush());
    } catch {
      // the instance was torn down: its streams end without closing properly
    } finally {
      inst.readers.delete(release);
      reader.releaseLock();
    }
  }

  return {
    name: 'webcontainer',
    label,
    eventLoopDiffers: true,
    run,
    warmUp() {
      void instance()
        .then(mountSupport)
        .catch(() => {}); // the first run reports what went wrong
    },
  };
}

// ---- helpers ------------------------------------------------------------------------------

function kill(child: WebContainerProcess): void {
  try {
    child.kill();
  } catch {
    // already gone (or its instance is): nothing to kill
  }
}

/** The promise's value, or RunAborted as soon as the signal says the run is no longer wanted. */
function until<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new RunAborted());
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(new RunAborted());
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** A folder's tree from file names (which may contain `/`) and their text. */
function folder(files: Record<string, string>, words: Words = ENGLISH): FileSystemTree {
  const root: FileSystemTree = {};
  for (const [name, contents] of Object.entries(files)) {
    const parts = name.split('/').filter((part) => part !== '' && part !== '.');
    let directory = root;
    for (const part of parts.slice(0, -1)) {
      const node = (directory[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(words.say('runtime.webcontainer.notAFolder', { name, part }));
      directory = node.directory;
    }
    directory[parts[parts.length - 1]!] = { file: { contents } };
  }
  return root;
}

/** Turns a stream of chunks into calls of `onLine` with each complete line (long ones cut short). */
function lines(onLine: (line: string) => void): (text: string) => void {
  const splitter = new LineSplitter({ maxLineChars: 10_000 });
  return (text) => {
    for (const line of splitter.push(text)) onLine(line.text);
  };
}

/** What a failed process said that explains it: its last error line, else its last line (cut short). */
function lastWords(seen: string[]): string {
  const said = seen.map((line) => line.trim()).filter(Boolean);
  const line = [...said].reverse().find((text) => /^\w*Error\b|^Error:/.test(text)) ?? said.at(-1) ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

