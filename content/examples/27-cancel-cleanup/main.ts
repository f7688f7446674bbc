// 27 — Cancelling a worker that cleans up after itself.
//
// main starts a worker, lets it run for a moment and then cancels it. Node has no task.cancel():
// an AbortController plays its part, and the sleep of node:timers/promises, given the
// controller's signal, rejects with an AbortError when it is aborted (like the CancelledError
// that asyncio raises at the worker's await). The worker catches it, says so, tidies up in
// `finally` and rethrows it. In what order do the six lines come?

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

const isAbort = (error: unknown) => error instanceof Error && error.name === "AbortError";

async function worker(signal: AbortSignal): Promise<void> {
  try {
    log("Worker: step 1");
    await sleep(10_000, undefined, { signal }); // a long wait: a download, a query…
    log("Worker: step 2");
  } catch (error) {
    if (isAbort(error)) log("Worker: cancelled");
    throw error; // let the cancellation through: the worker must end cancelled
  } finally {
    log("Worker: cleaning up"); // close files, give connections back
  }
}

log("Main: starting worker");
const controller = new AbortController();
const task = worker(controller.signal);
await sleep(200); // let the worker get going
controller.abort(); // like task.cancel()
log("Main: cancel requested");
try {
  await task;
} catch (error) {
  if (!isAbort(error)) throw error;
  log("Main: worker cancelled");
}
