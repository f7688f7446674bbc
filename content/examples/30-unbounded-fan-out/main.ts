// 30 — Twenty downloads from a server with a limit.
//
// The program downloads twenty images, all of them concurrently. The image server serves at
// most 5 downloads at once from this program (limit=5 in the URL, as a real API documents its
// limit) and answers any more with 429 Too Many Requests.

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`); // all on stdout, which the check reads

const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const URLS = Array.from({ length: 20 }, (_, n) => `${IMAGE_SERVER}/img/${(n % 6) + 1}.png?delay=${300 + n * 10}&limit=5`);

async function download(url: string): Promise<Uint8Array | undefined> {
  log(`Starting download from ${url}`);
  const response = await fetch(url);
  if (response.status !== 200) {
    log(`Bad ${url}, status ${response.status}`);
    await response.arrayBuffer(); // read the refusal, so its connection is free again
    return undefined;
  }
  log(`Response received from ${response.url}, size ${response.headers.get("content-length")}`);
  return new Uint8Array(await response.arrayBuffer());
}

const start = performance.now();
// Like asyncio.gather: start every download, then wait for all of them.
const images = await Promise.all(URLS.map((url) => download(url)));
log(`Downloaded in ${Math.round(performance.now() - start)} ms`);
log(`Got ${images.filter((image) => image !== undefined).length} of ${URLS.length} images`);
