/**
 * The page's loopback network: what 127.0.0.1 is for the programs of the in-page runtime. Each
 * program worker gets an endpoint (a MessagePort); a program that listens gets a port number, and
 * a request from any program to that port reaches it. So the book's image server, a server example
 * and its clients, each in a worker of its own, talk HTTP to each other as they do under Node.
 * When a program ends, its ports close: requests waiting for it fail with ECONNRESET, and the
 * servers it was waiting for hear that it went away (a cancelled download stops their timers).
 */
import type { NetMessage } from './protocol.ts';

/** Ports handed out for `listen(0)`, as an operating system hands out ephemeral ports. */
const FIRST_EPHEMERAL_PORT = 49152;

interface Endpoint {
  readonly port: MessagePort;
  readonly listening: Set<number>;
}

interface Exchange {
  client: Endpoint;
  clientId: number;
  server: Endpoint;
}

export interface Connection {
  /** The port to hand to the worker (transfer it). */
  readonly port: MessagePort;
  /** The worker has ended: close its ports and fail what waits for it. */
  close(): void;
}

export class LoopbackNetwork {
  private readonly ports = new Map<number, Endpoint>();
  private readonly exchanges = new Map<number, Exchange>();
  private readonly waiters = new Map<number, Set<() => void>>();
  private nextId = 1;
  private nextEphemeral = FIRST_EPHEMERAL_PORT;

  connect(): Connection {
    const channel = new MessageChannel();
    const endpoint: Endpoint = { port: channel.port1, listening: new Set() };
    channel.port1.onmessage = (event: MessageEvent<NetMessage>) => this.receive(endpoint, event.data);
    return { port: channel.port2, close: () => this.disconnect(endpoint) };
  }

  /** Resolves when something listens on `port` (a server example is ready). */
  listening(port: number): Promise<void> {
    if (this.ports.has(port)) return Promise.resolve();
    return new Promise((resolve) => {
      const waiting = this.waiters.get(port) ?? new Set();
      waiting.add(resolve);
      this.waiters.set(port, waiting);
    });
  }

  isListening(port: number): boolean {
    return this.ports.has(port);
  }

  /** A free port, for a server example's PORT. */
  freePort(): number {
    while (this.ports.has(this.nextEphemeral)) this.nextEphemeral++;
    return this.nextEphemeral++;
  }

  private receive(from: Endpoint, message: NetMessage): void {
    switch (message.type) {
      case 'listen': {
        const port = message.port === 0 ? this.freePort() : message.port;
        if (this.ports.has(port)) {
          post(from, { type: 'listen-failed', id: message.id, port, code: 'EADDRINUSE' });
          return;
        }
        this.ports.set(port, from);
        from.listening.add(port);
        post(from, { type: 'listening', id: message.id, port });
        for (const wake of this.waiters.get(port) ?? []) wake();
        this.waiters.delete(port);
        return;
      }
      case 'unlisten':
        if (this.ports.get(message.port) === from) this.ports.delete(message.port);
        from.listening.delete(message.port);
        return;
      case 'request': {
        const server = this.ports.get(message.port);
        if (!server) {
          post(from, { type: 'failed', id: message.id, code: 'ECONNREFUSED' });
          return;
        }
        const id = this.nextId++;
        this.exchanges.set(id, { client: from, clientId: message.id, server });
        const { method, path, headers, body, port } = message;
        post(server, { type: 'incoming', id, port, method, path, headers, body }, body ? [body] : []);
        return;
      }
      case 'abort':
        for (const [id, exchange] of this.exchanges) {
          if (exchange.client === from && exchange.clientId === message.id) {
            this.exchanges.delete(id);
            post(exchange.server, { type: 'gone', id });
          }
        }
        return;
      case 'reply': {
        const exchange = this.exchanges.get(message.id);
        if (!exchange || exchange.server !== from) return;
        this.exchanges.delete(message.id);
        const { status, statusText, headers, body } = message;
        post(exchange.client, { type: 'response', id: exchange.clientId, status, statusText, headers, body }, body ? [body] : []);
        return;
      }
      default:
        return;
    }
  }

  private disconnect(endpoint: Endpoint): void {
    for (const port of endpoint.listening) if (this.ports.get(port) === endpoint) this.ports.delete(port);
    endpoint.listening.clear();
    for (const [id, exchange] of this.exchanges) {
      if (exchange.server === endpoint) {
        this.exchanges.delete(id);
        post(exchange.client, { type: 'failed', id: exchange.clientId, code: 'ECONNRESET' });
      } else if (exchange.client === endpoint) {
        this.exchanges.delete(id);
        post(exchange.server, { type: 'gone', id });
      }
    }
    endpoint.port.onmessage = null;
    endpoint.port.close();
  }
}

function post(to: Endpoint, message: NetMessage, transfer: Transferable[] = []): void {
  to.port.postMessage(message, transfer);
}
