/**
 * The layer's built-in modules: exactly the parts of Node the book's programs (and its image
 * server) use, with Node's names, and nothing that only looks like Node. A module the layer does
 * not have fails at link time (./linker.ts); a function a module does not have fails when it is
 * touched, each time with one line that names it (`fs.writeFileSync`) and says which runtime has
 * full Node. Chosen libraries: `buffer` and `events` (the browser ports of Node's own Buffer and
 * EventEmitter, used by every bundler's Node polyfills), `@noble/hashes` for synchronous hashes
 * (the browser's crypto.subtle is asynchronous only), `pako` for zlib (it writes byte for byte what
 * Node's zlib writes at the same settings, so the image server's PNGs have the same sizes).
 */
import { md5, sha1 } from '@noble/hashes/legacy.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { Buffer } from 'buffer/index.js'; // the npm package's file, never Node's built-in
import EventEmitter from 'events/events.js'; // the npm package's file, never Node's built-in
import { deflate, deflateRaw, gzip, inflate, inflateRaw } from 'pako';
import { format, inspect } from './format.ts';
import { ClientRequest, HttpClient, IncomingMessage, Server, ServerResponse, STATUS_CODES } from './http.ts';
import type { EventLoop } from './loop.ts';
import type { Network } from './net.ts';
import type { NodeProcess } from './process.ts';

export interface BuiltinContext {
  loop: EventLoop;
  net: Network;
  process: NodeProcess;
  nativeFetch: typeof fetch;
  /** The program's files, by path as the program sees them (`/book/<id>/main.js`). */
  files: ReadonlyMap<string, string>;
  threads: { Worker: unknown; isMainThread: boolean; parentPort: unknown; workerData: unknown; threadId: number };
  timers: {
    setTimeout: (...args: any[]) => unknown;
    clearTimeout: (handle: unknown) => void;
    setInterval: (...args: any[]) => unknown;
    clearInterval: (handle: unknown) => void;
    setImmediate: (...args: any[]) => unknown;
    clearImmediate: (handle: unknown) => void;
  };
  missing(name: string): Error;
}

export interface Builtin {
  /** What `import x from` and `require()` give. */
  value: unknown;
  /** The names `import { … } from` may take. */
  exports: readonly string[];
}

const HASHES = { md5, sha1, sha224, sha256, sha384, sha512 } as const;
type HashName = keyof typeof HASHES;

function hashOf(algorithm: string): (typeof HASHES)[HashName] | undefined {
  return HASHES[algorithm.toLowerCase().replace('-', '') as HashName];
}

function bytesOf(data: string | Uint8Array | ArrayBuffer, encoding?: BufferEncoding): Uint8Array {
  if (typeof data === 'string') return Buffer.from(data, encoding ?? 'utf8');
  return data instanceof ArrayBuffer ? new Uint8Array(data) : data;
}

/** A digest as Node's `digest()` gives it: a Buffer, or a string in the encoding asked for. */
function digestOut(bytes: Uint8Array, encoding?: BufferEncoding): Buffer | string {
  const buffer = Buffer.from(bytes);
  return encoding ? buffer.toString(encoding) : buffer;
}

