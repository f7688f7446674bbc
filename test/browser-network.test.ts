/**
 * HTTP between the in-page runtime's programs: a `node:http` server of the layer on the page's
 * loopback network (src/runtime/browser/network.ts), reached by the layer's fetch and http.get
 * from another program, with Node's answers and Node's failures. Each "program" here is a loop and
 * a network endpoint, as each is a worker in the page.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { LoopbackNetwork } from '../src/runtime/browser/network.ts';
import { createFetch } from '../src/runtime/browser/worker/fetch.ts';
import { HttpClient, Server, type IncomingMessage, type ServerResponse } from '../src/runtime/browser/worker/http.ts';
import { channelHost, EventLoop } from '../src/runtime/browser/worker/loop.ts';
import { Network } from '../src/runtime/browser/worker/net.ts';

const network = new LoopbackNetwork();
const closers: Array<() => void> = [];
after(() => closers.forEach((close) => close()));

function program() {
  const host = channelHost(setTimeout, clearTimeout);
  const loop = new EventLoop({
    host,
    onUncaught: (error) => {
      throw error;
    },
    onIdle: () => {},
  });
  const connection = network.connect();
  const net = new Network(connection.port as unknown as MessagePort, loop);
  const fetch = createFetch(net, loop, globalThis.fetch);
  closers.push(() => {
    loop.close();
    connection.close();
    host.close();
  });
  return { loop, net, fetch, http: new HttpClient(net, loop, globalThis.fetch), end: connection.close };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(server.address()!.port)));
}

describe('the in-page loopback network', () => {
  it('a fetch reaches a server of another program, with its status, headers, body and url', async () => {
    const a = program();
    const server = new Server(a.net, a.loop, (req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(201, { 'Content-Type': 'text/plain', 'X-Path': req.url ?? '' });
      res.end(`hello ${req.method}`);
    });
    const port = await listen(server, 0);
    assert.ok(port >= 49152);
    const b = program();
    const response = await b.fetch(`http://127.0.0.1:${port}/some/path?q=1`);
    assert.equal(response.status, 201);
    assert.equal(response.statusText, 'Created');
    assert.equal(response.url, `http://127.0.0.1:${port}/some/path?q=1`);
    assert.equal(response.headers.get('x-path'), '/some/path?q=1');
    assert.equal(response.headers.get('content-length'), '9', 'a body given whole to end() gets its Content-Length, as in Node');
    assert.equal(await response.text(), 'hello GET');
    server.close();
  });

  it('a POST body arrives as a readable stream (for await), as in example 04', async () => {
    const a = program();
    const server = new Server(a.net, a.loop, async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(Buffer.from(chunk as Uint8Array));
      res.end(JSON.stringify({ got: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
    const port = await listen(server, 0);
    const b = program();
    const response = await b.fetch(`http://localhost:${port}/`, { method: 'POST', body: JSON.stringify({ urls: ['x'] }), headers: { 'Content-Type': 'application/json' } });
    assert.deepEqual(await response.json(), { got: { urls: ['x'] } });
    server.close();
  });

  it('nothing listening: fetch fails as Node’s does (TypeError: fetch failed, cause ECONNREFUSED)', async () => {
    const b = program();
    await assert.rejects(b.fetch('http://127.0.0.1:1/'), (error: Error & { cause?: { code?: string; message?: string } }) => {
      assert.equal(error.name, 'TypeError');
      assert.equal(error.message, 'fetch failed');
      assert.equal(error.cause?.code, 'ECONNREFUSED');
      assert.equal(error.cause?.message, 'connect ECONNREFUSED 127.0.0.1:1');
      return true;
    });
  });

  it('an aborted fetch rejects with an AbortError, and the server hears the client go (its close event)', async () => {
    const a = program();
    let closed!: () => void;
    const heard = new Promise<void>((resolve) => (closed = resolve));
    const server = new Server(a.net, a.loop, (_req: IncomingMessage, res: ServerResponse) => {
      const timer = a.loop.setTimeout(() => res.end('late'), 5_000, []);
      res.on('close', () => {
        a.loop.clear(timer);
        closed();
      });
    });
    const port = await listen(server, 0);
    const b = program();
    const controller = new AbortController();
    const pending = b.fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(pending, { name: 'AbortError' });
    await heard;
    server.close();
  });

  /** A server whose every request waits 5 s (unless ?fast), counting the requests it got and the clients that left. */
  async function slowServer() {
    const a = program();
    const seen = { requests: 0, closed: 0 };
    let heard: () => void = () => {};
    const server = new Server(a.net, a.loop, (req: IncomingMessage, res: ServerResponse) => {
      seen.requests++;
      const timer = a.loop.setTimeout(() => res.end('late'), req.url?.includes('fast') ? 20 : 5_000, []);
      res.on('close', () => {
        a.loop.clear(timer);
        seen.closed++;
        heard();
      });
    });
    const port = await listen(server, 0);
    const closes = (n: number) =>
      new Promise<void>((resolve) => {
        heard = () => seen.closed >= n && resolve();
        heard();
      });
    return { server, port, seen, closes };
  }

  it('a signal aborted before the call rejects at once with its reason, and no request is sent', async () => {
    const { server, port, seen } = await slowServer();
    const b = program();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(b.fetch(`http://127.0.0.1:${port}/`, { signal: controller.signal }), { name: 'AbortError' });
    const reason = new Error('my own reason');
    await assert.rejects(b.fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.abort(reason) }), (error) => error === reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(seen.requests, 0, 'the server got nothing');
    server.close();
  });

  it('AbortSignal.timeout aborts a waiting fetch with a TimeoutError, and the server hears the client go', async () => {
    const { server, port, closes } = await slowServer();
    const b = program();
    const started = Date.now();
    await assert.rejects(b.fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(100) }), { name: 'TimeoutError' });
    const took = Date.now() - started;
    assert.ok(took >= 90 && took < 2_000, `aborted after about 100 ms (${took} ms)`);
    await closes(1);
    server.close();
  });

  it('AbortSignal.any over a group: one timeout aborts every fetch given the signal; a fetch without it goes on (example 11)', async () => {
    const { server, port, seen, closes } = await slowServer();
    const b = program();
    const group = new AbortController();
    const signal = AbortSignal.any([group.signal, AbortSignal.timeout(100)]);
    const kept = b.fetch(`http://127.0.0.1:${port}/fast-answer`);
    const results = await Promise.allSettled([1, 2, 3].map((n) => b.fetch(`http://127.0.0.1:${port}/${n}`, { signal })));
    assert.deepEqual(results.map((result) => result.status === 'rejected' && (result.reason as Error).name), ['TimeoutError', 'TimeoutError', 'TimeoutError']);
    await closes(3);
    assert.equal(seen.requests, 4);
    assert.equal(await (await kept).text(), 'late', 'the fetch without the signal was answered');
    // The group's own controller aborts them too, with its reason.
    const group2 = new AbortController();
    const signal2 = AbortSignal.any([group2.signal, AbortSignal.timeout(5_000)]);
    const pending = [1, 2].map((n) => b.fetch(`http://127.0.0.1:${port}/again/${n}`, { signal: signal2 }));
    setTimeout(() => group2.abort(), 30);
    for (const one of pending) await assert.rejects(one, { name: 'AbortError' });
    await closes(5);
    server.close();
  });

  it('an abort after the response: a body not yet read rejects with the reason, as in Node; a body already read stays', async () => {
    const { server, port } = await slowServer();
    const b = program();
    const controller = new AbortController();
    const response = await b.fetch(`http://127.0.0.1:${port}/fast`, { signal: controller.signal });
    controller.abort();
    await assert.rejects(response.text(), { name: 'AbortError' });
    const other = new AbortController();
    const read = await (await b.fetch(`http://127.0.0.1:${port}/fast`, { signal: other.signal })).text();
    other.abort();
    assert.equal(read, 'late');
    server.close();
  });

  it('a server whose program ends answers its waiting clients with ECONNRESET', async () => {
    const a = program();
    const server = new Server(a.net, a.loop, () => {
      // never answers
    });
    const port = await listen(server, 0);
    const b = program();
    const pending = b.fetch(`http://127.0.0.1:${port}/`);
    setTimeout(() => a.end(), 50);
    await assert.rejects(pending, (error: Error & { cause?: { code?: string } }) => error.cause?.code === 'ECONNRESET');
  });

  it('two servers cannot listen on one port (EADDRINUSE)', async () => {
    const a = program();
    const first = new Server(a.net, a.loop);
    const port = await listen(first, 0);
    const second = new Server(a.net, a.loop);
    const failed = new Promise<Error>((resolve) => second.on('error', resolve));
    second.listen(port);
    assert.equal(((await failed) as Error & { code?: string }).code, 'EADDRINUSE');
    first.close();
  });

  it('http.get gets the response as data and end events with Buffers, as example 09 reads it', async () => {
    const a = program();
    const server = new Server(a.net, a.loop, (_req: IncomingMessage, res: ServerResponse) => res.end(Buffer.from([1, 2, 3, 4])));
    const port = await listen(server, 0);
    const b = program();
    const body = await new Promise<Buffer>((resolve, reject) => {
      b.http
        .get(`http://127.0.0.1:${port}/img`, (response: IncomingMessage) => {
          assert.equal(response.statusCode, 200);
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve(Buffer.concat(chunks)));
        })
        .on('error', reject);
    });
    assert.deepEqual([...body], [1, 2, 3, 4]);
    server.close();
  });
});
