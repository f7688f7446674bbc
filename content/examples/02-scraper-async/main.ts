// 02 — Downloading images concurrently.
//
// Every download is started at once, and then the program waits for all of them together.
// While one request waits for the network, the others make progress, so the total time is
// about the time of the slowest request, not the sum. Every "Starting download" line comes
// before the first "Response received" line.

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

// The same download as in 01. `fetch` shares one pool of connections for the whole program,
// as the Python version shares one aiohttp.ClientSession.
async function download(url: string): Promise<Uint8Array | undefined> {
  log.info(`Starting download from ${url}`);
  const response = await fetch(url); // here this download waits, and the others run
  if (response.status !== 200) {
    log.error(`Bad ${url}, status ${response.status}`);
    return undefined;
  }
  log.info(`Response received from ${response.url}, size ${response.headers.get("content-length")}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function main(): Promise<(Uint8Array | undefined)[]> {
  const start = performance.now();
  // Calling download() starts it right away (like asyncio.create_task); Promise.all waits for
  // all of them (like asyncio.gather) and gives the results in the order of URLS.
  const downloads = URLS.map((url) => download(url));
  const images = await Promise.all(downloads);
  log.info(`Downloaded in ${Math.round(performance.now() - start)} ms`);
  // The responses arrived in the order of their delays; the results are in the order of URLS.
  log.info(`Results in the order of URLS: ${images.map((image) => image?.length ?? "none").join(", ")}`);
  return images;
}

await main();
