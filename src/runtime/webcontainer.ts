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
import { RuntimeUnavailable, type OutputSink, type RunningProgram, type Runtime, type RunSpec } from './types.ts';

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
}

export interface WebContainerRuntime extends Runtime {
  readonly name: 'webcontainer';
  /**
   * Boots ahead of the first Run, e.g. when an example scrolls into view (and starts the image
   * server if asked). Rejects with RuntimeUnavailable when there is no WebContainer to be had.
   */
  prepare(options?: { imageServer?: boolean }): Promise<void>;
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
      failure = new RuntimeUnavailable(`The WebContainer could not start: ${reason(error)}`, 'webcontainer');
      throw failure;
    }
    if (booted === TIMED_OUT) {
      failure = new RuntimeUnavailable(
        `The WebContainer did not start within ${bootTimeoutMs / 1000} s: this browser is offline, or StackBlitz's service, which WebContainers need, is blocked.`,
        'webcontainer',
      );
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
    let found: (url: string) => void = () => {};
    const ready = new Promise<string>((resolve) => (found = resolve));
    const watch = lines((line) => {
      seen = (seen + line + '\n').slice(-500);
      const match = IMAGE_SERVER_READY.exec(line);
      if (match) found(match[1]);
    });
    void pump(child.output, watch); // read to the end, or the stream would hold its output back
    const exited = child.exit.then((code) => `exited with code ${code}`, reason);
    void exited.then(onExit);
    const outcome = await within(Promise.race([ready, exited.then((how) => ({ how }))]), readyTimeoutMs);
    if (typeof outcome === 'string') return outcome;
    kill(child);
    const how = outcome === TIMED_OUT ? `did not say it was ready within ${readyTimeoutMs / 1000} s` : outcome.how;
    throw new Error(`The image server ${how}.${seen ? ` Its output:\n${seen}` : ''}`);
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
    let settle: (code: number) => void = () => {};
    const exit = new Promise<number>((resolve) => (settle = resolve));
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
          ? `The program did not stop within ${killGraceMs / 1000} s, so the sandbox was restarted; the next run starts a fresh one.\n`
          : 'The sandbox was restarted because another program in it would not stop; this program ended with it.\n',
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
      (error: unknown) => finish(1, `The sandbox lost track of the program: ${reason(error)}\n`),
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

  async function run(spec: RunSpec, onOutput: OutputSink): Promise<RunningProgram> {
    const inst = await instance();
    await mountSupport(inst);
    const cwd = spec.exampleId;
    // Mounted afresh on every run: the reader may have edited the files since the last one.
    const files = { ...spec.files, 'package.json': '{ "type": "module" }\n' };
    await inst.container.mount({ [cwd]: { directory: folder(files) } });
    const env: Record<string, string> = { NODE_NO_WARNINGS: '1', ...spec.env };
    if (spec.imageServer) env.IMAGE_SERVER = await imageServer(inst);
    if (!spec.server) return launch(inst, cwd, [spec.entry, ...(spec.args ?? [])], env, onOutput);

    // A server: it is ready when the container reports its port open, or when it says so itself.
    env.PORT = String(SERVER_PORT);
    let url = `http://127.0.0.1:${SERVER_PORT}`; // the examples' servers listen on 127.0.0.1
    let markReady: () => void = () => {};
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const unsubscribe = [
      inst.container.on('port', (port, type) => port === SERVER_PORT && type === 'open' && markReady()),
      inst.container.on('server-ready', (port) => port === SERVER_PORT && markReady()),
    ];
    let watch: ((text: string) => void) | undefined = lines((line) => {
      const match = SERVER_READY.exec(line);
      if (match) {
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
        if (exitCode !== undefined) throw new Error(`The server is not running (it exited with code ${exitCode}).`);
        if (outcome === TIMED_OUT) throw new Error(`The server did not start listening within ${readyTimeoutMs / 1000} s.`);
        const clientEnv: Record<string, string> = { ...env, SCRAPER_SERVER: url };
        delete clientEnv.PORT; // the server's, not the client's
        return launch(inst, cwd, [entry, ...clientArgs], clientEnv, clientOutput);
      },
    };
  }

  return {
    name: 'webcontainer',
    label: 'WebContainer', // a name, the same in every language of the book
    run,
    async prepare(prepareOptions = {}) {
      const inst = await instance();
      await mountSupport(inst);
      if (prepareOptions.imageServer) await imageServer(inst);
    },
  };
}

// ---- helpers ------------------------------------------------------------------------------

const TIMED_OUT = Symbol('timed out');

/** The promise's outcome, or TIMED_OUT after `ms`; the timer does not outlive the race. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(resolve, ms, TIMED_OUT)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function kill(child: WebContainerProcess): void {
  try {
    child.kill();
  } catch {
    // already gone (or its instance is): nothing to kill
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A folder's tree from file names (which may contain `/`) and their text. */
function folder(files: Record<string, string>): FileSystemTree {
  const root: FileSystemTree = {};
  for (const [name, contents] of Object.entries(files)) {
    const parts = name.split('/').filter((part) => part !== '' && part !== '.');
    let directory = root;
    for (const part of parts.slice(0, -1)) {
      const node = (directory[part] ??= { directory: {} });
      if (!('directory' in node)) throw new Error(`Cannot put ${name} in the sandbox: ${part} is a file.`);
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

/** Turns a stream of chunks into calls of `onLine` with each complete line. */
function lines(onLine: (line: string) => void): (text: string) => void {
  let partial = '';
  return (text) => {
    const pieces = (partial + text).split('\n');
    partial = (pieces.pop() ?? '').slice(-10_000); // a line without end cannot grow without bound
    for (const piece of pieces) onLine(piece);
  };
}
