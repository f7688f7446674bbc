// 01 — Downloading images one after another.
//
// Each download starts only when the previous one has finished, so the total time is the
// sum of all the request times. Python's `requests` blocks the whole program while it waits
// for the network; Node has no blocking HTTP client, so this port waits for each download
// (`await`) before it starts the next one: while one request is in flight, nothing else runs.

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = { info: (message: string) => console.log(`${asctime(new Date())} ${message}`), error: (message: string) => console.error(`${asctime(new Date())} ${message}`) };

// The images come from the book's small image server; `?delay=<ms>` makes it answer that late.
// To try real images, list their URLs in the env variable URLS (comma-separated) or here, e.g.
// "https://www.python.org/static/img/python-logo.png". In the browser sandbox most real hosts
// are blocked by CORS, so there only servers that allow it will answer.
const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const URLS = process.env.URLS ? process.env.URLS.split(",") : [
  `${IMAGE_SERVER}/img/1.png?delay=300`,
  `${IMAGE_SERVER}/img/2.png?delay=800`,
  `${IMAGE_SERVER}/img/3.png?delay=500`,
  `${IMAGE_SERVER}/img/4.png?delay=1000`,
  `${IMAGE_SERVER}/img/5.png?delay=400`,
];

async function download(url: string): Promise<Uint8Array | undefined> {
  log.info(`Starting download from ${url}`);
  const response = await fetch(url);
  if (response.status !== 200) {
    log.error(`Bad ${url}, status ${response.status}`);
    return undefined;
  }
  log.info(`Response received from ${response.url}, size ${response.headers.get("content-length")}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function main(): Promise<(Uint8Array | undefined)[]> {
  const start = performance.now();
  const images: (Uint8Array | undefined)[] = [];
  for (const url of URLS) {
    images.push(await download(url)); // the next download starts only after this one
  }
  log.info(`Downloaded in ${Math.round(performance.now() - start)} ms`);
  log.info(`Results in the order of URLS: ${images.map((image) => image?.length ?? "none").join(", ")}`);
  return images;
}

await main();
