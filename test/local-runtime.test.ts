/**
 * The local runtime's handler (src/runtime/local/server/handler.ts) on a real node:http server: who
 * may use it, what it refuses, real runs of the book's examples, and that nothing a run starts or
 * writes outlives it.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { findPython } from '../src/runtime/local/server/python.ts';
import { timeLimitMs } from '../src/runtime/local/server/handler.ts';
import type { LocalRuntimeEvent } from '../src/runtime/local/protocol.ts';
import { isAlive, privateTmpdir, processesIn, runFolders, serve, strippedFiles, until, type Served } from './lib/local-runtime.ts';

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/** A request with exactly these headers (fetch() would not let a test set Host, or leave Origin out). */
function request(
  target: { host: string; port: number },
  init: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: target.host, port: target.port, method: init.method ?? 'GET', path: init.path, headers: init.headers, agent: false });
    req.once('error', reject);
    req.once('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.once('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text }));
    });
    req.end(init.body);
  });
}

const errorOf = (reply: Reply) => (JSON.parse(reply.text) as { error: string }).error;

/** The headers a page of the book sends with its fetch (and its token). */
function pageHeaders(s: Served, token: string | undefined): Record<string, string> {
  return {
    Host: `127.0.0.1:${s.port}`,
    Origin: s.origin,
    'Sec-Fetch-Site': 'same-origin',
    'Content-Type': 'application/json',
    ...(token ? { 'X-Book-Token': token } : {}),
  };
}

interface OpenRun {
  /** The HTTP status, and the body when it is not 200. */
  reply: Promise<{ status: number; text: string }>;
  events: LocalRuntimeEvent[];
  waitFor(type: LocalRuntimeEvent['type'], timeoutMs?: number): Promise<LocalRuntimeEvent>;
  /** Every event, once the response has ended (or was cut). */
  done: Promise<LocalRuntimeEvent[]>;
  output(stream?: 'stdout' | 'stderr'): string;
  abort(): void;
  /** Stops reading the response (as a busy page would), or reads on. */
  reading(on: boolean): void;
}

/** POST /run, reading the NDJSON events as they come. */
function openRun(s: Served, secret: string, spec: unknown): OpenRun {
  const events: LocalRuntimeEvent[] = [];
  const news = new EventEmitter();
  let response: http.IncomingMessage | undefined;
  const req = http.request({ host: s.host, port: s.port, method: 'POST', path: '/__local-runtime/run', headers: pageHeaders(s, secret), agent: false });
  req.on('error', () => news.emit('end')); // aborted by the test
  req.end(JSON.stringify(spec));
  const reply = new Promise<{ status: number; text: string }>((resolve) => {
    req.once('response', (res) => {
      response = res;
      let partial = '';
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (res.statusCode !== 200) return void (text += chunk);
        const lines = (partial + chunk).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) events.push(JSON.parse(line) as LocalRuntimeEvent);
        news.emit('event');
      });
      res.on('error', () => {}); // the test cut the connection
      res.once('close', () => news.emit('end'));
      if (res.statusCode === 200) resolve({ status: 200, text: '' });
      else res.once('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
  });
  const done = new Promise<LocalRuntimeEvent[]>((resolve) => news.once('end', () => resolve(events)));
  return {
    reply,
    events,
    done,
    waitFor(type, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((event) => event.type === type);
          if (!found) return false;
          stop();
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => fail(`no ${type} event within ${timeoutMs} ms`), timeoutMs);
        const fail = (why: string) => {
          stop();
          reject(new Error(`${why}; events: ${JSON.stringify(events).slice(0, 3000)}`));
        };
        const onEnd = () => check() || fail(`the response ended without a ${type} event`);
        const stop = () => {
          clearTimeout(timer);
          news.off('event', check);
          news.off('end', onEnd);
        };
        if (check()) return;
        news.on('event', check);
        news.once('end', onEnd);
      });
    },
    output(stream) {
      return events.map((event) => (event.type === 'output' && (!stream || event.stream === stream) ? event.text : '')).join('');
    },
    abort: () => req.destroy(),
    reading: (on) => void (on ? response?.resume() : response?.pause()),
  };
}

