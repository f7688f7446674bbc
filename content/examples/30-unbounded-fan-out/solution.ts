// 30 — Twenty downloads from a server with a limit, fixed.
//
// Promise.all over twenty downloads starts them all at once, and the server refuses all but 5
// of them. A semaphore of 5 places lets at most 5 downloads run at a time: the sixth waits in
// acquire() until one of the five has ended and given its place back. Node has no
// asyncio.Semaphore; the small one below does the same. Promise.all still waits for all twenty
// and keeps their results in the order of URLS.

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`); // all on stdout, which the check reads

const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const URLS = Array.from({ length: 20 }, (_, n) => `${IMAGE_SERVER}/img/${(n % 6) + 1}.png?delay=${300 + n * 10}&limit=5`);

// Like asyncio.Semaphore(places): acquire() takes a free place or waits in line for one;
// release() hands the place to the first in line, or frees it.
function semaphore(places: number) {
  const line: (() => void)[] = [];
  return {
    async acquire(): Promise<void> {
      if (places > 0) places--;
      else await new Promise<void>((resolve) => line.push(resolve));
    },
    release(): void {
      const next = line.shift();
      if (next) next(); // the place goes straight to the first in line
      else places++;
    },
  };
}
const downloads = semaphore(5); // at most 5 downloads at once, as the server allows

async function download(url: string): Promise<Uint8Array | undefined> {
  await downloads.acquire(); // waits here while 5 others are downloading
  try {
    log(`Starting download from ${url}`);
    const response = await fetch(url);
    if (response.status !== 200) {
      log(`Bad ${url}, status ${response.status}`);
      await response.arrayBuffer(); // read the refusal, so its connection is free again
      return undefined;
    }
    log(`Response received from ${response.url}, size ${response.headers.get("content-length")}`);
    return new Uint8Array(await response.arrayBuffer());
  } finally {
    downloads.release(); // like leaving `async with semaphore`
  }
}

const start = performance.now();
// Like asyncio.gather: start every download, then wait for all of them.
const images = await Promise.all(URLS.map((url) => download(url)));
log(`Downloaded in ${Math.round(performance.now() - start)} ms`);
log(`Got ${images.filter((image) => image !== undefined).length} of ${URLS.length} images`);
