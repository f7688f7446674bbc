// 06 — A timer that cannot fire while the thread is busy.
//
// setInterval asks for a tick every 100 ms. The event loop can run the tick only when nothing
// else is running, so the ticks come late twice: first while a CPU loop keeps the thread busy,
// then during a synchronous sleep. Atomics.wait blocks the thread the way Python's time.sleep()
// blocks the event loop; `await` on a timer would not block anything.

import { performance } from "node:perf_hooks";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

const INTERVAL_MS = 100;
const BLOCK_MS = 500;

function cpuLoop(ms: number): void {
  log(`CPU loop starts (busy for ${ms} ms)`);
  const end = performance.now() + ms;
  let steps = 0;
  while (performance.now() < end) steps++; // pure computation: nothing else can run meanwhile
  log(`CPU loop ends after ${steps} steps`);
}

function synchronousSleep(ms: number): void {
  log(`Synchronous sleep starts (${ms} ms, like time.sleep)`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms); // blocks the whole thread
  log("Synchronous sleep ends");
}

log(`Timer starts: a tick every ${INTERVAL_MS} ms`);
let previous = performance.now();
let tick = 0;
const timer = setInterval(() => {
  const now = performance.now();
  tick += 1;
  log(`Tick ${tick}: ${Math.round(now - previous)} ms since the previous tick`);
  previous = now;
}, INTERVAL_MS);

setTimeout(() => cpuLoop(BLOCK_MS), 450);
setTimeout(() => synchronousSleep(BLOCK_MS), 1300);
setTimeout(() => {
  clearInterval(timer);
  log("Timer stopped");
}, 2250);
