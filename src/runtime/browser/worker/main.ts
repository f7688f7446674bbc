/**
 * The in-page runtime's worker: one per run of a program, and one per Node worker thread it
 * starts. It installs the layer (Node's globals and built-in modules, ./builtins.ts, on Node's event
 * loop, ./loop.ts), links the program's files (./linker.ts) and imports the entry; the program ends
 * as a Node program ends (nothing left to do, process.exit(), an uncaught exception), and the page
 * ends the worker then, or at once on Stop (`terminate()`, which ends even `while (true) {}`).
 *
 * Confinement: a worker has no DOM, no access to the page's objects or to the book's storage
 * (localStorage, sessionStorage); the layer also takes away what a Node program has no use for
 * and could reach the origin's data or the page with: IndexedDB, the Cache API, importScripts,
 * XMLHttpRequest, and the worker's own line to the page (postMessage).
 */
import { Buffer } from 'buffer/index.js'; // the npm package's file, never Node's built-in
import { PROGRAM_ROOT, type ProgramEvent, type StartProgram, type ThreadMessage, type WorkerWords } from '../protocol.ts';
import { createBuiltins, builtinName, type Builtin } from './builtins.ts';
import { errorText, format, inspect } from './format.ts';
import { link, prepareLinker } from './linker.ts';
import { channelHost, EventLoop, Immediate } from './loop.ts';
import { Network } from './net.ts';
import { Output } from './output.ts';
import { createProcess, ProcessExit, type NodeProcess } from './process.ts';
import { installSharedMemoryStandIn } from './shared-memory.ts';
import { StackMap } from './stack.ts';
import { createFetch } from './fetch.ts';
import { createParentPort, createWorkerClass } from './threads.ts';

/** The worker's global scope; the project's TypeScript has the DOM's types, not the worker's. */
interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
  Worker: typeof Worker;
  fetch: typeof fetch;
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
  location: { href: string };
  addEventListener(type: 'error', listener: (event: ErrorEvent) => void): void;
  addEventListener(type: 'unhandledrejection', listener: (event: PromiseRejectionEvent) => void): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}
const scope = self as unknown as WorkerScope;
const post = scope.postMessage.bind(scope);
const NativeWorker = scope.Worker;
const nativeFetch = scope.fetch.bind(scope);
const nativeSetTimeout = scope.setTimeout.bind(scope);
const nativeClearTimeout = scope.clearTimeout.bind(scope);
const workerUrl = scope.location.href;

// A worker may be started ahead of its run (the runtime keeps a spare): get ready meanwhile.
prepareLinker();

scope.onmessage = (event: MessageEvent<StartProgram | ThreadMessage>) => {
  const message = event.data;
  if (message.type === 'start') {
    scope.onmessage = null;
    void runProgram(message);
  } else if (message.type === 'thread-start') {
    void runThread(message);
  }
};

function say(words: WorkerWords, name: string): string {
  return words.missing.replace('{name}', name);
}

class MissingApi extends Error {
  constructor(words: WorkerWords, name: string) {
    super(say(words, name));
    this.name = 'Error';
    Object.assign(this, { code: 'ERR_NOT_IN_PAGE_RUNTIME' });
  }
}

interface Layer {
  loop: EventLoop;
  output: Output;
  process: NodeProcess;
  modules: Map<string, Builtin>;
  stacks: StackMap;
  /** Program files by the name stacks show, for the line an error points at. */
  sources: Map<string, string>;
  /** Ends the program with a code: 'exit' listeners, the last output, the message. */
  finish(code: number): void;
  ended(): boolean;
  /** What to do when nothing holds the program any more (the runner sets it). */
  onIdle: () => void;
  /** A worker thread's `parentPort`, null in the main program. */
  parentPort: ReturnType<typeof createParentPort> | null;
}

/** What a program is started with (see StartProgram), and where its output and end go. */
interface LayerOptions extends Omit<StartProgram, 'type'> {
  send(stream: 'stdout' | 'stderr', text: string): void;
  /** The program has ended with this code. */
  done(code: number): void;
  /** Set for a Node worker thread: what `node:worker_threads` tells it about itself. */
  thread?: { workerData: unknown; threadId: number; post(message: ThreadMessage): void };
}

