// A small image server for the book's examples.
//
// The scrapers download pictures from it instead of from the internet: inside the browser
// sandbox (a WebContainer) requests to most real hosts are blocked by CORS, and the book must
// also work offline. Every image is a real PNG generated in memory at start.
//
//   GET /img/<n>.png               image n (1 … 6), answered after 300 ms
//   GET /img/<n>.png?delay=1000    … answered after 1000 ms
//   GET /img/<n>.png?status=404    … answered with that status instead (the error path)
//   GET /img/<n>.png?limit=5       … but at most 5 requests with limit=5 at once: any more is
//                                  answered 429 Too Many Requests at once (a server's limit)
//   GET /                          a short help text
//
// Run it:  node image-server.ts   (env IMAGE_SERVER_PORT, default 8765, 0 = any free port;
// IMAGE_SERVER_HOST, default 127.0.0.1; IMAGE_SERVER_LOG=1 logs every request to stderr).
// It prints exactly one line when it listens: `image-server ready <url>`.
// Or import it: `const server = await startImageServer({ port: 0 }); … await server.close();`

import http from "node:http";
import { existsSync, realpathSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { deflateSync } from "node:zlib";

export interface ImageServerOptions {
  port?: number; // default 8765; 0 = any free port
  host?: string; // default 127.0.0.1
  log?: boolean; // log every request to stderr
  defaultDelayMs?: number; // delay when the URL has no ?delay= (default 300)
}

export interface ImageServer {
  url: string; // e.g. http://127.0.0.1:8765
  port: number;
  images: Uint8Array[]; // the PNG files; images[0] is /img/1.png
  close(): Promise<void>;
}

// ---- PNG encoding -------------------------------------------------------------------------

// CRC-32 of a PNG chunk, computed here: Node's zlib has a crc32() only since version 22.
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An 8-bit RGB PNG of width × height; pixel(x, y) returns [r, g, b] (0–255). */
function encodePng(width: number, height: number, pixel: (x: number, y: number) => number[]): Buffer {
  // Each row: filter type 1 ("Sub": every byte minus the same colour of the pixel to its left,
  // which makes smooth areas compress well), then the row's RGB bytes.
  const stride = width * 3 + 1;
  const raw = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    raw[y * stride] = 1;
    let left = [0, 0, 0];
    for (let x = 0; x < width; x++) {
      const rgb = pixel(x, y);
      for (let i = 0; i < 3; i++) raw[y * stride + 1 + x * 3 + i] = (rgb[i] - left[i]) & 0xff;
      left = rgb;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // bit depth 8, colour type 2 (RGB), deflate, adaptive filters, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(raw)),
    chunk("IEND", new Uint8Array(0)),
  ]);
}

// ---- The pictures: patterns plus seeded noise, so every start gives the same bytes ----------

