/**
 * `node:worker_threads` for the in-page runtime: a Node worker thread is a nested Web Worker that
 * runs the layer again, so it has the same `require`, timers and console. The book's programs
 * start theirs with source code (`new Worker(code, { eval: true, workerData })`, example 05), which
 * runs as CommonJS, as in Node. Messages are structured clones, as in Node; a worker's console
 * output goes to its parent's, and the worker holds its parent open until it exits.
 */
import EventEmitter from 'events/events.js'; // the npm package's file, never Node's built-in
import type { ThreadMessage, WorkerWords } from '../protocol.ts';
import type { EventLoop } from './loop.ts';
import type { Output } from './output.ts';

export interface ThreadContext {
  loop: EventLoop;
  output: Output;
  /** The script this worker runs (a nested worker runs it too). */
  workerUrl: string;
  NativeWorker: typeof Worker;
  env: Record<string, string>;
  words: WorkerWords;
  /** Says that an API is missing, in the page's language. */
  missing(name: string): Error;
}

let nextThreadId = 1;

export function createWorkerClass(context: ThreadContext) {
  return class Worker extends EventEmitter {
    readonly threadId = nextThreadId++;
    private readonly native: globalThis.Worker;
    private release: (() => void) | undefined;
    private ended = false;

    constructor(code: string | URL, options: { eval?: boolean; workerData?: unknown; env?: Record<string, string> } = {}) {
      super();
      if (!options.eval || typeof code !== 'string') throw context.missing('worker_threads.Worker(file)');
      const { loop } = context;
      this.release = loop.hold();
      this.native = new context.NativeWorker(context.workerUrl, { type: 'module', name: `worker_threads ${this.threadId}` });
      this.native.onmessage = (event: MessageEvent<ThreadMessage>) => loop.io(() => this.receive(event.data));
      this.native.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        loop.io(() => {
          this.emit('error', new Error(event.message));
          this.end(1);
        });
      };
      const start: ThreadMessage = {
        type: 'thread-start',
        code,
        workerData: options.workerData,
        env: options.env ?? context.env,
        words: context.words,
      };
      this.native.postMessage(start);
      loop.nextTick(() => this.emit('online'), []);
    }

    postMessage(value: unknown): void {
      if (!this.ended) this.native.postMessage({ type: 'thread-message', value } satisfies ThreadMessage);
    }

    terminate(): Promise<number> {
      this.end(1);
      return Promise.resolve(1);
    }

    ref(): this {
      if (!this.ended && !this.release) this.release = context.loop.hold();
      return this;
    }
    unref(): this {
      this.release?.();
      this.release = undefined;
      return this;
    }

    private receive(message: ThreadMessage): void {
      switch (message.type) {
        case 'thread-output':
          context.output.write(message.stream, message.text);
          break;
        case 'thread-message':
          this.emit('message', message.value);
          break;
        case 'thread-error':
          this.emit('error', Object.assign(new Error(message.message), { name: message.name, stack: message.stack }));
          break;
        case 'thread-exit':
          this.end(message.code);
          break;
        default:
          break;
      }
    }

    private end(code: number): void {
      if (this.ended) return;
      this.ended = true;
      this.native.terminate();
      this.release?.();
      this.release = undefined;
      context.loop.nextTick(() => this.emit('exit', code), []);
    }
  };
}

/** A nested worker's end of the conversation with its parent: `parentPort`. */
export function createParentPort(loop: EventLoop, post: (message: ThreadMessage) => void) {
  class MessagePortToParent extends EventEmitter {
    private release: (() => void) | undefined;
    postMessage(value: unknown): void {
      post({ type: 'thread-message', value });
    }
    /** As in Node, a 'message' listener keeps the thread alive until it is removed or unref'd. */
    override on(event: string | symbol, listener: (...args: any[]) => void): this {
      // `any[]`: EventEmitter's own signature, which this override keeps.
      super.on(event, listener);
      if (event === 'message') this.release ??= loop.hold();
      return this;
    }
    override off(event: string | symbol, listener: (...args: any[]) => void): this {
      super.off(event, listener);
      if (event === 'message' && this.listenerCount('message') === 0) this.unref();
      return this;
    }
    unref(): void {
      this.release?.();
      this.release = undefined;
    }
    close(): void {
      this.removeAllListeners('message');
      this.unref();
    }
  }
  return new MessagePortToParent();
}
