/**
 * `node:http` for the in-page runtime: a server that listens on the page's loopback network
 * (./net.ts), and a client (`http.get`, `http.request`) that reaches those servers, or any other
 * host through the browser's fetch (where that host allows it: CORS). The subset the book's
 * programs use, with Node's names and events: `createServer`, `listen(port[, host][, callback])`,
 * `address()`, `close()`, `closeAllConnections()`; requests as readable streams (`data`/`end`
 * events, `for await`), responses with `writeHead`/`setHeader`/`write`/`end` and a `close` event
 * when the client goes away. Bodies travel whole, not streamed.
 */
import { Buffer } from 'buffer/index.js'; // the npm package's file, never Node's built-in
import EventEmitter from 'events/events.js'; // the npm package's file, never Node's built-in
import type { Headers } from '../protocol.ts';
import { isLoopbackHost } from '../protocol.ts';
import type { EventLoop } from './loop.ts';
import type { Incoming, Network } from './net.ts';

export const STATUS_CODES: Record<number, string> = {
  100: 'Continue', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content', 206: 'Partial Content',
  301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified', 307: 'Temporary Redirect', 308: 'Permanent Redirect',
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Timeout',
  409: 'Conflict', 410: 'Gone', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 418: "I'm a Teapot", 422: 'Unprocessable Entity',
  429: 'Too Many Requests', 500: 'Internal Server Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

type Chunk = string | Uint8Array;

function toBuffer(chunk: Chunk, encoding?: BufferEncoding): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk, encoding ?? 'utf8') : Buffer.from(chunk);
}

/** A whole body as the ArrayBuffer that travels (a copy: the sender's bytes stay the sender's). */
function arrayBufferOf(chunks: Buffer[]): ArrayBuffer | null {
  if (chunks.length === 0) return null;
  const all = Buffer.concat(chunks);
  return all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
}

/** A body that arrived whole, read as Node's readable streams are read. */
export class IncomingMessage extends EventEmitter {
  method?: string;
  url?: string;
  statusCode?: number;
  statusMessage?: string;
  readonly headers: Record<string, string>;
  readonly httpVersion = '1.1';
  readonly socket = { remoteAddress: '127.0.0.1', remotePort: 0, encrypted: false };
  complete = false;
  readableEnded = false;
  aborted = false;
  private readonly body: Buffer | null;
  private readonly loop: EventLoop;
  private flowing = false;
  private consumed = false;
  private encoding: BufferEncoding | undefined;

  constructor(loop: EventLoop, headers: Headers, body: ArrayBuffer | null) {
    super();
    this.loop = loop;
    this.headers = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    this.body = body && body.byteLength > 0 ? Buffer.from(body) : null;
  }

  override on(event: string | symbol, listener: (...args: any[]) => void): this {
    // `any[]`: EventEmitter's own signature, which this override keeps.
    super.on(event, listener);
    if (event === 'data') this.resume();
    return this;
  }
  override addListener(event: string | symbol, listener: (...args: any[]) => void): this {
    return this.on(event, listener);
  }

  setEncoding(encoding: BufferEncoding): this {
    this.encoding = encoding;
    return this;
  }

  resume(): this {
    if (this.flowing || this.consumed) return this;
    this.flowing = true;
    this.consumed = true;
    this.loop.nextTick(() => {
      if (this.body) this.emit('data', this.encoding ? this.body.toString(this.encoding) : this.body);
      this.finish();
    }, []);
    return this;
  }

  pipe<T extends { write(chunk: Buffer): unknown; end(): unknown }>(destination: T): T {
    this.on('data', (chunk: Buffer) => destination.write(chunk));
    this.once('end', () => destination.end());
    return destination;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer | string> {
    if (this.consumed) return;
    this.consumed = true;
    if (this.body) yield this.encoding ? this.body.toString(this.encoding) : this.body;
    this.finish();
  }

  /** The client went away before its answer. */
  abort(): void {
    this.aborted = true;
    this.emit('aborted');
    this.emit('close');
  }

  private finish(): void {
    this.complete = true;
    this.readableEnded = true;
    this.emit('end');
    this.emit('close');
  }
}

export class ServerResponse extends EventEmitter {
  statusCode = 200;
  statusMessage = '';
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  private readonly headers = new Map<string, [string, string]>();
  private readonly chunks: Buffer[] = [];
  private wrote = false;
  private readonly send: (status: number, statusText: string, headers: Headers, body: ArrayBuffer | null) => void;
  private readonly loop: EventLoop;
  private readonly method: string;

