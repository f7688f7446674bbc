// 10 — At most LIMIT downloads at a time.
//
// Twenty images are to be downloaded, but the server (or the politeness we owe it) allows only a
// few requests at once. All twenty downloads are started, and each one waits on a semaphore of
// LIMIT before it fetches: at most LIMIT are ever in flight, and as soon as one finishes the next
// one starts. On the timeline the downloads form a band LIMIT bars wide; the total is about the
// sum of the delays divided by LIMIT. Change LIMIT and run again.

import process from "node:process";

const LIMIT = 4; // at most this many downloads at a time: try 1, 2, 10 or 20

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// The book's image server; `?delay=<ms>` makes it answer that late (300…600 ms here).
const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const DELAYS = [300, 450, 600, 350, 500, 400, 550];
const URLS = Array.from({ length: 20 }, (_, n) => `${IMAGE_SERVER}/img/${(n % 6) + 1}.png?delay=${DELAYS[n % 7]}`);

// Node has no asyncio.Semaphore; this is one. acquire() resolves at once while fewer than `size`
// hold it, otherwise when a holder calls release(); the waiters go in the order they came.
class Semaphore {
  #free: number;
  #waiting: (() => void)[] = [];
  constructor(size: number) {
    this.#free = size;
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }
  release(): void {
    const next = this.#waiting.shift();
    if (next) next(); // the place passes straight to the next waiter
    else this.#free++;
  }
}

let inFlight = 0; // downloads running right now
let most = 0; // the most that ever ran at once

async function download(semaphore: Semaphore, n: number, url: string): Promise<Uint8Array> {
  await semaphore.acquire(); // waits here while LIMIT others hold it
  try {
    inFlight++;
    most = Math.max(most, inFlight);
    log(`Download ${n} starts: ${url.slice(IMAGE_SERVER.length + 1)}, in flight ${inFlight}`);
    let body: Uint8Array;
    try {
      body = new Uint8Array(await (await fetch(url)).arrayBuffer());
    } finally {
      inFlight--;
    }
    log(`Download ${n} done, size ${body.length}, in flight ${inFlight}`);
    return body;
  } finally {
    semaphore.release(); // like leaving Python's `async with semaphore:`
  }
}

async function main(): Promise<void> {
  const start = performance.now();
  const semaphore = new Semaphore(LIMIT);
  // Node's fetch has its own limit per server (connections of its global dispatcher), but that
  // is a library setting, like aiohttp.TCPConnector(limit=…); the semaphore limits our own code.
  const images = await Promise.all(URLS.map((url, i) => download(semaphore, i + 1, url)));
  // Another way, without a semaphore: LIMIT workers share one iterator of the URLs, and each
  // takes the next one as soon as it has finished the previous one:
  //     const queue = URLS.entries();
  //     const worker = async () => { for (const [i, url] of queue) { …download it… } };
  //     await Promise.all(Array.from({ length: LIMIT }, worker));
  log(`Downloaded ${images.length} images, at most ${most} at a time, in ${Math.round(performance.now() - start)} ms`);
}

await main();
