/**
 * Serves the built book (what `npm start` runs after the build), with the local runtime that lets
 * its pages run the examples with this machine's Node:
 *
 *   node scripts/serve.ts [--port 4321] [--host 127.0.0.1] [--dist dist] [--no-runtime] [--plain-host]
 *
 * Every response is cross-origin isolated (COOP/COEP), as the deployed site must be for
 * WebContainers, and the embed pages may be framed by any site (src/runtime/isolation.ts,
 * headersFor), so that what is tested here is what readers get there. `--plain-host` serves
 * `dist/` as a plain static host does (GitHub Pages, a university web server): no isolation
 * headers and no local runtime, so the tests can see what readers of such a host get.
 *
 * It prints the book's address with the local runtime's token (`?token=…`, as Jupyter does): only
 * a tab opened with it runs examples. BOOK_RUNTIME_TOKEN in the environment fixes the token (the
 * tests use it); otherwise it is new at every start. Pages answer only GET and HEAD.
 */
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import sirv from 'sirv';
import { ROOT } from '../src/examples/files.ts';
import { headersFor } from '../src/runtime/isolation.ts';
import { createLocalRuntime, type LocalRuntime } from '../src/runtime/local/server/handler.ts';
import { isLoopbackAddress } from '../src/runtime/local/server/guard.ts';

const USAGE = 'usage: node scripts/serve.ts [--port 4321] [--host 127.0.0.1] [--dist dist] [--no-runtime] [--plain-host]';

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string', default: '4321' },
      host: { type: 'string', default: '127.0.0.1' },
      dist: { type: 'string', default: 'dist' },
      'no-runtime': { type: 'boolean', default: false },
      'plain-host': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }).values;
} catch (error) {
  console.error(`${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const port = Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number (0…65535), not ${args.port}.\n${USAGE}`);
  process.exit(2);
}
const host = args.host;
const dist = path.resolve(ROOT, args.dist);
if (!existsSync(path.join(dist, 'index.html'))) {
  console.error(`There is no built book in ${dist}: run \`npm run build\` first (or \`npm start\`, which builds it).`);
  process.exit(1);
}

const loopback = host === 'localhost' || isLoopbackAddress(host);
let runtime: LocalRuntime | undefined;
const plainHost = args['plain-host'];
if (!args['no-runtime'] && !plainHost) {
  if (loopback) runtime = createLocalRuntime({ token: process.env.BOOK_RUNTIME_TOKEN || undefined });
  else {
    console.warn(
      `Warning: the local runtime is off because --host ${host} is not a loopback address. It runs code sent ` +
        'by the page, so it is only offered to this machine; the examples fall back to the browser sandbox or to recorded output.',
    );
  }
}

const notFoundPage = path.join(dist, '404.html');
const files = sirv(dist, {
  dev: false,
  etag: true,
  // The build's .br and .gz copies (src/integrations/precompress.ts), by the request's Accept-Encoding.
  brotli: true,
  gzip: true,
  extensions: ['html'],
  // The build's hashed files never change under their name: a browser keeps them a year without
  // asking. Everything else (pages, the search index, Pyodide, the service worker) is asked
  // again each time, and the ETag answers "not modified" when it is.
  setHeaders(res, pathname) {
    res.setHeader('Cache-Control', pathname.startsWith('/_astro/') ? 'public, max-age=31536000, immutable' : 'no-cache');
  },
  onNoMatch(_req, res) {
    // Read on each miss: a rebuild while the server runs must not serve a stale page.
    const page = existsSync(notFoundPage) ? readFileSync(notFoundPage) : Buffer.from('Not found\n');
    res.writeHead(404, {
      'Content-Type': existsSync(notFoundPage) ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8',
      'Content-Length': page.length,
      'Cache-Control': 'no-store',
    });
    res.end(page);
  },
});

/** The path of a request's URL, without its query (a malformed URL counts as the root). */
function pathnameOf(url: string | undefined): string {
  try {
    return new URL(url ?? '/', 'http://book.invalid').pathname;
  } catch {
    return '/';
  }
}

const server = http.createServer((req, res) => {
  if (!plainHost) for (const [name, value] of Object.entries(headersFor(pathnameOf(req.url)))) res.setHeader(name, value);
  const serveFile = () => {
    // A static book: nothing to PUT, DELETE or TRACE. (sirv would answer any method with the file.)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
      res.end(`${req.method} is not allowed: the book's pages answer GET and HEAD.\n`);
      req.resume();
      return;
    }
    files(req, res);
  };
  if (runtime) void runtime.handle(req, res, serveFile);
  else serveFile();
});

server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${port} on ${host} is taken: stop what uses it, or choose another with --port.`
      : `Cannot serve the book on ${host}:${port}: ${error.message}`,
  );
  void runtime?.close().finally(() => process.exit(1));
  if (!runtime) process.exit(1);
});

server.listen(port, host, () => {
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shown = host.includes(':') ? `[${host}]` : host;
  const book = `http://${shown}:${actualPort}/`;
  if (runtime) {
    console.log(`Serving the book at ${book} (local runtime: on)`);
    console.log(`To run the examples with this machine's Node, open:\n\n    ${runtime.addressWithToken(book)}\n`);
  } else {
    console.log(`Serving the book at ${book} (local runtime: off${plainHost ? ', as a plain static host: no isolation headers' : ''})`);
  }
});

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  await runtime?.close();
  process.exit(0); // asked to stop, and stopped: not a failure for `npm start`
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
process.on('SIGHUP', () => void shutdown());
// Any other way out (an uncaught error, process.exit): close() kills the runs synchronously.
process.on('exit', () => void runtime?.close());