  constructor(loop: EventLoop, method: string, send: ServerResponse['send']) {
    super();
    this.loop = loop;
    this.method = method;
    this.send = send;
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.headers.set(name.toLowerCase(), [name, Array.isArray(value) ? value.join(', ') : String(value)]);
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers.get(name.toLowerCase())?.[1];
  }
  getHeaders(): Record<string, string> {
    return Object.fromEntries([...this.headers.entries()].map(([k, [, v]]) => [k, v]));
  }
  hasHeader(name: string): boolean {
    return this.headers.has(name.toLowerCase());
  }
  removeHeader(name: string): void {
    this.headers.delete(name.toLowerCase());
  }

  writeHead(status: number, message?: string | Record<string, unknown>, headers?: Record<string, unknown>): this {
    this.statusCode = status;
    let fields = headers;
    if (typeof message === 'string') this.statusMessage = message;
    else fields = message;
    for (const [name, value] of Object.entries(fields ?? {})) if (value !== undefined) this.setHeader(name, value as string);
    this.headersSent = true;
    return this;
  }

  write(chunk: Chunk, encoding?: BufferEncoding | (() => void), callback?: () => void): boolean {
    if (this.writableEnded) throw Object.assign(new Error('write after end'), { code: 'ERR_STREAM_WRITE_AFTER_END' });
    this.headersSent = true;
    this.wrote = true;
    this.chunks.push(toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined));
    const done = typeof encoding === 'function' ? encoding : callback;
    if (done) this.loop.nextTick(done, []);
    return true;
  }

