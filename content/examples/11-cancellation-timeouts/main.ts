// 11 — Cancellation, timeouts and shield, the Node way: an AbortSignal.
//
// A) A download is cancelled in the middle: controller.abort() makes its fetch reject with an
//    AbortError where it waits, its `finally` cleans up, the error goes on up, and the caller
//    sees it.
// B) A timeout over a group: AbortSignal.timeout(500), combined with the group's own signal by
//    AbortSignal.any, aborts all three downloads when the time is up; the error is a TimeoutError.
// C) The Node counterpart of shield: the waiting gives up after 200 ms, but the save was never
//    given a signal, so nothing stops it, and it finishes later.
// Node cannot cancel a promise from outside as asyncio cancels a task: the code that does the work
// must take a signal and pass it on (to fetch here).

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const SLOW = `${IMAGE_SERVER}/img/1.png?delay=5000`; // a long download: the server answers after 5 s
const GROUP = [[2, 3000], [3, 4000], [4, 5000]].map(([n, ms]) => `${IMAGE_SERVER}/img/${n}.png?delay=${ms}`);
const SAVE = `${IMAGE_SERVER}/img/5.png?delay=600`;

async function download(part: string, url: string, signal?: AbortSignal): Promise<Uint8Array> {
  log(`${part}: Starting download from ${url}`);
  let body: Uint8Array;
  try {
    const response = await fetch(url, { signal }); // an abort rejects here, with the signal's reason
    body = new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if (signal?.aborted) log(`${part}: Cancelled download from ${url}`);
    throw error; // let the caller know, as Python re-raises CancelledError
  }
  log(`${part}: Response received from ${url}, size ${body.length}`);
  return body;
}

async function downloadToFile(url: string, signal: AbortSignal): Promise<void> {
  const file: Uint8Array[] = []; // stands for a file opened for writing
  try {
    file.push(await download("A", url, signal));
  } finally { // runs however the function ends, aborted included
    file.length = 0;
    log("A: Cleanup: closed the half-written file");
  }
}

async function save(): Promise<void> {
  const body = await download("C", SAVE); // no signal: nothing can abort it
  log(`C: Saved ${body.length} bytes`);
}

// A) controller.abort() asks the download to stop; it stops at the await where it waits.
const controller = new AbortController();
const task = downloadToFile(SLOW, controller.signal);
await sleep(300);
log("A: Cancelling the task after 300 ms");
controller.abort();
try {
  await task;
} catch (error) {
  log(`A: The caller sees ${(error as Error).name}: controller.signal.aborted is ${controller.signal.aborted}`);
}

// B) One deadline for the whole group. The group's own controller would abort the others if one
// download failed, as a TaskGroup does; allSettled waits for all of them to end, as a TaskGroup
// does (Promise.all would stop waiting at the first rejection).
const start = performance.now();
const group = new AbortController();
const signal = AbortSignal.any([group.signal, AbortSignal.timeout(500)]);
const results = await Promise.allSettled(
  GROUP.map((url) => download("B", url, signal).catch((error) => {
    group.abort(error);
    throw error;
  })),
);
const failure = results.find((result) => result.status === "rejected");
if (failure && (failure.reason as Error).name === "TimeoutError") {
  const ms = Math.round(performance.now() - start);
  const cancelled = results.filter((result) => result.status === "rejected" && ["TimeoutError", "AbortError"].includes((result.reason as Error).name)).length;
  log(`B: TimeoutError after ${ms} ms: ${cancelled} of the group's ${results.length} downloads were cancelled`);
} else if (failure) {
  throw failure.reason; // not the timeout: a real failure goes on up, as from a TaskGroup
}

// C) Stop waiting after 200 ms; the save goes on, because it has no signal to obey.
const saving = save();
let timer: ReturnType<typeof setTimeout> | undefined;
const timeout = new Promise<never>((_, reject) => {
  timer = setTimeout(() => reject(new DOMException("The wait timed out", "TimeoutError")), 200);
});
try {
  await Promise.race([saving, timeout]);
} catch (error) {
  log(`C: ${(error as Error).name} after 200 ms: stopped waiting, the save goes on`);
} finally {
  clearTimeout(timer);
}
await saving; // the download still runs: await it to see it end
log("C: The shielded save has finished");
