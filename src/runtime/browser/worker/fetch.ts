/**
 * `fetch` for the in-page runtime: a request to 127.0.0.1 (or localhost) goes to the server that
 * listens on that port of the page's loopback network, as Node's fetch reaches a server on this
 * machine; any other address goes to the browser's own fetch, which the real network (and CORS)
 * answers. Failures read as Node's do: `TypeError: fetch failed`, with the cause
 * (`connect ECONNREFUSED 127.0.0.1:8765`); an abort (an AbortController's, AbortSignal.timeout's,
 * AbortSignal.any's) rejects with the signal's reason: an AbortError, a TimeoutError, or the reason given.
 */
import { isLoopbackHost } from '../protocol.ts';
import type { EventLoop } from './loop.ts';
import type { Network } from './net.ts';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NULL_BODY = new Set([101, 103, 204, 205, 304]);

export function createFetch(net: Network, loop: EventLoop, nativeFetch: typeof fetch): typeof fetch {
  async function loopbackFetch(request: Request, redirects: number): Promise<Response> {
    const url = new URL(request.url);
    const signal = request.signal;
    if (signal.aborted) throw signal.reason;
    const body = request.method === 'GET' || request.method === 'HEAD' ? null : await request.arrayBuffer();
    const headers: Record<string, string> = { host: url.host, ...Object.fromEntries(request.headers) };
    const exchange = net.request(Number(url.port || 80), request.method, url.pathname + url.search, headers, body && body.byteLength > 0 ? body : null);
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => {
        exchange.abort();
        reject(signal.reason);
      };
      signal.addEventListener('abort', onAbort, { once: true });
    });
    let reply;
    try {
      reply = await Promise.race([exchange.reply, aborted]);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw new TypeError('fetch failed', { cause: error });
    } finally {
      // Answered or not, this request no longer listens: a signal shared by many fetches (a
      // group's AbortSignal.any) does not collect a listener per finished request.
      signal.removeEventListener('abort', onAbort);
    }
    const location = reply.headers.location ?? reply.headers.Location;
    if (REDIRECTS.has(reply.status) && location && request.redirect === 'follow') {
      if (redirects >= 20) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      const next = new URL(location, url);
      const method = reply.status === 303 || ((reply.status === 301 || reply.status === 302) && request.method === 'POST') ? 'GET' : request.method;
      return route(new Request(next, { method, headers: request.headers, signal, body: method === 'GET' || method === 'HEAD' ? null : body, redirect: request.redirect }), redirects + 1);
    }
    const response = new Response(NULL_BODY.has(reply.status) || request.method === 'HEAD' ? null : reply.body, {
      status: reply.status,
      statusText: reply.statusText,
      headers: reply.headers,
    });
    // A constructed Response has no url; Node's fetch gives the address that answered.
    Object.defineProperty(response, 'url', { value: url.href });
    Object.defineProperty(response, 'redirected', { value: redirects > 0 });
    return holdWhileRead(response, signal);
  }

  /**
   * Reading a body takes the browser a task or more: meanwhile the program is waiting for I/O, as
   * Node's is while it reads a socket, so the read holds it open. A loopback body has arrived
   * whole with the response; as in Node, where the signal also cuts off a body not yet read, a read
   * that begins after an abort rejects with the signal's reason.
   */
  function holdWhileRead(response: Response, signal?: AbortSignal): Response {
    for (const method of ['arrayBuffer', 'blob', 'bytes', 'formData', 'json', 'text'] as const) {
      const read = (response as unknown as Record<string, (() => Promise<unknown>) | undefined>)[method];
      if (typeof read !== 'function') continue;
      Object.defineProperty(response, method, {
        configurable: true,
        value: () => {
          if (signal?.aborted) return Promise.reject(signal.reason);
          const release = loop.hold();
          return read.call(response).finally(release);
        },
      });
    }
    return response;
  }

  async function route(request: Request, redirects: number): Promise<Response> {
    const url = new URL(request.url);
    if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return loopbackFetch(request, redirects);
    return holdWhileRead(await nativeFetch(request));
  }

  return function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    // The program waits for I/O from the call to the response (reading a request's body included).
    const release = loop.hold();
    try {
      // A Request checks its arguments as Node's fetch does (a GET with a body is a TypeError).
      return route(new Request(input, init), 0).finally(release);
    } catch (error) {
      release();
      return Promise.reject(error);
    }
  } as typeof fetch;
}
