/**
 * `process` for the in-page runtime: what the book's programs use of Node's (argv, env, exit and
 * exitCode, stdout/stderr, nextTick, hrtime, the exit events), as an EventEmitter. Where the page is
 * not Node it says so rather than pretending: `process.platform` is "browser", and
 * `process.release.name` names the layer; `process.version` is the Node line whose behaviour the
 * layer follows.
 */
import EventEmitter from 'events/events.js'; // the npm package's file, never Node's built-in
import type { EventLoop } from './loop.ts';
import type { Output } from './output.ts';

/** The Node line the layer follows (timers, microtask order, fetch's errors). */
export const FOLLOWS_NODE = 'v24.0.0';

export interface ProcessContext {
  loop: EventLoop;
  output: Output;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  /** Ends the program with this code (the layer's exit sequence). */
  exit(code: number): never;
  missing(name: string): Error;
}

/** Thrown by process.exit() to unwind the code that called it; the program has ended already. */
export class ProcessExit extends Error {
  readonly code: number;
  constructor(code: number) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

function stream(output: Output, name: 'stdout' | 'stderr', fd: number) {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    fd,
    isTTY: false,
    writable: true,
    write(chunk: string | Uint8Array, encoding?: unknown, callback?: unknown): boolean {
      output.write(name, typeof chunk === 'string' ? chunk : new TextDecoder().decode(chunk));
      const done = typeof encoding === 'function' ? encoding : callback;
      if (typeof done === 'function') queueMicrotask(() => (done as () => void)());
      return true;
    },
    end(): void {},
    cork(): void {},
    uncork(): void {},
  });
}

export function createProcess(context: ProcessContext) {
  const { loop, output } = context;
  const emitter = new EventEmitter();
  let exitCode: number | undefined;
  const started = performance.now();
  const hrtime = (previous?: [number, number]): [number, number] => {
    const ns = BigInt(Math.round(performance.now() * 1e6));
    let seconds = Number(ns / 1_000_000_000n);
    let nanos = Number(ns % 1_000_000_000n);
    if (previous) {
      seconds -= previous[0];
      nanos -= previous[1];
      if (nanos < 0) {
        seconds -= 1;
        nanos += 1e9;
      }
    }
    return [seconds, nanos];
  };
  hrtime.bigint = () => BigInt(Math.round(performance.now() * 1e6));
  const stdin = Object.assign(new EventEmitter(), { fd: 0, isTTY: false, setEncoding() {}, resume() {}, pause() {} });
  const process = Object.assign(emitter, {
    argv: context.argv,
    argv0: 'node',
    execArgv: [] as string[],
    execPath: '/usr/local/bin/node',
    env: context.env,
    pid: 1,
    ppid: 0,
    title: 'node',
    platform: 'browser',
    arch: 'wasm',
    version: FOLLOWS_NODE,
    versions: { node: FOLLOWS_NODE.slice(1) },
    release: { name: 'asyncio-book page runtime' },
    features: {},
    stdout: stream(output, 'stdout', 1),
    stderr: stream(output, 'stderr', 2),
    stdin,
    get exitCode(): number | undefined {
      return exitCode;
    },
    set exitCode(value: number | string | undefined) {
      exitCode = value === undefined ? undefined : Number(value);
    },
    exit(code?: number | string): never {
      return context.exit(code === undefined ? (exitCode ?? 0) : Number(code));
    },
    nextTick(callback: (...args: unknown[]) => void, ...args: unknown[]): void {
      loop.nextTick(callback, args);
    },
    hrtime,
    cwd: () => context.cwd,
    chdir(): never {
      throw context.missing('process.chdir');
    },
    uptime: () => (performance.now() - started) / 1000,
    memoryUsage: Object.assign(() => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), { rss: () => 0 }),
    cpuUsage: () => ({ user: 0, system: 0 }),
    emitWarning(warning: string | Error): void {
      const text = typeof warning === 'string' ? `Warning: ${warning}` : `${warning.name}: ${warning.message}`;
      output.write('stderr', `(node:1) ${text}\n`);
    },
    kill(): never {
      throw context.missing('process.kill');
    },
    umask: () => 0o22,
    getuid: () => 1000,
    getgid: () => 1000,
  });
  return process;
}

export type NodeProcess = ReturnType<typeof createProcess>;