/** The per-server token: what the reader copies from the terminal. */
function secretOf(server: Served): string {
  return server.runtime.token;
}

const LOOP = { exampleId: '07-execution-order', files: { 'main.js': 'for (;;) {}\n' }, entry: 'main.js', imageServer: false };

describe('local runtime: who may use it', () => {
  let tmp: string;
  let s: Served;
  let secret: string;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve();
    secret = secretOf(s);
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('gives the session (the Node version, not cached) only to a same-origin page on loopback that has the token', async () => {
    for (const host of [`127.0.0.1:${s.port}`, `localhost:${s.port}`]) {
      const headers = { Host: host, 'Sec-Fetch-Site': 'same-origin', Origin: `http://${host}` };
      const reply = await request(s, { path: '/__local-runtime/session', headers: { ...headers, 'X-Book-Token': secret } });
      assert.equal(reply.status, 200, reply.text);
      assert.equal(reply.headers['cache-control'], 'no-store');
      const python = findPython();
      assert.deepEqual(JSON.parse(reply.text), { node: process.version, python: 'version' in python ? python.version : null }, 'nothing else: no endpoint hands the token out');
      const without = await request(s, { path: '/__local-runtime/session', headers });
      assert.equal(without.status, 401, without.text);
      assert.equal((JSON.parse(without.text) as { code: string }).code, 'token-missing');
      assert.doesNotMatch(without.text, new RegExp(secret));
    }
    assert.match(secret, /^[0-9a-f]{64}$/);
    const other = await serve();
    const fromOther = await request(s, { path: '/__local-runtime/session', headers: { 'X-Book-Token': other.runtime.token } });
    await other.close();
    assert.notEqual(other.runtime.token, secret, 'a new token per server start');
    assert.equal(fromOther.status, 401, 'a token from another server is refused');
    assert.equal((JSON.parse(fromOther.text) as { code: string }).code, 'token-wrong');
    assert.equal(s.runtime.addressWithToken('http://127.0.0.1:4321/'), `http://127.0.0.1:4321/?token=${secret}`);
  });

  it('a program on this machine that forges a browser’s headers still needs the token', async () => {
    const forged = { Host: `127.0.0.1:${s.port}`, Origin: s.origin, 'Sec-Fetch-Site': 'same-origin', 'Content-Type': 'application/json' };
    const session = await request(s, { path: '/__local-runtime/session', headers: forged });
    assert.equal(session.status, 401);
    const run = await request(s, { method: 'POST', path: '/__local-runtime/run', headers: forged, body: JSON.stringify(LOOP) });
    assert.equal(run.status, 401);
    assert.match(errorOf(run), /token/);
    assert.deepEqual(runFolders(tmp), [], 'nothing was written for a refused run');
  });

  it('refuses the session to another site, another Host (DNS rebinding) and another Origin', async () => {
    const cases: Record<string, string>[] = [
      { 'Sec-Fetch-Site': 'cross-site' },
      { 'Sec-Fetch-Site': 'same-site' },
      { Host: `evil.example:${s.port}` },
      { Host: `192.168.1.10:${s.port}` },
      { Origin: 'http://evil.example' },
      { Origin: `http://localhost:${s.port}` }, // Host is 127.0.0.1:port: not the page's own origin
    ];
    for (const headers of cases) {
      const reply = await request(s, { path: '/__local-runtime/session', headers });
      assert.equal(reply.status, 403, `${JSON.stringify(headers)}: ${reply.text}`);
      assert.ok(errorOf(reply).length > 20, 'says why');
      assert.doesNotMatch(reply.text, new RegExp(secret));
    }
  });

  it('refuses a run without the token (401), with a wrong one (401), from another Origin (403) and without Origin (403)', async () => {
    const body = JSON.stringify(LOOP);
    const post = (headers: Record<string, string>) => request(s, { method: 'POST', path: '/__local-runtime/run', headers, body });
    const missing = await post(pageHeaders(s, undefined));
    assert.equal(missing.status, 401, missing.text);
    assert.match(errorOf(missing), /token/i);
    const wrong = await post(pageHeaders(s, secret.replace(/^./, (c) => (c === '0' ? '1' : '0'))));
    assert.equal(wrong.status, 401, wrong.text);
    const short = await post(pageHeaders(s, 'abc'));
    assert.equal(short.status, 401, short.text);
    const otherOrigin = await post({ ...pageHeaders(s, secret), Origin: 'http://evil.example' });
    assert.equal(otherOrigin.status, 403, otherOrigin.text);
    const { Origin: _origin, ...withoutOrigin } = pageHeaders(s, secret);
    const noOrigin = await post(withoutOrigin);
    assert.equal(noOrigin.status, 403, noOrigin.text);
    assert.match(errorOf(noOrigin), /Origin/);
    const crossSite = await post({ ...pageHeaders(s, secret), 'Sec-Fetch-Site': 'cross-site' });
    assert.equal(crossSite.status, 403, crossSite.text);
    assert.deepEqual(runFolders(tmp), [], 'nothing was written for a refused run');
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((address) => address?.family === 'IPv4' && !address.internal)?.address;
  it(
    'refuses requests that arrive on a non-loopback address, whatever their headers say',
    { skip: external ? false : 'this machine has no non-loopback IPv4 address to listen on' },
    async () => {
      const server = http.createServer((req, res) => void s.runtime.handle(req, res));
      await new Promise<void>((resolve) => server.listen(0, external, resolve));
      const port = (server.address() as AddressInfo).port;
      try {
        const target = { host: external!, port };
        // Headers that would pass everywhere else: only the socket's address gives it away.
        const headers = { ...pageHeaders(s, secret), Host: `127.0.0.1:${port}`, Origin: `http://127.0.0.1:${port}` };
        const session = await request(target, { path: '/__local-runtime/session', headers });
        assert.equal(session.status, 403, session.text);
        assert.match(errorOf(session), /loopback/);
        const run = await request(target, { method: 'POST', path: '/__local-runtime/run', headers, body: JSON.stringify(LOOP) });
        assert.equal(run.status, 403, run.text);
        const natural = await request(target, { path: '/__local-runtime/session' });
        assert.equal(natural.status, 403, natural.text);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it('refuses bad specs with 400 and a message that says what is wrong', async () => {
    const files = { 'main.js': 'console.log(1)' };
    const cases: [unknown, RegExp][] = [
      [{ ...LOOP, exampleId: 'no-such-example' }, /no example "no-such-example"/],
      [{ ...LOOP, exampleId: '../07-execution-order' }, /exampleId/],
      [{ ...LOOP, exampleId: '_support' }, /exampleId/],
      [{ ...LOOP, files: { '../evil.js': 'x' }, entry: '../evil.js' }, /not a plain file name/],
      [{ ...LOOP, files: { 'a/b.js': 'x' }, entry: 'a/b.js' }, /not a plain file name/],
      [{ ...LOOP, files: { '.npmrc': 'x', 'main.js': 'x' } }, /not a plain file name/],
      [{ ...LOOP, files: { 'package.json': '{}', 'main.js': 'x' } }, /package\.json/],
      [{ ...LOOP, files, entry: 'client.js' }, /entry must be one of the files \(main\.js\)/],
      [{ ...LOOP, files: { 'main.js': 42 } }, /must be a string/],
      [{ ...LOOP, env: { NODE_OPTIONS: '--require /tmp/x.js' } }, /NODE_OPTIONS/],
      [{ ...LOOP, env: { PORT: '80' } }, /PORT/],
      [{ ...LOOP, args: 'scrape' }, /args/],
      [{ ...LOOP, imageServer: 'yes' }, /imageServer/],
      [{ ...LOOP, language: 'ruby' }, /language must be "typescript" or "python"/],
      [[1, 2], /JSON object/],
    ];
    for (const [spec, message] of cases) {
      const reply = await request(s, { method: 'POST', path: '/__local-runtime/run', headers: pageHeaders(s, secret), body: JSON.stringify(spec) });
      assert.equal(reply.status, 400, `${JSON.stringify(spec)}: ${reply.text}`);
      assert.match(errorOf(reply), message);
    }
    const notJson = await request(s, { method: 'POST', path: '/__local-runtime/run', headers: pageHeaders(s, secret), body: '{"exampleId":' });
    assert.equal(notJson.status, 400);
    assert.match(errorOf(notJson), /not valid JSON/);
    const big = JSON.stringify({ ...LOOP, files: { 'main.js': `// ${'x'.repeat(1024 * 1024)}` } });
    const tooBig = await request(s, { method: 'POST', path: '/__local-runtime/run', headers: pageHeaders(s, secret), body: big });
    assert.equal(tooBig.status, 413);
    assert.match(errorOf(tooBig), /larger than 1 MB/);
    assert.deepEqual(runFolders(tmp), [], 'nothing was written for a refused run');
  });

  it('answers 404 under its base, and leaves other paths to the next handler (404 without one)', async () => {
    const unknown = await request(s, { path: '/__local-runtime/files?x=1' });
    assert.equal(unknown.status, 404);
    assert.match(errorOf(unknown), /session/);
    assert.equal((await request(s, { path: '/__local-runtime' })).status, 404);
    assert.equal((await request(s, { path: '/history/' })).status, 404);
    assert.equal((await request(s, { method: 'POST', path: '/__local-runtime/session' })).status, 405);

    const chained = http.createServer((req, res) => void s.runtime.handle(req, res, () => res.end('next handler')));
    await new Promise<void>((resolve) => chained.listen(0, '127.0.0.1', resolve));
    const target = { host: '127.0.0.1', port: (chained.address() as AddressInfo).port };
    try {
      assert.equal((await request(target, { path: '/history/' })).text, 'next handler');
      assert.equal((await request(target, { path: '/__local-runtime-other' })).text, 'next handler');
      assert.equal((await request(target, { path: '/__local-runtime/nope' })).status, 404);
    } finally {
      chained.closeAllConnections();
      await new Promise((resolve) => chained.close(resolve));
    }
  });
});

describe('local runtime: runs', () => {
  let tmp: string;
  let s: Served;
  let secret: string;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve();
    secret = secretOf(s);
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('runs a stripped example (07) in a fresh folder and streams its lines, then exit 0', async () => {
    const run = openRun(s, secret, { exampleId: '07-execution-order', files: strippedFiles('07-execution-order'), entry: 'main.js', imageServer: false });
    assert.equal((await run.reply).status, 200);
    const events = await run.done;
    const first = events[0];
    assert.equal(first.type, 'started');
    assert.ok(first.type === 'started' && first.pid > 0 && first.url === undefined, JSON.stringify(first));
    assert.deepEqual(events.at(-1), { type: 'exit', code: 0 });
    assert.equal(events.filter((event) => event.type === 'exit').length, 1);
    const lines = run.output('stdout').trimEnd().split('\n');
    const numbers = lines.map((line) => Number(/^\S+ \S+ (\d+)\. /.exec(line)?.[1]));
    assert.deepEqual(numbers, Array.from({ length: lines.length }, (_, i) => i + 1), `the lines in their numbered order:\n${lines.join('\n')}`);
    assert.ok(lines.length >= 10);
    assert.equal(run.output('stderr'), '');
    await until(() => runFolders(tmp).length === 0, 2000, 'the folder is removed after the exit');
  });

  it('gives the program a minimal environment, a package.json of type module, and its arguments', async () => {
    const code = `import { readFileSync } from 'node:fs';
      console.log(JSON.stringify({ env: process.env, cwd: process.cwd(), pkg: JSON.parse(readFileSync('package.json', 'utf8')), args: process.argv.slice(2), esm: typeof require }));`;
    const previous = process.env.NODE_OPTIONS;
    process.env.NODE_OPTIONS = '--no-deprecation'; // the server's own: not for the program
    process.env.SECRET_OF_THE_SERVER = 'x';
    const run = openRun(s, secret, { ...LOOP, files: { 'main.js': code }, args: ['a', 'b c'], env: { URLS: 'u' }, imageServer: true });
    const events = await run.done;
    if (previous === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = previous;
    delete process.env.SECRET_OF_THE_SERVER;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, run.output());
    const seen = JSON.parse(run.output('stdout')) as { env: Record<string, string>; cwd: string; pkg: unknown; args: string[]; esm: string };
    const allowed = ['ASYNCIO_BOOK_RUN', 'HOME', 'IMAGE_SERVER', 'LANG', 'NODE_NO_WARNINGS', 'PATH', 'TMPDIR', 'TZ', 'URLS'];
    for (const name of Object.keys(seen.env)) assert.ok(allowed.includes(name), `${name} is not for the program: ${JSON.stringify(seen.env)}`);
    assert.equal(seen.env.NODE_NO_WARNINGS, '1');
    assert.equal(seen.env.TMPDIR, seen.cwd, 'os.tmpdir() is the run’s own folder, where it may write');
    assert.equal(seen.env.ASYNCIO_BOOK_RUN, path.basename(seen.cwd), 'the marker that finds the run’s processes');
    assert.equal(seen.env.URLS, 'u');
    assert.match(seen.env.IMAGE_SERVER, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.ok(seen.cwd.startsWith(tmp) && seen.cwd.includes('asyncio-book-run-'), seen.cwd);
    assert.deepEqual(seen.pkg, { type: 'module' });
    assert.deepEqual(seen.args, ['a', 'b c']);
    assert.equal(seen.esm, 'undefined');
  });

  it('passes the shared image server to image-server examples (two runs of 02 at once, one server)', async () => {
    const spec = { exampleId: '02-scraper-async', files: strippedFiles('02-scraper-async'), entry: 'main.js', imageServer: true };
    const runs = [openRun(s, secret, spec), openRun(s, secret, spec)];
    const servers = new Set<string>();
    for (const run of runs) {
      const events = await run.done;
      const out = run.output();
      assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, out);
      assert.match(out, /Results in the order of URLS: 8053, 30211, 40661, 63522, 59434/);
      for (const match of out.matchAll(/Response received from (http:\/\/127\.0\.0\.1:\d+)\/img\//g)) servers.add(match[1]);
    }
    assert.equal(servers.size, 1, [...servers].join(', '));
  });

  it('kills an endless loop within a second of the page aborting the request, and removes its folder', async (t) => {
    const run = openRun(s, secret, LOOP);
    const started = await run.waitFor('started');
    const pid = started.type === 'started' ? started.pid : 0;
    await new Promise((resolve) => setTimeout(resolve, 200)); // let it spin
    assert.ok(isAlive(pid));
    run.abort();
    const ms = await until(() => !isAlive(pid), 1000, 'the loop is gone');
    await until(() => runFolders(tmp).length === 0, 1000, 'its folder is removed');
    t.diagnostic(`endless loop gone ${ms.toFixed(1)} ms after the abort`);
  });

  it('leaves no process and no folder behind after 20 run/stop cycles of an endless loop', async () => {
    const pids: number[] = [];
    for (let i = 0; i < 20; i++) {
      const run = openRun(s, secret, LOOP);
      const started = await run.waitFor('started');
      if (started.type === 'started') pids.push(started.pid);
      run.abort();
    }
    await until(() => pids.every((pid) => !isAlive(pid)), 2000, 'every run is gone');
    await until(() => runFolders(tmp).length === 0, 2000, 'every folder is removed');
    assert.deepEqual(processesIn(tmp), []);
    assert.equal(new Set(pids).size, 20);
  });

  it('holds a program back while the page does not read (backpressure), instead of buffering its output', async (t) => {
    const code = `import { writeFileSync } from 'node:fs';
      const chunk = 'x'.repeat(65536); let total = 0;
      const go = () => { while (process.stdout.write(chunk)) total += chunk.length; total += chunk.length; writeFileSync('written', String(total)); process.stdout.once('drain', go); };
      go();`;
    const run = openRun(s, secret, { ...LOOP, files: { 'main.js': code } });
    await run.waitFor('output');
    run.reading(false);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const [folder] = runFolders(tmp);
    const written = Number(readFileSync(path.join(tmp, folder, 'written'), 'utf8'));
    // Unread, the pipe, the socket and the stream buffers hold a few MB at most; without
    // backpressure the program would have printed on to the 64 MB output limit by now.
    t.diagnostic(`${written} bytes`);
    assert.ok(written < 16 * 1024 * 1024, `${written} bytes written while the page was not reading`);
    assert.equal(run.events.filter((event) => event.type === 'limit').length, 0);
    run.reading(true);
    await until(() => Number(readFileSync(path.join(tmp, folder, 'written'), 'utf8')) > written, 2000, 'it prints on once the page reads');
    run.abort();
    await until(() => runFolders(tmp).length === 0, 2000, 'its folder is removed');
  });

  it('refuses child processes (the permission model): no example needs them', async () => {
    // That what a program starts dies with it, when a runtime allows it, is in local-runtime-confinement.test.ts.
    const code = `import { spawn } from 'node:child_process';
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log(child.pid);`;
    const run = openRun(s, secret, { ...LOOP, files: { 'main.js': code } });
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 1 });
    assert.equal(run.output('stdout'), '');
    assert.match(run.output('stderr'), /ERR_ACCESS_DENIED/);
    const denied = events.find((event) => event.type === 'denied');
    assert.ok(denied?.type === 'denied' && denied.permission === 'ChildProcess', JSON.stringify(events));
    assert.match(denied.message, /refused starting another program/);
  });

  it('runs a server example (04) with a url, and a client against it', async () => {
    const files = strippedFiles('04-scraper-server');
    const server = openRun(s, secret, { exampleId: '04-scraper-server', files, entry: 'main.js', imageServer: true, server: true });
    const started = await server.waitFor('started');
    assert.ok(started.type === 'started');
    assert.match(started.url ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    const listening = await server.waitFor('listening');
    assert.deepEqual(listening, { type: 'listening', url: started.url });
    // The line may come a moment after: the port accepts connections before listen()'s callback prints it.
    await until(() => new RegExp(`Serving on ${started.url}`).test(server.output()), 2000, 'the server prints its URL');

    const client = openRun(s, secret, {
      exampleId: '04-scraper-server',
      files,
      entry: 'client.js',
      args: ['scrape', 'alice', '3', '50'],
      env: { SCRAPER_SERVER: started.url! },
      imageServer: true,
    });
    const events = await client.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, client.output());
    assert.match(client.output('stdout'), /scrape alice: 200 \{"images": \[3 PNGs: 8053, 30211, 40661 bytes\]\}/);
    await until(() => /Downloaded 3 images for alice/.test(server.output()), 2000, 'the server logs the downloads');

    server.abort();
    await until(() => !isAlive(started.pid), 1000, 'the server is gone');
  });
});

describe('local runtime: limits and shutdown', () => {
  let tmp: string;
  let s: Served;
  let secret: string;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve({ programTimeoutMs: 500, outputLimitBytes: 200_000 });
    secret = secretOf(s);
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('stops a program at the time limit with a limit event, then exit 137', async () => {
    const start = performance.now();
    const run = openRun(s, secret, { ...LOOP, files: { 'main.js': 'console.log("spinning"); for (;;) {}' } });
    const events = await run.done;
    const limit = events.find((event) => event.type === 'limit');
    assert.ok(limit?.type === 'limit' && limit.reason === 'time', JSON.stringify(events));
    assert.match(limit.message, /more than 0\.5 s/);
    assert.deepEqual(events.at(-1), { type: 'exit', code: 137 });
    assert.equal(run.output(), 'spinning\n');
    assert.ok(performance.now() - start < 3000);
  });

  it('stops a program at the output limit, having sent no more than the limit', async () => {
    // Printing as fast as the pipe takes it (a `for (;;)` loop of writes would only fill Node's
    // own buffers: a pipe's writes complete in the event loop, which such a loop never reaches).
    const code = 'const chunk = ("x".repeat(99) + "\\n").repeat(100); const go = () => { while (process.stdout.write(chunk)); process.stdout.once("drain", go); }; go();';
    const run = openRun(s, secret, { ...LOOP, files: { 'main.js': code } });
    const events = await run.done;
    const limit = events.find((event) => event.type === 'limit');
    assert.ok(limit?.type === 'limit' && limit.reason === 'output', JSON.stringify(events.filter((event) => event.type !== 'output')));
    assert.deepEqual(events.at(-1), { type: 'exit', code: 137 });
    const printed = Buffer.byteLength(run.output());
    assert.ok(printed <= 200_000 && printed > 150_000, `${printed} bytes`);
    assert.ok(events.indexOf(limit) > events.findLastIndex((event) => event.type === 'output'), 'no output after the limit');
  });

  it('lets meta.json lower the time limit of a program, not raise it; the server limit is for a server example’s server only', () => {
    const limits = { programTimeoutMs: 60_000, serverTimeoutMs: 900_000 };
    const program = (timeoutMs: number) => ({ kind: 'program' as const, timeoutMs });
    assert.equal(timeLimitMs(program(10_000), false, limits), 10_000);
    assert.equal(timeLimitMs(program(120_000), false, limits), 60_000);
    assert.equal(timeLimitMs({ kind: 'server', timeoutMs: 60_000 }, true, limits), 900_000);
    // The page's `server` flag does not make a program a server: the example's kind decides.
    assert.equal(timeLimitMs(program(10_000), true, limits), 10_000);
    // A client of the server example is a program.
    assert.equal(timeLimitMs({ kind: 'server', timeoutMs: 60_000 }, false, limits), 60_000);
  });

  it('gives a program sent with server: true the program limit of its example, not the server limit', async () => {
    const own = await serve({ programTimeoutMs: 60_000, serverTimeoutMs: 900_000 });
    try {
      // 07's meta.json: kind "program", timeoutMs 10000.
      const run = openRun(own, await secretOf(own), { ...LOOP, server: true });
      await run.waitFor('started');
      const limit = await run.waitFor('limit', 15_000);
      assert.ok(limit.type === 'limit' && limit.reason === 'time' && limit.limit === 10_000, JSON.stringify(limit));
      await run.done;
    } finally {
      await own.close();
    }
  });

  it('close() kills running programs at once, removes their folders and refuses later runs', async () => {
    const own = await serve();
    const ownSecret = secretOf(own);
    const run = openRun(own, ownSecret, LOOP);
    const started = await run.waitFor('started');
    const pid = started.type === 'started' ? started.pid : 0;
    await own.runtime.close();
    assert.ok(!isAlive(pid), 'gone when close() resolves');
    assert.deepEqual(runFolders(tmp), []);
    assert.deepEqual((await run.done).at(-1), { type: 'exit', code: 137 });
    const later = openRun(own, ownSecret, LOOP);
    assert.equal((await later.reply).status, 503);
    await own.close();
  });
});

describe('local runtime: admission', () => {
  let tmp: string;
  before(() => {
    tmp = privateTmpdir();
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('reserves the run cap at the check: runs that arrive together cannot overrun it while they prepare', async () => {
    const s = await serve({ maxRuns: 2 });
    try {
      // Each of these waits for the image server before it starts: the old check let all of them in.
      const runs = Array.from({ length: 5 }, () => openRun(s, secretOf(s), { ...LOOP, imageServer: true }));
      const statuses = (await Promise.all(runs.map((run) => run.reply))).map((reply) => reply.status).sort();
      assert.deepEqual(statuses, [200, 200, 429, 429, 429]);
      for (const run of runs) run.abort();
      await until(() => runFolders(tmp).length === 0, 5_000, 'the admitted runs end when their pages go');
      // The slots come back once each run has finished ending (its folder goes a moment before).
      let status = 0;
      for (const started = performance.now(); status !== 200 && performance.now() - started < 5_000; ) {
        const again = openRun(s, secretOf(s), LOOP);
        status = (await again.reply).status;
        again.abort();
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(status, 200, 'the slots are free again');
    } finally {
      await s.close();
    }
  });

  it('answers a body that is too large at once and closes the connection, without reading the rest', async () => {
    const s = await serve();
    try {
      const started = performance.now();
      const socket = net.connect({ host: s.host, port: s.port });
      await new Promise((resolve) => socket.once('connect', resolve));
      const headers = pageHeaders(s, secretOf(s));
      const lines = Object.entries({ ...headers, 'Content-Length': String(100 * 1024 * 1024) }).map(([name, value]) => `${name}: ${value}`);
      socket.write(`POST /__local-runtime/run HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n${'x'.repeat(1024)}`);
      let answer = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (answer += chunk));
      await new Promise((resolve) => socket.once('close', resolve));
      const took = performance.now() - started;
      assert.match(answer, /^HTTP\/1\.1 413 /);
      assert.match(answer, /larger than 1 MB/);
      assert.ok(took < 2_000, `the connection closed after ${Math.round(took)} ms (it used to stay open for about 6 s)`);
    } finally {
      await s.close();
    }
  });
});