  end(chunk?: Chunk | (() => void), encoding?: BufferEncoding | (() => void), callback?: () => void): this {
    if (this.writableEnded) return this;
    let done = callback;
    if (typeof chunk === 'function') done = chunk;
    else if (chunk !== undefined && chunk !== null) {
      if (typeof encoding === 'function') done = encoding;
      this.chunks.push(toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined));
    }
    this.writableEnded = true;
    this.headersSent = true;
    // As Node: a body given whole to end() gets its Content-Length, a written one is chunked.
    if (!this.hasHeader('content-length') && !this.hasHeader('transfer-encoding')) {
      if (this.wrote) this.setHeader('Transfer-Encoding', 'chunked');
      else this.setHeader('Content-Length', this.chunks.reduce((n, c) => n + c.length, 0));
    }
    const body = this.method === 'HEAD' ? null : arrayBufferOf(this.chunks);
    this.send(this.statusCode, this.statusMessage || STATUS_CODES[this.statusCode] || '', this.getHeaders(), body);
    this.loop.nextTick(() => {
      this.writableFinished = true;
      this.emit('finish');
      done?.();
      this.emit('close');
    }, []);
    return this;
  }

  /** The client went away before the answer was sent. */
  abort(): void {
    if (this.writableEnded) return;
    this.writableEnded = true;
    this.emit('close');
  }
}

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export class Server extends EventEmitter {
  listening = false;
  private readonly net: Network;
  private readonly loop: EventLoop;
  private port = 0;
  private host = '127.0.0.1';
  private release: (() => void) | undefined;
  private refed = true;
  private readonly open = new Map<number, { request: IncomingMessage; response: ServerResponse }>();

  constructor(net: Network, loop: EventLoop, listener?: RequestListener) {
    super();
    this.net = net;
    this.loop = loop;
    if (listener) this.on('request', listener);
  }

  listen(...args: unknown[]): this {
    const callback = typeof args[args.length - 1] === 'function' ? (args.pop() as () => void) : undefined;
    let port = 0;
    const [first, second] = args;
    if (typeof first === 'object' && first !== null) {
      const options = first as { port?: number | string; host?: string };
      port = Number(options.port ?? 0);
      if (options.host) this.host = options.host;
    } else {
      port = Number(first ?? 0);
      if (typeof second === 'string') this.host = second;
    }
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw Object.assign(new RangeError(`options.port should be >= 0 and < 65536. Received ${String(first)}.`), { code: 'ERR_SOCKET_BAD_PORT' });
    }
    if (callback) this.once('listening', callback);
    if (this.refed) this.release = this.loop.hold();
    this.net
      .listen(port, {
        request: (incoming) => this.accept(incoming),
        gone: (id) => {
          const pair = this.open.get(id);
          this.open.delete(id);
          pair?.request.abort();
          pair?.response.abort();
        },
      })
      .then(
        (actual) => {
          this.port = actual;
          this.listening = true;
          this.emit('listening');
        },
        (error: Error) => {
          this.release?.();
          this.release = undefined;
          this.emit('error', error);
        },
      );
    return this;
  }

  address(): { address: string; family: string; port: number } | null {
    if (!this.listening) return null;
    return { address: this.host === 'localhost' ? '127.0.0.1' : this.host, family: this.host.includes(':') ? 'IPv6' : 'IPv4', port: this.port };
  }

  close(callback?: (error?: Error) => void): this {
    if (this.listening) this.net.unlisten(this.port);
    const was = this.listening;
    this.listening = false;
    this.release?.();
    this.release = undefined;
    this.loop.nextTick(() => {
      this.emit('close');
      callback?.(was ? undefined : Object.assign(new Error('Server is not running.'), { code: 'ERR_SERVER_NOT_RUNNING' }));
    }, []);
    return this;
  }

  closeAllConnections(): void {}
  closeIdleConnections(): void {}

  ref(): this {
    this.refed = true;
    if (this.listening && !this.release) this.release = this.loop.hold();
    return this;
  }
  unref(): this {
    this.refed = false;
    this.release?.();
    this.release = undefined;
    return this;
  }

  private accept(incoming: Incoming): void {
    const request = new IncomingMessage(this.loop, incoming.headers, incoming.body);
    request.method = incoming.method;
    request.url = incoming.path;
    const response = new ServerResponse(this.loop, incoming.method, (status, statusText, headers, body) => {
      this.open.delete(incoming.id);
      this.net.reply(incoming.id, { status, statusText, headers, body });
    });
    this.open.set(incoming.id, { request, response });
    this.emit('request', request, response);
  }
}

interface RequestOptions {
  protocol?: string;
  hostname?: string;
  host?: string;
  port?: number | string;
  path?: string;
  method?: string;
  headers?: Record<string, string | number>;
  signal?: AbortSignal;
}

type ResponseListener = (response: IncomingMessage) => void;

export class ClientRequest extends EventEmitter {
  readonly method: string;
  readonly path: string;
  destroyed = false;
  private readonly url: URL;
  private readonly headers: Record<string, string>;
  private readonly chunks: Buffer[] = [];
  private readonly client: HttpClient;
  private abortExchange: (() => void) | undefined;
  private sent = false;

