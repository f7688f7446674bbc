/**
 * The image server the scrapers download from (content/examples/_support/image-server.ts):
 * valid PNGs of realistic sizes, the delay, status and limit asked for, CORS, quiet unless asked, and
 * runnable on its own (also stripped of its types on Node 20, as in the browser sandbox).
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { crc32, inflateSync } from 'node:zlib';
import { startImageServer, type ImageServer } from '../content/examples/_support/image-server.ts';
import { EXAMPLES_DIR } from '../src/examples/files.ts';
import { exampleEnv, type Command } from '../scripts/lib/launchers.ts';
import { startProcess } from '../scripts/lib/processes.ts';
import { NODE20, node20SkipReason, strippedDirectory } from './lib/languages.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Checks a PNG chunk by chunk (with zlib's own CRC-32, independent of the server's) and returns its size. */
function checkPng(png: Buffer): { width: number; height: number } {
  assert.deepEqual(png.subarray(0, 8), PNG_SIGNATURE, 'PNG signature');
  let offset = 8;
  const chunks: { type: string; data: Buffer }[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    assert.equal(png.readUInt32BE(offset + 8 + length), crc32(png.subarray(offset + 4, offset + 8 + length)), `CRC of ${type}`);
    chunks.push({ type, data });
    offset += 12 + length;
  }
  assert.equal(offset, png.length, 'no trailing bytes');
  assert.deepEqual(chunks.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  const header = chunks[0].data;
  assert.equal(header.length, 13, 'IHDR is 13 bytes');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  assert.ok(width > 0 && height > 0);
  assert.deepEqual([...header.subarray(8)], [8, 2, 0, 0, 0], '8-bit RGB, deflate, adaptive filters, no interlace');
  const raw = inflateSync(chunks[1].data);
  assert.equal(raw.length, (width * 3 + 1) * height, 'IDAT holds every row');
  for (let y = 0; y < height; y++) assert.ok(raw[y * (width * 3 + 1)] <= 4, 'a valid filter type on every row');
  return { width, height };
}

describe('image server', () => {
  let server: ImageServer;
  let startupMs: number;

  before(async () => {
    const started = performance.now();
    server = await startImageServer({ port: 0 });
    startupMs = performance.now() - started;
  });
  after(() => server?.close());

  it('is ready in well under a second, on 127.0.0.1', () => {
    assert.ok(startupMs < 1500, `ready in ${Math.round(startupMs)} ms`);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('makes valid PNGs of realistic sizes (about 5–80 KB), the same bytes on every start', async () => {
    assert.ok(server.images.length >= 5);
    for (const png of server.images) {
      checkPng(Buffer.from(png));
      assert.ok(png.length >= 5_000 && png.length <= 80_000, `size ${png.length}`);
    }
    assert.equal(new Set(server.images.map((png) => png.length)).size, server.images.length, 'different images');
    const again = await startImageServer({ port: 0 });
    try {
      assert.deepEqual(again.images.map((png) => Buffer.from(png)), server.images.map((png) => Buffer.from(png)));
    } finally {
      await again.close();
    }
  });

  it('serves /img/<n>.png with its bytes, Content-Length and CORS headers', async () => {
    const response = await fetch(`${server.url}/img/2.png?delay=0`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('content-length'), String(server.images[1].length));
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), Buffer.from(server.images[1]));
    const preflight = await fetch(`${server.url}/img/2.png`, { method: 'OPTIONS' });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-origin'), '*');
  });

  it('honours ?delay=<ms>, with a default of 300 ms', async () => {
    const timed = async (query: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/img/1.png${query}`);
      await response.arrayBuffer();
      return performance.now() - started;
    };
    const delayed = await timed('?delay=400');
    assert.ok(delayed >= 395, `?delay=400 took ${Math.round(delayed)} ms`);
    const byDefault = await timed('');
    assert.ok(byDefault >= 295, `the default took ${Math.round(byDefault)} ms`);
    const quick = await timed('?delay=0');
    assert.ok(quick < byDefault && quick < 250, `?delay=0 took ${Math.round(quick)} ms`);
  });

  it('answers ?status=<code> with that status (and CORS), after the delay', async () => {
    for (const status of [404, 500, 503]) {
      const started = performance.now();
      const response = await fetch(`${server.url}/img/1.png?status=${status}&delay=150`);
      await response.text();
      assert.equal(response.status, status);
      assert.equal(response.headers.get('access-control-allow-origin'), '*');
      assert.ok(performance.now() - started >= 145);
    }
  });

  it('with ?limit=<k>, serves k such requests at once and answers 429 at once to any more', async () => {
    const get = async (query: string) => {
      const started = performance.now();
      const response = await fetch(`${server.url}/img/1.png?${query}`);
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    };
    // Four at once under limit=2: two are served after their delay, two refused without waiting.
    const first = await Promise.all([1, 2, 3, 4].map(() => get('delay=400&limit=2')));
    assert.deepEqual(first.map((r) => r.status).sort(), [200, 200, 429, 429]);
    for (const r of first) assert.ok(r.status === 200 ? r.ms >= 395 : r.ms < 350, `${r.status} after ${Math.round(r.ms)} ms`);
    // Another limit is counted apart, and requests without one are never refused.
    const others = await Promise.all([get('delay=300&limit=3'), get('delay=300&limit=3'), get('delay=300'), get('delay=300&limit=2')]);
    assert.deepEqual(others.map((r) => r.status), [200, 200, 200, 200]);
    // An answered request gives its place back before its answer goes out: one after another, none is refused.
    for (let i = 0; i < 5; i++) assert.equal((await get('delay=0&limit=1')).status, 200);
    // So does a request whose client gave up.
    const controller = new AbortController();
    const abandoned = fetch(`${server.url}/img/1.png?delay=5000&limit=1`, { signal: controller.signal }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await get('delay=0&limit=1')).status, 429);
    controller.abort();
    assert.equal(await abandoned, 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal((await get('delay=0&limit=1')).status, 200);
  });

  it('answers 404 for unknown images and 400 for bad parameters', async () => {
    assert.equal((await fetch(`${server.url}/img/0.png?delay=0`)).status, 404);
    assert.equal((await fetch(`${server.url}/img/99.png?delay=0`)).status, 404);
    assert.equal((await fetch(`${server.url}/nothing`)).status, 404);
    assert.equal((await fetch(`${server.url}/img/1.png?delay=soon`)).status, 400);
    assert.equal((await fetch(`${server.url}/img/1.png?status=42`)).status, 400);
    assert.equal((await fetch(`${server.url}/img/1.png?limit=0`)).status, 400);
  });

  it('closes even with keep-alive connections open', async () => {
    const other = await startImageServer({ port: 0 });
    await (await fetch(`${other.url}/img/1.png?delay=0`)).arrayBuffer();
    const closing = other.close();
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error('close() hangs')), 3000));
    await Promise.race([closing, timeout]);
  });
});

// Run as a program: one "ready" line on stdout, nothing else unless IMAGE_SERVER_LOG=1.
const programs: { name: string; skip: string | false; command: () => Command }[] = [
  {
    name: 'node',
    skip: false,
    command: () => ({ cmd: process.execPath, args: ['image-server.ts'], cwd: path.join(EXAMPLES_DIR, '_support') }),
  },
  {
    name: 'node20, types stripped',
    skip: node20SkipReason(),
    command: () => ({ cmd: NODE20, args: ['image-server.mjs'], cwd: path.join(strippedDirectory(), '_support') }),
  },
];

for (const program of programs) {
  describe(`image server as a program (${program.name})`, { skip: program.skip }, () => {
    const start = async (env: Record<string, string>) => {
      const proc = startProcess(program.command(), { env: exampleEnv({ IMAGE_SERVER_PORT: '0', ...env }), timeoutMs: 20_000 });
      const ready = await proc.waitForLine(/^image-server ready /, 10_000);
      const url = /^image-server ready (http:\/\/127\.0\.0\.1:\d+)$/.exec(ready.text)?.[1];
      assert.ok(url, ready.text);
      return { proc, url };
    };

    it('prints exactly one line when ready, serves the same bytes, and logs nothing else', async () => {
      const reference = await startImageServer({ port: 0 });
      await reference.close();
      const { proc, url } = await start({});
      try {
        for (let n = 1; n <= reference.images.length; n++) {
          const body = Buffer.from(await (await fetch(`${url}/img/${n}.png?delay=0`)).arrayBuffer());
          assert.deepEqual(body, Buffer.from(reference.images[n - 1]), `image ${n}`);
        }
        await (await fetch(`${url}/img/1.png?status=404&delay=0`)).text();
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.deepEqual(proc.lines.map((line) => line.text), [`image-server ready ${url}`]);
      } finally {
        proc.kill();
        await proc.done;
      }
    });

    it('logs requests to stderr with IMAGE_SERVER_LOG=1', async () => {
      const { proc, url } = await start({ IMAGE_SERVER_LOG: '1' });
      try {
        await (await fetch(`${url}/img/3.png?delay=0`)).arrayBuffer();
        const line = await proc.waitForLine(/img\/3\.png/, 5000);
        assert.equal(line.stream, 'stderr');
      } finally {
        proc.kill();
        await proc.done;
      }
    });
  });
}