function random(seed: number): () => number {
  let a = seed >>> 0; // mulberry32
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

function makeImages(): Buffer[] {
  const rnd = random(2020);
  const noise = (amount: number) => (rnd() - 0.5) * amount;
  return [
    // 1: a blue-yellow gradient (small: gradients compress well)
    encodePng(160, 120, (x, y) => [clamp(x * 1.6), clamp(y * 2), clamp(255 - x * 1.6 + noise(2))]),
    // 2: a checkerboard with a little grain
    encodePng(200, 150, (x, y) => {
      const v = ((x >> 4) + (y >> 4)) % 2 ? 220 : 40;
      return [clamp(v + noise(2)), clamp(v + noise(2)), clamp(v * 0.8 + noise(2))];
    }),
    // 3: concentric rings
    encodePng(150, 150, (x, y) => {
      const d = Math.hypot(x - 75, y - 75);
      const v = 128 + 120 * Math.sin(d / 4);
      return [clamp(v + noise(3)), clamp(255 - v + noise(3)), clamp(160 + noise(3))];
    }),
    // 4: "plasma" waves
    encodePng(220, 160, (x, y) => {
      const v = Math.sin(x / 11) + Math.sin(y / 7) + Math.sin((x + y) / 17);
      return [clamp(128 + 40 * v + noise(12)), clamp(90 + 50 * Math.cos(v) + noise(12)), clamp(200 - 30 * v + noise(12))];
    }),
    // 5: a noisy photo-like sky over grass
    encodePng(200, 140, (_x, y) => {
      const sky = y < 80;
      return sky
        ? [clamp(110 + y + noise(16)), clamp(160 + y / 2 + noise(16)), clamp(240 + noise(8))]
        : [clamp(60 + noise(60)), clamp(150 + noise(60)), clamp(50 + noise(50))];
    }),
    // 6: pure colour noise (large: noise does not compress)
    encodePng(160, 160, () => [clamp(rnd() * 256), clamp(rnd() * 256), clamp(rnd() * 256)]),
  ];
}

// ---- The HTTP server ------------------------------------------------------------------------

const HELP = `image-server: GET /img/<n>.png with n = 1…N; ?delay=<ms> (default DEFAULT ms), ?status=<code> to get an error, ?limit=<k> to be refused (429) beyond k at once\n`;

export function startImageServer(options: ImageServerOptions = {}): Promise<ImageServer> {
  const images = makeImages();
  const defaultDelayMs = options.defaultDelayMs ?? 300;
  // For ?limit=<k>: how many requests with that k are being served now.
  const running = new Map<number, number>();
  const server = http.createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    let leave = () => {}; // gives back this request's place under its limit, if it took one
    const reply = (status: number, type: string, body: Uint8Array | string) => {
      leave(); // before the answer goes out: a client that waits for it may send the next at once
      res.writeHead(status, {
        "Content-Type": type,
        "Content-Length": Buffer.byteLength(body),
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
        "Cache-Control": "no-store",
      });
      res.end(req.method === "HEAD" ? undefined : body);
      if (options.log) {
        console.error(`image-server ${req.method} ${req.url} -> ${status} (${Buffer.byteLength(body)} bytes) after ${Date.now() - started} ms`);
      }
    };

    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Origin": "*",
        "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
        "Access-Control-Allow-Headers": "*",
      });
      res.end();
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") return reply(405, "text/plain", "only GET and HEAD\n");
    if (url.pathname === "/") return reply(200, "text/plain", HELP.replace("N", String(images.length)).replace("DEFAULT", String(defaultDelayMs)));

    const match = /^\/img\/(\d+)\.png$/.exec(url.pathname);
    const image = match ? images[Number(match[1]) - 1] : undefined;
    if (!image) return reply(404, "text/plain", `no such image: ${url.pathname} (there are /img/1.png … /img/${images.length}.png)\n`);

    const delay = Number(url.searchParams.get("delay") ?? defaultDelayMs);
    const status = Number(url.searchParams.get("status") ?? 200);
    if (!Number.isInteger(delay) || delay < 0 || delay > 600_000) return reply(400, "text/plain", "delay must be 0…600000 ms\n");
    if (!Number.isInteger(status) || status < 200 || status > 599) return reply(400, "text/plain", "status must be 200…599\n");
    const limitText = url.searchParams.get("limit");
    if (limitText !== null) {
      const limit = Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return reply(400, "text/plain", "limit must be 1…1000\n");
      const now = running.get(limit) ?? 0;
      if (now >= limit) return reply(429, "text/plain", `more than ${limit} requests at once\n`);
      running.set(limit, now + 1);
      leave = () => {
        leave = () => {};
        running.set(limit, (running.get(limit) ?? 1) - 1);
      };
    }

    const timer = setTimeout(() => {
      if (status === 200) reply(200, "image/png", image);
      else reply(status, "text/plain", `status ${status} as requested\n`);
    }, delay);
    res.on("close", () => {
      clearTimeout(timer); // the client gave up (e.g. a cancelled download)
      leave();
    });
  });

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 8765, options.host ?? "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      const host = options.host ?? "127.0.0.1";
      resolve({
        url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
        port,
        images,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections?.(); // keep-alive connections would hold close() open (Node 18.2+)
          }),
      });
    });
  });
}

// Started as a program (not imported): listen and say so.
const entry = process.argv[1] && existsSync(process.argv[1]) ? pathToFileURL(realpathSync(process.argv[1])).href : "";
if (import.meta.url === entry) {
  const env = process.env;
  const server = await startImageServer({
    port: env.IMAGE_SERVER_PORT ? Number(env.IMAGE_SERVER_PORT) : 8765,
    host: env.IMAGE_SERVER_HOST || "127.0.0.1",
    log: env.IMAGE_SERVER_LOG === "1",
  });
  console.log(`image-server ready ${server.url}`);
}