function installLayer(options: LayerOptions): Layer {
  const root = `${PROGRAM_ROOT}/${options.exampleId}`;
  const missing = (name: string) => new MissingApi(options.words, name);
  const output = new Output(options.send, nativeSetTimeout, nativeClearTimeout);
  let over = false;
  let layer: Layer;
  const loop: EventLoop = new EventLoop({
    host: channelHost(nativeSetTimeout, nativeClearTimeout),
    onUncaught: (error) => fatal(layer, error),
    onIdle: () => layer.onIdle(),
  });
  const finish = (code: number) => {
    if (over) return;
    over = true;
    try {
      process.emit('exit', code);
    } catch (error) {
      output.write('stderr', `${describe(layer, error)}\n`);
    }
    output.flush();
    loop.close();
    options.done(code);
  };
  const process = createProcess({
    loop,
    output,
    argv: ['/usr/local/bin/node', `${root}/${options.entry}`, ...options.args],
    env: { ...options.env },
    cwd: root,
    exit(code) {
      finish(code);
      throw new ProcessExit(code);
    },
    missing,
  });
  const net = new Network(options.network, loop);
  const timers = {
    setTimeout: (callback: () => void, ms?: number, ...args: unknown[]) => loop.setTimeout(callback, ms, args),
    clearTimeout: (handle: unknown) => loop.clear(handle),
    setInterval: (callback: () => void, ms?: number, ...args: unknown[]) => loop.setTimeout(callback, ms, args, true),
    clearInterval: (handle: unknown) => loop.clear(handle),
    setImmediate: (callback: () => void, ...args: unknown[]) => loop.setImmediate(callback, args),
    clearImmediate: (handle: unknown) => {
      if (handle instanceof Immediate) loop.clear(handle);
    },
  };
  const parentPort = options.thread ? createParentPort(loop, options.thread.post) : null;
  const files = new Map(Object.entries(options.files).map(([name, source]) => [`${root}/${name}`, source]));
  const Worker = createWorkerClass({ loop, output, workerUrl, NativeWorker, env: process.env, words: options.words, missing });
  const modules = createBuiltins({
    loop,
    net,
    process,
    nativeFetch,
    files,
    threads: {
      Worker,
      isMainThread: !options.thread,
      parentPort,
      workerData: options.thread?.workerData ?? null,
      threadId: options.thread?.threadId ?? 0,
    },
    timers,
    missing,
  });
  installSharedMemoryStandIn(globalThis);
  const console = createConsole(output, () => layer);
  const globals: Record<string, unknown> = {
    process,
    Buffer,
    global: globalThis,
    console,
    fetch: createFetch(net, loop, nativeFetch),
    ...timers,
  };
  for (const [name, value] of Object.entries(globals)) Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  // Nothing a Node program needs, and each a way to the book's data or to the page (see above).
  for (const name of ['indexedDB', 'caches', 'importScripts', 'XMLHttpRequest', 'Worker', 'postMessage', 'onmessage', 'close', 'cookieStore']) {
    for (let object: object | null = globalThis; object; object = Object.getPrototypeOf(object)) {
      if (Object.prototype.hasOwnProperty.call(object, name)) {
        try {
          delete (object as Record<string, unknown>)[name];
        } catch {
          // not configurable in this browser: left as it is
        }
      }
    }
  }
  layer = {
    loop,
    output,
    process,
    modules,
    stacks: new StackMap(),
    sources: new Map(),
    finish,
    ended: () => over,
    onIdle: () => {},
    parentPort,
  };
  return layer;
}

function createConsole(output: Output, layerOf: () => Layer) {
  let indent = '';
  const counts = new Map<string, number>();
  const times = new Map<string, number>();
  const line = (stream: 'stdout' | 'stderr', args: unknown[]) => {
    // An error prints its stack with the reader's file names (object-inspect calls `inspect()`).
    const text = format(...args.map((a) => (a instanceof Error ? new PrintedError(layerOf().stacks.rewrite(errorText(a))) : a)));
    output.write(stream, `${indent ? text.replace(/^/gm, indent) : text}\n`);
  };
  return {
    log: (...args: unknown[]) => line('stdout', args),
    info: (...args: unknown[]) => line('stdout', args),
    debug: (...args: unknown[]) => line('stdout', args),
    error: (...args: unknown[]) => line('stderr', args),
    warn: (...args: unknown[]) => line('stderr', args),
    trace: (...args: unknown[]) => line('stderr', [`Trace: ${format(...args)}\n${layerOf().stacks.rewrite(new Error().stack ?? '').split('\n').slice(1).join('\n')}`]),
    dir: (value: unknown) => output.write('stdout', `${inspect(value)}\n`),
    table: (value: unknown) => line('stdout', [value]),
    assert: (condition: unknown, ...args: unknown[]) => {
      if (!condition) line('stderr', [`Assertion failed${args.length ? `: ${format(...args)}` : ''}`]);
    },
    count: (label = 'default') => {
      const n = (counts.get(label) ?? 0) + 1;
      counts.set(label, n);
      line('stdout', [`${label}: ${n}`]);
    },
    countReset: (label = 'default') => counts.delete(label),
    time: (label = 'default') => times.set(label, performance.now()),
    timeLog: (label = 'default', ...args: unknown[]) => line('stdout', [`${label}: ${elapsed(times.get(label))}`, ...args]),
    timeEnd: (label = 'default') => {
      line('stdout', [`${label}: ${elapsed(times.get(label))}`]);
      times.delete(label);
    },
    group: (...args: unknown[]) => {
      if (args.length) line('stdout', args);
      indent += '  ';
    },
    groupEnd: () => {
      indent = indent.slice(2);
    },
  };
}