  constructor(client: HttpClient, url: URL, options: RequestOptions, listener?: ResponseListener) {
    super();
    this.client = client;
    this.url = url;
    this.method = (options.method ?? 'GET').toUpperCase();
    this.path = url.pathname + url.search;
    this.headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    if (listener) this.once('response', listener);
    options.signal?.addEventListener('abort', () => this.destroy(Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' })));
  }

  setHeader(name: string, value: string | number): this {
    this.headers[name.toLowerCase()] = String(value);
    return this;
  }
  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
  setTimeout(ms: number, callback?: () => void): this {
    const timer = this.client.loop.setTimeout(() => {
      this.emit('timeout');
      callback?.();
    }, ms, []);
    timer.unref();
    this.once('close', () => this.client.loop.clear(timer));
    return this;
  }

  write(chunk: Chunk, encoding?: BufferEncoding): boolean {
    this.chunks.push(toBuffer(chunk, encoding));
    return true;
  }

  end(chunk?: Chunk | (() => void), encoding?: BufferEncoding | (() => void), callback?: () => void): this {
    if (this.sent) return this;
    this.sent = true;
    let done = callback;
    if (typeof chunk === 'function') done = chunk;
    else if (chunk !== undefined && chunk !== null) {
      if (typeof encoding === 'function') done = encoding;
      this.chunks.push(toBuffer(chunk, typeof encoding === 'string' ? encoding : undefined));
    }
    if (done) this.once('finish', done);
    this.client.loop.nextTick(() => this.emit('finish'), []);
    this.abortExchange = this.client.send(this, this.url, this.method, this.headers, arrayBufferOf(this.chunks));
    return this;
  }

  destroy(error?: Error): this {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.abortExchange?.();
    this.client.loop.nextTick(() => {
      if (error) this.emit('error', error);
      this.emit('close');
    }, []);
    return this;
  }
  abort(): void {
    this.destroy();
  }

  /** For HttpClient: the answer arrived. */
  respond(response: IncomingMessage): void {
    if (this.destroyed) return;
    this.emit('response', response);
    response.once('end', () => this.emit('close'));
    if (this.listenerCount('response') === 0) response.resume(); // nobody reads it: drain, as Node does
  }
  /** For HttpClient: the request failed. */
  fail(error: Error): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit('error', error);
    this.emit('close');
  }
}

export class HttpClient {
  readonly loop: EventLoop;
  private readonly net: Network;
  private readonly nativeFetch: typeof fetch;
  private readonly defaultProtocol: 'http:' | 'https:';

  constructor(net: Network, loop: EventLoop, nativeFetch: typeof fetch, defaultProtocol: 'http:' | 'https:' = 'http:') {
    this.net = net;
    this.loop = loop;
    this.nativeFetch = nativeFetch;
    this.defaultProtocol = defaultProtocol;
  }

  request(input: string | URL | RequestOptions, options?: RequestOptions | ResponseListener, listener?: ResponseListener): ClientRequest {
    let opts: RequestOptions = {};
    let url: URL;
    let callback = listener;
    if (typeof options === 'function') callback = options;
    else if (options) opts = options;
    if (typeof input === 'string' || input instanceof URL) url = new URL(String(input));
    else {
      opts = { ...input, ...opts };
      const host = opts.hostname ?? (opts.host ?? 'localhost').replace(/:\d+$/, '');
      const port = opts.port ? `:${opts.port}` : '';
      url = new URL(`${opts.protocol ?? this.defaultProtocol}//${host.includes(':') ? `[${host}]` : host}${port}${opts.path ?? '/'}`);
    }
    if (opts.path && (typeof input === 'string' || input instanceof URL)) url = new URL(opts.path, url);
    return new ClientRequest(this, url, opts, callback);
  }

  get(input: string | URL | RequestOptions, options?: RequestOptions | ResponseListener, listener?: ResponseListener): ClientRequest {
    const request = this.request(input, options, listener);
    request.end();
    return request;
  }

  /** Sends a request; returns how to abort it. */
  send(request: ClientRequest, url: URL, method: string, headers: Record<string, string>, body: ArrayBuffer | null): () => void {
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) {
      const exchange = this.net.request(Number(url.port || 80), method, url.pathname + url.search, { host: url.host, ...headers }, body);
      exchange.reply.then(
        (reply) => {
          const response = new IncomingMessage(this.loop, reply.headers, reply.body);
          response.statusCode = reply.status;
          response.statusMessage = reply.statusText;
          request.respond(response);
        },
        (error: Error) => request.fail(error),
      );
      return exchange.abort;
    }
    const controller = new AbortController();
    const release = this.loop.hold();
    this.nativeFetch(url, { method, headers, body, signal: controller.signal })
      .then(async (answer) => {
        const bytes = await answer.arrayBuffer();
        const response = new IncomingMessage(this.loop, Object.fromEntries(answer.headers), bytes);
        response.statusCode = answer.status;
        response.statusMessage = answer.statusText;
        this.loop.io(() => request.respond(response));
      })
      .catch((error: Error) => this.loop.io(() => request.fail(error)))
      .finally(release);
    return () => controller.abort();
  }
}
