/**
 * The WebContainer runtime: runs the examples in the Node.js that StackBlitz's WebContainer puts
 * in the reader's browser tab. The facts it is built around (shared/design.md):
 * - one instance per page, shared by every example on it, each example in its own folder;
 * - offline, or with StackBlitz's service blocked, `boot()` never settles, so it is raced against
 *   a timeout, and the failure is remembered (a second `boot()` would throw anyway);
 * - `kill()` may be ignored by a process in a hot loop, so `stop()` escalates to tearing the
 *   whole instance down; the next run boots a fresh one;
 * - the page cannot fetch a server inside the container, so a server example's clients run inside
 *   it too, next to the book's image server.
 *
 * Only types come from '@webcontainer/api': the page hands in `boot`, so this module loads
 * nothing by itself and the tests drive it with a fake.
 */
import type { FileSystemTree, WebContainer, WebContainerProcess } from '@webcontainer/api';
import { deferred, TIMED_OUT, within } from '../lib/async.ts';
import { errorMessage as reason } from '../lib/errors.ts';
import { LineSplitter } from '../lib/lines.ts';
import { ENGLISH, type Words } from './messages.ts';
import { RunAborted, RuntimeUnavailable, type OutputSink, type RunningProgram, type Runtime, type RunOptions, type RunSpec } from './types.ts';

/** The part of a WebContainer this runtime uses (so a test's fake need not be a whole one). */
export type Container = Pick<WebContainer, 'mount' | 'spawn' | 'on' | 'teardown'>;

export interface WebContainerRuntimeOptions {
  /** Boots the page's WebContainer; the page passes `() => WebContainer.boot()`, tests a fake. */
  boot: () => Promise<Container>;
  /** How long `boot()` may take before the runtime counts as unavailable. Default 10 s. */
  bootTimeoutMs?: number;
  /** Plain-JS files shared by all examples (e.g. `image-server.js`), mounted under `_support/`. */
  supportFiles: () => Promise<Record<string, string>>;
  /** How long a stopped program may take to exit before the instance is torn down. Default 1 s. */
  killGraceMs?: number;
  /** How long to wait for the image server's, or a server example's, "ready" line. Default 20 s. */
  readyTimeoutMs?: number;
  /** The page's language, for what the runtime says to the reader. Default English. */
  words?: Words;
}

export interface WebContainerRuntime extends Runtime {
  readonly name: 'webcontainer';
}

/** The folder (relative to the container's workdir) with the files shared by all examples. */
const SUPPORT_DIR = '_support';
const IMAGE_SERVER_PORT = 8765;
/** Each container is private to its page, so the server example can always have the same port. */
const SERVER_PORT = 8080;
/** The exit code reported for a program that went down with its instance: 128 + SIGKILL. */
const KILLED = 137;
/** After a process exits, how long its last output may still take to arrive. */
const OUTPUT_DRAIN_MS = 100;
const IMAGE_SERVER_READY = /^image-server ready (\S+)/;
/** The server example prints "Serving on http://…"; "listening on …" covers a reader's own server. */
const SERVER_READY = /(?:Serving on|[Ll]istening on)\s+(https?:\/\/[^\s)]+)/;

/** An instance and what runs in it; all of it goes when the instance is torn down. */
interface Instance {
  readonly container: Container;
  /** Ends each running program as "killed" (its process dies with the instance). */
  readonly programs: Set<(restartedForIt: boolean) => void>;
  support?: Promise<void>;
  imageServer?: Promise<string>;
}

