/**
 * A program's end of the page's loopback network (../network.ts): its servers listen on ports
 * there, and its requests to 127.0.0.1 reach the servers of the page's other programs (the image
 * server, a server example) there. Every message that arrives is a callback of I/O for the event
 * loop; a server, and a request in flight, hold the program open.
 */
import type { EventLoop } from './loop.ts';
import type { Headers, NetMessage } from '../protocol.ts';

export interface Incoming {
  id: number;
  method: string;
  path: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

export interface Reply {
  status: number;
  statusText: string;
  headers: Headers;
  body: ArrayBuffer | null;
}

export interface ServerHandlers {
  request(incoming: Incoming): void;
  /** The client of request `id` went away. */
  gone(id: number): void;
}

export class NetError extends Error {
  readonly code: string;
  constructor(code: 'ECONNREFUSED' | 'ECONNRESET' | 'EADDRINUSE', detail: string) {
    super(code === 'ECONNRESET' ? 'socket hang up' : `${code === 'EADDRINUSE' ? 'listen' : 'connect'} ${code} ${detail}`);
    this.code = code;
  }
}

export class Network {
  private readonly port: MessagePort;
  private readonly loop: EventLoop;
  private nextId = 1;
  private readonly listens = new Map<number, { resolve(port: number): void; reject(error: Error): void }>();
  private readonly requests = new Map<number, { resolve(reply: Reply): void; reject(error: Error): void; port: number }>();
  private readonly servers = new Map<number, ServerHandlers>();
  /** Incoming request id → the port of the server it came to. */
  private readonly incoming = new Map<number, number>();

  constructor(port: MessagePort, loop: EventLoop) {
    this.port = port;
    this.loop = loop;
    port.onmessage = (event: MessageEvent<NetMessage>) => this.loop.io(() => this.receive(event.data));
  }

  listen(port: number, handlers: ServerHandlers): Promise<number> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.listens.set(id, {
        resolve: (actual) => {
          this.servers.set(actual, handlers);
          resolve(actual);
        },
        reject,
      });
      this.send({ type: 'listen', id, port });
    });
  }

  unlisten(port: number): void {
    this.servers.delete(port);
    this.send({ type: 'unlisten', port });
  }

  request(port: number, method: string, path: string, headers: Headers, body: ArrayBuffer | null): { reply: Promise<Reply>; abort(): void } {
    const id = this.nextId++;
    const release = this.loop.hold();
    const reply = new Promise<Reply>((resolve, reject) => {
      this.requests.set(id, {
        port,
        resolve: (value) => {
          release();
          resolve(value);
        },
        reject: (error) => {
          release();
          reject(error);
        },
      });
    });
    this.send({ type: 'request', id, port, method, path, headers, body }, body ? [body] : []);
    return {
      reply,
      abort: () => {
        if (!this.requests.delete(id)) return;
        release();
        this.send({ type: 'abort', id });
      },
    };
  }

  reply(id: number, reply: Reply): void {
    if (!this.incoming.delete(id)) return; // its client is gone
    this.send({ type: 'reply', id, ...reply }, reply.body ? [reply.body] : []);
  }

  private send(message: NetMessage, transfer: Transferable[] = []): void {
    this.port.postMessage(message, transfer);
  }

  private receive(message: NetMessage): void {
    switch (message.type) {
      case 'listening':
        this.listens.get(message.id)?.resolve(message.port);
        this.listens.delete(message.id);
        break;
      case 'listen-failed':
        this.listens.get(message.id)?.reject(new NetError('EADDRINUSE', `127.0.0.1:${message.port}`));
        this.listens.delete(message.id);
        break;
      case 'incoming': {
        const server = this.servers.get(message.port);
        if (!server) return;
        this.incoming.set(message.id, message.port);
        server.request(message);
        break;
      }
      case 'gone': {
        const port = this.incoming.get(message.id);
        if (port === undefined) return;
        this.incoming.delete(message.id);
        this.servers.get(port)?.gone(message.id);
        break;
      }
      case 'response': {
        const pending = this.requests.get(message.id);
        this.requests.delete(message.id);
        pending?.resolve(message);
        break;
      }
      case 'failed': {
        const pending = this.requests.get(message.id);
        this.requests.delete(message.id);
        pending?.reject(new NetError(message.code, `127.0.0.1:${pending.port}`));
        break;
      }
      default:
        break;
    }
  }
}
