// 09 — One collector, three styles: callbacks, promises, async/await.
//
// The lecture tells how Python got to asyncio: callback libraries (Twisted, Tornado), then
// green threads (gevent), then coroutines with async/await. Node went a similar way: first
// callbacks, then promises, then async/await on top of promises. Here is the same collector,
// downloading the same images, in each of the three styles. Look at the output: the three
// styles collect the same bytes in about the same time; only the code reads differently.
//
// (gevent's green threads, where ordinary-looking blocking code is made concurrent by a patched
// library, have no counterpart in Node; async/await gives the same straight-line code, with
// every place that waits marked by `await`.)

import { createHash } from "node:crypto";
import http from "node:http";
import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// The images come from the book's small image server (see 01 for how to try real URLs;
// http.get below only speaks plain http, fetch speaks both http and https).
const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const URLS = process.env.URLS ? process.env.URLS.split(",") : [
  `${IMAGE_SERVER}/img/1.png?delay=300`,
  `${IMAGE_SERVER}/img/2.png?delay=600`,
  `${IMAGE_SERVER}/img/3.png?delay=450`,
];

// 1. Callbacks, like Tornado's AsyncHTTPClient: every step says which function to call next.
// Node's convention is `callback(error, result)`: errors travel by hand, too.
function collectWithCallbacks(urls: string[], callback: (error: Error | null, bodies?: Buffer[]) => void): void {
  const bodies: Buffer[] = [];
  let remaining = urls.length;
  urls.forEach((url, i) => {
    http
      .get(url, (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          bodies[i] = Buffer.concat(chunks);
          log(`callbacks: response received from ${url}, size ${bodies[i].length}`);
          remaining -= 1;
          if (remaining === 0) callback(null, bodies);
        });
      })
      .on("error", (error) => callback(error));
  });
}

// 2. Promises: fetch() gives a promise of the response; .then() says what to do with it, and
// returns a promise of that. Promise.all waits for all of them.
function collectWithPromises(urls: string[]): Promise<Buffer[]> {
  return Promise.all(
    urls.map((url) =>
      fetch(url)
        .then((response) => response.arrayBuffer())
        .then((data) => {
          log(`promises: response received from ${url}, size ${data.byteLength}`);
          return Buffer.from(data);
        }),
    ),
  );
}

// 3. async/await: the same promises, written as straight-line code (like asyncio coroutines).
async function collectWithAwait(urls: string[]): Promise<Buffer[]> {
  return Promise.all(
    urls.map(async (url) => {
      const response = await fetch(url);
      const data = await response.arrayBuffer();
      log(`async/await: response received from ${url}, size ${data.byteLength}`);
      return Buffer.from(data);
    }),
  );
}

function summary(style: string, bodies: Buffer[], start: number): void {
  const bytes = bodies.reduce((sum, body) => sum + body.length, 0);
  const digest = createHash("sha256").update(Buffer.concat(bodies)).digest("hex").slice(0, 16);
  log(`${style}: collected ${bodies.length} images, ${bytes} bytes, sha256 ${digest}, in ${Math.round(performance.now() - start)} ms`);
}

// Run the three collectors one after another. The callback style needs a wrapper to be
// awaited: a promise that its callback settles (util.promisify does the same).
let start = performance.now();
const viaCallbacks = await new Promise<Buffer[]>((resolve, reject) => {
  collectWithCallbacks(URLS, (error, bodies) => (error ? reject(error) : resolve(bodies ?? [])));
});
summary("callbacks", viaCallbacks, start);

start = performance.now();
summary("promises", await collectWithPromises(URLS), start);

start = performance.now();
summary("async/await", await collectWithAwait(URLS), start);