export function createWebContainerRuntime(options: WebContainerRuntimeOptions): WebContainerRuntime {
  const bootTimeoutMs = options.bootTimeoutMs ?? 10_000;
  const killGraceMs = options.killGraceMs ?? 1000;
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const words = options.words ?? ENGLISH;
  const seconds = (ms: number) => ms / 1000;

  // One instance per runtime object; the page makes one runtime object (runtime-choice.ts).
  let current: Promise<Instance> | undefined;
  let live: Instance | undefined;
  /** Why no WebContainer could be booted: later runs fail fast with the same reason. */
  let failure: RuntimeUnavailable | undefined;
  let supportTree: Promise<FileSystemTree> | undefined;

  function instance(): Promise<Instance> {
    if (failure) return Promise.reject(failure);
    current ??= bootInstance();
    return current;
  }

  async function bootInstance(): Promise<Instance> {
    const booting = (async () => options.boot())(); // a boot() that throws at once also rejects
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
    live = { container, programs: new Set() };
    return live;
  }

  /** Tears the instance down (its processes with it); the next run boots a new one. */
  function restart(inst: Instance, stopped: (restartedForIt: boolean) => void): void {
    if (live === inst) {
      live = undefined;
      current = undefined;
      try {
        inst.container.teardown();
      } catch {
        // already torn down: nothing left to release
      }
    }
    // Ended even if the instance went before: stop() must never wait for a process that is gone.
    for (const end of [...inst.programs]) end(end === stopped);
  }

  /** The shared files, fetched once per page and mounted once per instance. */
  function mountSupport(inst: Instance): Promise<void> {
    inst.support ??= (async () => {
      supportTree ??= options.supportFiles().then(folder);
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
      env: { NODE_NO_WARNINGS: '1', IMAGE_SERVER_PORT: String(IMAGE_SERVER_PORT) },
    });
    let seen = '';
    const ready = deferred<string>();
    const watch = lines((line) => {
      seen = (seen + line + '\n').slice(-500);
      const match = IMAGE_SERVER_READY.exec(line);
      if (match?.[1]) ready.resolve(match[1]);
    });
    void pump(child.output, watch); // read to the end, or the stream would hold its output back
    const exited = child.exit.then(
      (code) => ({ how: words.say('runtime.webcontainer.imageServerExited', { code }) }),
      (error: unknown) => ({ how: words.say('runtime.webcontainer.lost', { detail: reason(error) }) }),
    );
    void exited.then(onExit);
    const outcome = await within(Promise.race([ready.promise, exited]), readyTimeoutMs);
    if (typeof outcome === 'string') return outcome;
    kill(child);
    const how = outcome === TIMED_OUT ? words.say('runtime.webcontainer.imageServerSilent', { seconds: seconds(readyTimeoutMs) }) : outcome.how;
    throw new Error(`${how}${seen ? ` ${words.say('runtime.webcontainer.imageServerOutput')}\n${seen}` : ''}`);
  }

  /** Spawns `node <args>` in a folder and follows it until it exits or its instance goes. */
  async function launch(
    inst: Instance,
    cwd: string,
    args: string[],
    env: Record<string, string>,
    onOutput: OutputSink,
    watch?: (text: string) => void,
  ): Promise<RunningProgram> {
    const child = await inst.container.spawn('node', args, { cwd, env });
    let done = false;
    const exited = deferred<number>();
    const exit = exited.promise;
    const settle = (code: number) => exited.resolve(code);
    const finish = (code: number, message?: string) => {
      if (done) return;
      done = true;
      inst.programs.delete(end);
      if (message) onOutput(message, 'system');
      settle(code);
    };
    const end = (restartedForIt: boolean) =>
      finish(
        KILLED,
        restartedForIt
          ? `${words.say('runtime.webcontainer.restarted', { seconds: seconds(killGraceMs) })}\n`
          : `${words.say('runtime.webcontainer.restartedOther')}\n`,
      );
    inst.programs.add(end);

    // stdout and stderr arrive mixed in one terminal stream: all of it is reported as stdout.
    const drained = pump(child.output, (text) => {
      onOutput(text, 'stdout');
      watch?.(text);
    });
    child.exit.then(
      async (code) => {
        await within(drained, OUTPUT_DRAIN_MS); // the last chunks may come just after the exit
        finish(code);
      },
      (error: unknown) => finish(1, `${words.say('runtime.webcontainer.lost', { detail: reason(error) })}\n`),
    );

    return {
      exit,
      async stop() {
        if (done) return;
        kill(child);
        // A hot loop never yields to the kill: then only tearing the instance down ends it.
        if ((await within(exit, killGraceMs)) === TIMED_OUT) restart(inst, end);
        await exit;
      },
    };
  }

  async function run(spec: RunSpec, onOutput: OutputSink, runOptions: RunOptions = {}): Promise<RunningProgram> {
    const inst = await instance();
    await mountSupport(inst);
    if (runOptions.signal?.aborted) throw new RunAborted(); // Stop or a newer Run came during the boot
    const cwd = spec.exampleId;
    // Mounted afresh on every run: the reader may have edited the files since the last one.
    const files = { ...spec.files, 'package.json': '{ "type": "module" }\n' };
    await inst.container.mount({ [cwd]: { directory: folder(files, words) } });
    const env: Record<string, string> = { NODE_NO_WARNINGS: '1', ...spec.env };
    if (spec.imageServer) env.IMAGE_SERVER = await imageServer(inst);
    if (!spec.server) return launch(inst, cwd, [spec.entry, ...(spec.args ?? [])], env, onOutput);

    // A server: it is ready when the container reports its port open, or when it says so itself.
    env.PORT = String(SERVER_PORT);
    let url = `http://127.0.0.1:${SERVER_PORT}`; // the examples' servers listen on 127.0.0.1
    const readiness = deferred<void>();
    const ready = readiness.promise;
    const markReady = () => readiness.resolve();
    const unsubscribe = [
      inst.container.on('port', (port, type) => port === SERVER_PORT && type === 'open' && markReady()),
      inst.container.on('server-ready', (port) => port === SERVER_PORT && markReady()),
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
      server = await launch(inst, cwd, [spec.entry, ...(spec.args ?? [])], env, onOutput, (text) => watch?.(text));
    } catch (error) {
      stopWatching();
      throw error;
    }
    let exitCode: number | undefined;
    void server.exit.then((code) => {
      exitCode = code;
      stopWatching();
    });

    return {
      exit: server.exit,
      stop: () => server.stop(),
      // Clients run inside the container: the page itself cannot fetch the server (design facts).
      async startClient(entry: string, clientArgs: string[], clientOutput: OutputSink) {
        const outcome = await within(Promise.race([ready, server.exit]), readyTimeoutMs);
        if (exitCode !== undefined) throw new Error(words.say('runtime.server.exited', { code: exitCode }));
        if (outcome === TIMED_OUT) throw new Error(words.say('runtime.server.slow', { seconds: seconds(readyTimeoutMs) }));
        const clientEnv: Record<string, string> = { ...env, SCRAPER_SERVER: url };
        delete clientEnv.PORT; // the server's, not the client's
        return launch(inst, cwd, [entry, ...clientArgs], clientEnv, clientOutput);
      },
    };
  }

  return {
    name: 'webcontainer',
    label: words.say('runtime.webcontainer.label'),
    run,
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
    directory[parts[parts.length - 1]] = { file: { contents } };
  }
  return root;
}

/**
 * Reads a process's output to its end, passing each chunk on as it comes. The output is a
 * terminal's, whose line ends are \r\n: they become \n, as the other runtimes give them.
 */
async function pump(output: ReadableStream<string>, write: (text: string) => void): Promise<void> {
  const reader = output.getReader();
  let heldCr = false; // the last chunk ended in \r, whose \n may start the next one
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let text: string = (heldCr ? '\r' : '') + value;
      heldCr = text.endsWith('\r');
      if (heldCr) text = text.slice(0, -1);
      text = text.replace(/\r\n/g, '\n');
      if (text) write(text);
    }
  } catch {
    // the instance was torn down: its streams end without closing properly
  } finally {
    if (heldCr) write('\r');
    reader.releaseLock();
  }
}

/** Turns a stream of chunks into calls of `onLine` with each complete line (long ones cut short). */
function lines(onLine: (line: string) => void): (text: string) => void {
  const splitter = new LineSplitter({ maxLineChars: 10_000 });
  return (text) => {
    for (const line of splitter.push(text)) onLine(line.text);
  };
}