export function createBuiltins(context: BuiltinContext): Map<string, Builtin> {
  const { loop, process, timers, missing } = context;
  const modules = new Map<string, Builtin>();
  /** A module whose unknown members say that they are missing, instead of being undefined. */
  const add = (name: string, members: Record<string, unknown>, value?: unknown) => {
    const guarded = new Proxy(members, {
      get(target, key, receiver) {
        if (typeof key === 'symbol' || key in target || PASS_THROUGH.has(key)) return Reflect.get(target, key, receiver);
        throw missing(`${name}.${key}`);
      },
    });
    modules.set(name, { value: value ?? guarded, exports: Object.keys(members) });
  };

  add('process', process as unknown as Record<string, unknown>, process);

  const promisesTimers = {
    setTimeout: (ms?: number, value?: unknown, options: { signal?: AbortSignal; ref?: boolean } = {}) =>
      new Promise((resolve, reject) => {
        const { signal } = options;
        if (signal?.aborted) return reject(abortError(signal));
        const timer = timers.setTimeout(() => resolve(value), ms) as { unref(): void };
        if (options.ref === false) timer.unref();
        signal?.addEventListener('abort', () => {
          timers.clearTimeout(timer);
          reject(abortError(signal));
        }, { once: true });
      }),
    setImmediate: (value?: unknown, options: { signal?: AbortSignal } = {}) =>
      new Promise((resolve, reject) => {
        const { signal } = options;
        if (signal?.aborted) return reject(abortError(signal));
        const immediate = timers.setImmediate(() => resolve(value));
        signal?.addEventListener('abort', () => {
          timers.clearImmediate(immediate);
          reject(abortError(signal));
        }, { once: true });
      }),
    async *setInterval(ms?: number, value?: unknown) {
      let waiting: (() => void) | undefined;
      let due = 0;
      const timer = timers.setInterval(() => {
        due += 1;
        waiting?.();
      }, ms);
      try {
        for (;;) {
          if (due === 0) await new Promise<void>((resolve) => (waiting = resolve));
          waiting = undefined;
          due -= 1;
          yield value;
        }
      } finally {
        timers.clearInterval(timer);
      }
    },
    scheduler: {
      wait: (ms: number, options?: { signal?: AbortSignal }) => promisesTimers.setTimeout(ms, undefined, options),
      yield: () => promisesTimers.setImmediate(),
    },
  };
  add('timers/promises', promisesTimers);
  add('timers', { ...timers, promises: promisesTimers });

  add('perf_hooks', { performance: globalThis.performance, PerformanceObserver: globalThis.PerformanceObserver });

  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  add('os', {
    cpus: () => Array.from({ length: cores }, () => ({ model: 'a core of the reader’s computer (from navigator.hardwareConcurrency)', speed: 0, times: { user: 0, nice: 0, sys: 0, idle: 0, irq: 0 } })),
    availableParallelism: () => cores,
    EOL: '\n',
    platform: () => 'browser',
    type: () => 'Browser',
    arch: () => 'wasm',
    release: () => '',
    hostname: () => 'localhost',
    homedir: () => '/book',
    tmpdir: () => '/tmp',
    endianness: () => 'LE',
    totalmem: () => ((navigator as Navigator & { deviceMemory?: number }).deviceMemory ?? 0) * 1024 ** 3,
    freemem: () => 0,
    uptime: () => performance.now() / 1000,
    loadavg: () => [0, 0, 0],
  });

  add('worker_threads', { ...context.threads, MessageChannel, MessagePort, BroadcastChannel });

  /** Node's Hash and Hmac objects: `update()` as often as needed, then `digest()`. */
  const hashObject = (state: { update(bytes: Uint8Array): unknown; digest(): Uint8Array }) => {
    const api = {
      update(data: string | Uint8Array, encoding?: BufferEncoding) {
        state.update(bytesOf(data, encoding));
        return api;
      },
      digest: (encoding?: BufferEncoding) => digestOut(state.digest(), encoding),
    };
    return api;
  };
  const createHash = (algorithm: string) => {
    const hash = hashOf(algorithm);
    if (!hash) throw missing(`crypto.createHash('${algorithm}')`);
    return hashObject(hash.create());
  };
  const createHmac = (algorithm: string, key: string | Uint8Array) => {
    const hash = hashOf(algorithm);
    if (!hash) throw missing(`crypto.createHmac('${algorithm}')`);
    return hashObject(hmac.create(hash, bytesOf(key)));
  };
  add('crypto', {
    createHash,
    createHmac,
    getHashes: () => Object.keys(HASHES),
    randomUUID: () => crypto.randomUUID(),
    randomBytes: (size: number) => Buffer.from(crypto.getRandomValues(new Uint8Array(size))),
    randomInt(min: number, max?: number) {
      const [low, high] = max === undefined ? [0, min] : [min, max];
      return low + Math.floor((crypto.getRandomValues(new Uint32Array(1))[0] / 2 ** 32) * (high - low));
    },
    getRandomValues: (array: Uint8Array) => crypto.getRandomValues(array),
    webcrypto: crypto,
    subtle: crypto.subtle,
  });

  add('buffer', { Buffer, Blob, atob, btoa, constants: { MAX_LENGTH: 2 ** 32 - 1, MAX_STRING_LENGTH: 2 ** 29 - 24 }, kMaxLength: 2 ** 32 - 1 });
  add('events', { EventEmitter, once: EventEmitter.once, default: EventEmitter }, EventEmitter);

  const makeHttp = (protocol: 'http:' | 'https:') => {
    const client = new HttpClient(context.net, loop, context.nativeFetch, protocol);
    return {
      createServer: (...args: unknown[]) => {
        const listener = args.find((a) => typeof a === 'function') as ConstructorParameters<typeof Server>[2];
        return new Server(context.net, loop, listener);
      },
      Server,
      IncomingMessage,
      ServerResponse,
      ClientRequest,
      request: client.request.bind(client),
      get: client.get.bind(client),
      STATUS_CODES,
      METHODS: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
      Agent: class Agent {},
      globalAgent: {},
    };
  };
  add('http', makeHttp('http:'));
  add('https', makeHttp('https:'));

  add('url', {
    URL,
    URLSearchParams,
    pathToFileURL: (path: string) => new URL(`file://${encodeURI(path.startsWith('/') ? path : `${process.cwd()}/${path}`)}`),
    fileURLToPath: (url: string | URL) => decodeURIComponent(new URL(String(url)).pathname),
  });

  add('util', {
    format,
    inspect,
    promisify: (fn: (...args: unknown[]) => void) => (...args: unknown[]) =>
      new Promise((resolve, reject) => fn(...args, (error: unknown, value: unknown) => (error ? reject(error) : resolve(value)))),
    inherits: (child: { prototype: object }, parent: { prototype: object }) => Object.setPrototypeOf(child.prototype, parent.prototype),
    deprecate: <T>(fn: T) => fn,
    types: { isPromise: (value: unknown) => value instanceof Promise },
    TextEncoder,
    TextDecoder,
  });

  const zlibOptions = (options?: { level?: number }) => (options?.level === undefined ? {} : { level: options.level as 0 });
  add('zlib', {
    deflateSync: (data: string | Uint8Array, options?: { level?: number }) => Buffer.from(deflate(bytesOf(data), zlibOptions(options))),
    inflateSync: (data: Uint8Array) => Buffer.from(inflate(data)),
    deflateRawSync: (data: string | Uint8Array, options?: { level?: number }) => Buffer.from(deflateRaw(bytesOf(data), zlibOptions(options))),
    inflateRawSync: (data: Uint8Array) => Buffer.from(inflateRaw(data)),
    gzipSync: (data: string | Uint8Array, options?: { level?: number }) => Buffer.from(gzip(bytesOf(data), zlibOptions(options))),
    gunzipSync: (data: Uint8Array) => Buffer.from(inflate(data)),
  });

  // The program's own files, read-only: enough for a program to find itself (the image server
  // checks that it was started as a program). Writing needs a real file system: npm start.
  const absolute = (path: string) => (path.startsWith('/') ? path : `${process.cwd()}/${path}`).replace(/\/\.\//g, '/');
  add('fs', {
    existsSync: (path: string) => context.files.has(absolute(String(path))) || absolute(String(path)) === process.cwd(),
    realpathSync: (path: string) => {
      const full = absolute(String(path));
      if (!context.files.has(full)) throw Object.assign(new Error(`ENOENT: no such file or directory, realpath '${path}'`), { code: 'ENOENT' });
      return full;
    },
    readFileSync: (path: string, options?: BufferEncoding | { encoding?: BufferEncoding }) => {
      const text = context.files.get(absolute(String(path)));
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      const encoding = typeof options === 'string' ? options : options?.encoding;
      return encoding ? text : Buffer.from(text);
    },
  });

  return modules;
}

/** Names that code asks any object for without needing them (promise checks, printing). */
const PASS_THROUGH = new Set(['then', 'toJSON', 'constructor', '__esModule', 'default', 'inspect', 'valueOf', 'toString', 'prototype', 'length', 'name', 'nodeType', '$$typeof', 'asymmetricMatch']);

function abortError(signal: AbortSignal): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: signal.reason });
}

/** The name a program may import a built-in by: `node:os` and `os` (`node:`-only names need it). */
export function builtinName(specifier: string): string {
  return specifier.replace(/^node:/, '');
}
