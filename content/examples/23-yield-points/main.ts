// 23 — Two tasks on one thread: one gives way between its steps, the other does not.
//
// Both are async functions started together. `polite` awaits a zero-length timer after each
// step; `greedy` does its steps one after another without awaiting anything.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

async function polite(): Promise<void> {
  for (let step = 1; step <= 3; step++) {
    log(`Polite: step ${step}`);
    await sleep(0); // waits for nothing, but hands control to the event loop
  }
  log("Polite: finished");
}

async function greedy(): Promise<void> {
  for (let step = 1; step <= 3; step++) {
    log(`Greedy: step ${step}`); // think of a piece of work that needs no waiting
  }
  log("Greedy: finished");
}

await Promise.all([polite(), greedy()]);
log("Both finished");