function elapsed(start: number | undefined): string {
  if (start === undefined) return 'no such label';
  const ms = performance.now() - start;
  return ms >= 1000 ? `${(ms / 1000).toFixed(3)}s` : `${ms.toFixed(3)}ms`;
}

/** A value that formats as the text it holds (an error's rewritten stack). */
class PrintedError {
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.text;
  }
  inspect(): string {
    return this.text;
  }
}

/** An uncaught error as Node prints it: where it was thrown, with the line, then the stack. */
function describe(layer: Layer, error: unknown): string {
  if (!(error instanceof Error)) return `Uncaught ${inspect(error)}`;
  const stack = errorText(error);
  const where = layer.stacks.firstFrame(stack);
  let head = '';
  if (where) {
    const source = layer.sources.get(where.name)?.split('\n')[where.line - 1];
    if (source !== undefined) head = `${where.name}:${where.line}\n${source}\n${' '.repeat(Math.max(0, where.column - 1))}^\n\n`;
  }
  return `${head}${layer.stacks.rewrite(stack)}`;
}

function fatal(layer: Layer, error: unknown): void {
  if (layer.ended() || error instanceof ProcessExit) return;
  if (layer.process.listenerCount('uncaughtException') > 0) {
    try {
      layer.process.emit('uncaughtException', error, 'uncaughtException');
      return;
    } catch (again) {
      error = again;
    }
  }
  layer.output.write('stderr', `${describe(layer, error)}\n`);
  layer.finish(typeof (error as { code?: unknown }).code === 'number' ? 7 : 1);
}

function watchUncaught(layer: Layer): void {
  scope.addEventListener('error', (event) => {
    event.preventDefault();
    fatal(layer, event.error ?? new Error(event.message));
  });
  scope.addEventListener('unhandledrejection', (event) => {
    event.preventDefault();
    if (event.reason instanceof ProcessExit || layer.ended()) return;
    if (layer.process.listenerCount('unhandledRejection') > 0) {
      layer.process.emit('unhandledRejection', event.reason, event.promise);
      return;
    }
    fatal(layer, event.reason);
  });
}

