// 29 — Taking the downloads as they finish.
//
// Four images are downloaded at once; the image server answers each after the delay the URL
// asks for. asCompleted below plays asyncio.as_completed, which Node does not have: it hands
// the downloads back one by one, and main reports each as soon as it has it. In what order do
// the lines come?

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
// [the image, how long the server takes to answer it, in ms], in the order they are started
const JOBS: [string, number][] = [["img/1.png", 800], ["img/2.png", 200], ["img/3.png", 1100], ["img/4.png", 500]];

async function download(name: string, delay: number): Promise<string> {
  log(`Started ${name}`);
  const response = await fetch(`${IMAGE_SERVER}/${name}?delay=${delay}`);
  if (!response.ok) throw new Error(`${name}: status ${response.status}`);
  await response.arrayBuffer();
  return name;
}

// Like asyncio.as_completed: Promise.race gives whichever pending promise settles first; it is
// taken out of the race and the loop races the rest.
async function* asCompleted<T>(promises: Promise<T>[]): AsyncGenerator<T> {
  const pending = new Map(promises.map((promise, i) => [i, promise.then((value) => ({ i, value }))]));
  while (pending.size > 0) {
    const { i, value } = await Promise.race(pending.values());
    pending.delete(i);
    yield value;
  }
}

const downloads = JOBS.map(([name, delay]) => download(name, delay)); // all started at once
for await (const name of asCompleted(downloads)) log(`Done ${name}`);
log("All done");
