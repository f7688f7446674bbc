// 22 — Five downloads, each awaited: the fixed program.
//
// The downloads do not depend on each other, so they are all started at once and awaited
// together: the total time is about that of the slowest one, not the sum.

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// The images come from the book's small image server; `?delay=<ms>` makes it answer that late.
const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const URLS = [300, 600, 400, 700, 500].map((delay, i) => `${IMAGE_SERVER}/img/${i + 1}.png?delay=${delay}`);

async function download(url: string): Promise<Uint8Array> {
  log(`Starting download from ${url}`);
  const response = await fetch(url); // waits for the network without blocking the thread
  const image = new Uint8Array(await response.arrayBuffer());
  log(`Response received from ${url}, size ${image.length}`);
  return image;
}

async function main(): Promise<void> {
  const start = performance.now();
  // Calling download() starts it at once; Promise.all waits for all five together.
  const images = await Promise.all(URLS.map((url) => download(url)));
  log(`Downloaded ${images.length} images in ${Math.round(performance.now() - start)} ms`);
}

await main();