async function runProgram(start: StartProgram): Promise<void> {
  const send = (message: ProgramEvent) => post(message);
  let layer: Layer;
  try {
    layer = installLayer({
      ...start,
      send: (stream, text) => send({ type: 'output', stream, text }),
      done: (code) => send({ type: 'exit', code }),
    });
  } catch (error) {
    send({ type: 'output', stream: 'stderr', text: `${errorText(error as Error)}\n` });
    send({ type: 'exit', code: 1 });
    return;
  }
  watchUncaught(layer);
  const root = `${PROGRAM_ROOT}/${start.exampleId}`;
  // Loading the modules is not the program: hold the loop open until its code starts running.
  const loading = layer.loop.hold();
  const started = Symbol.for('asyncio-book.started');
  Object.defineProperty(globalThis, started, { value: () => loading(), configurable: true });
  const builtinUrls = new Map<string, string>();
  const linked = await link({
    files: start.files,
    entryPrelude: 'globalThis[Symbol.for("asyncio-book.started")]();',
    entry: start.entry,
    root,
    builtins: {
      url: (specifier) => {
        const name = builtinName(specifier);
        const builtin = layer.modules.get(name);
        if (!builtin) return null;
        let url = builtinUrls.get(name);
        if (!url) {
          const holder = Symbol.for('asyncio-book.builtin');
          const registry = ((globalThis as Record<symbol, unknown>)[holder] ??= new Map()) as Map<string, unknown>;
          registry.set(name, builtin.value);
          const exported = builtin.exports.filter((n) => /^[A-Za-z_$][\w$]*$/.test(n) && n !== 'default');
          const source =
            `const m = globalThis[Symbol.for("asyncio-book.builtin")].get(${JSON.stringify(name)});\nexport default m;\n` +
            exported.map((n) => `export const ${n} = m[${JSON.stringify(n)}];`).join('\n');
          url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
          builtinUrls.set(name, url);
        }
        return url;
      },
      exports: (specifier) => layer.modules.get(builtinName(specifier))?.exports ?? null,
    },
    moduleUrl: (source) => URL.createObjectURL(new Blob([source], { type: 'text/javascript' })),
  });
  if (!linked.ok) {
    send({ type: 'missing', name: linked.missing });
    layer.finish(1);
    return;
  }
  for (const [name, url] of linked.urls) {
    const shown = `file://${root}/${name}`;
    layer.stacks.add(url, shown, linked.shifts.get(name));
    layer.sources.set(shown, start.files[name] ?? '');
  }
  let settled = false;
  layer.onIdle = () => {
    if (!settled) {
      // As Node: a top-level await that nothing will ever settle ends the program with code 13.
      layer.output.write('stderr', `Warning: Detected unsettled top-level await at file://${root}/${start.entry}\n`);
      layer.finish(13);
      return;
    }
    // The browser reports a rejection nobody handled in a task of its own, after the microtasks:
    // one more task, so that such a rejection ends the program with code 1, as in Node.
    nativeSetTimeout(() => {
      if (layer.ended() || layer.loop.alive) return;
      const code = layer.process.exitCode ?? 0;
      layer.process.emit('beforeExit', code);
      if (!layer.loop.alive) layer.finish(layer.process.exitCode ?? 0);
    }, 1);
  };
  try {
    await import(/* @vite-ignore */ linked.entryUrl);
    settled = true;
  } catch (error) {
    loading();
    settled = true;
    fatal(layer, error);
  }
  layer.loop.changed();
}

async function runThread(start: Extract<ThreadMessage, { type: 'thread-start' }>): Promise<void> {
  const postThread = (message: ThreadMessage) => post(message);
  // A worker thread has no line into the page's loopback network: its requests are refused.
  const network = refusingNetwork();
  const layer = installLayer({
    exampleId: 'worker',
    files: {},
    entry: 'worker.js',
    args: [],
    env: start.env,
    words: start.words,
    network,
    send: (stream, text) => postThread({ type: 'thread-output', stream, text }),
    done: (code) => postThread({ type: 'thread-exit', code }),
    thread: { workerData: start.workerData, threadId: 1, post: postThread },
  });
  const port = layer.parentPort;
  watchUncaught(layer);
  scope.addEventListener('message', (event: MessageEvent<ThreadMessage>) => {
    if (event.data.type === 'thread-message') {
      const value = event.data.value;
      layer.loop.io(() => port?.emit('message', value));
    }
  });
  const require = (specifier: string) => {
    const builtin = layer.modules.get(builtinName(specifier));
    if (!builtin) throw new MissingApi(start.words, specifier);
    return builtin.value;
  };
  const module = { exports: {} as unknown };
  // Its frames read `worker-<id>.js:line:column`, a name no stack rewriting needs to touch.
  const sourceUrl = `worker-${Math.random().toString(36).slice(2)}.js`;
  layer.onIdle = () => {
    layer.process.emit('beforeExit', layer.process.exitCode ?? 0);
    if (!layer.loop.alive) layer.finish(layer.process.exitCode ?? 0);
  };
  try {
    const run = new Function('require', 'module', 'exports', '__filename', '__dirname', `${start.code}\n//# sourceURL=${sourceUrl}`);
    run(require, module, module.exports, '[worker eval]', '.');
  } catch (error) {
    if (!(error instanceof ProcessExit)) {
      const e = error instanceof Error ? error : new Error(String(error));
      postThread({ type: 'thread-error', name: e.name, message: e.message, stack: layer.stacks.rewrite(errorText(e)) });
      layer.finish(1);
      return;
    }
  }
  layer.loop.changed();
}

function refusingNetwork(): MessagePort {
  const channel = new MessageChannel();
  channel.port2.onmessage = (event: MessageEvent<{ type: string; id: number; port: number }>) => {
    const { type, id, port } = event.data;
    if (type === 'request') channel.port2.postMessage({ type: 'failed', id, code: 'ECONNREFUSED' });
    if (type === 'listen') channel.port2.postMessage({ type: 'listen-failed', id, port, code: 'EADDRINUSE' });
  };
  return channel.port1;
}
