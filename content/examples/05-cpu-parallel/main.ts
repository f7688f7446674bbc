// 05 — The same CPU work on one event loop, and split over worker threads.
//
// The work is four parts of equal size: fib(N) four times. On one event loop the four parts
// are "concurrent" async functions, but only one of them can compute at a time, so they finish
// one after another. In worker threads each part runs on its own thread, and the threads run
// in parallel on as many CPU cores as the machine has. Concurrency is how a program is split
// into parts; parallelism is whether the parts really run at the same time.

import os from "node:os";
import { Worker } from "node:worker_threads";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// Each part must be big enough to be worth a thread: starting a worker thread costs tens of
// milliseconds. fib(37) takes Node about a fifth of a second (Python's version uses fib(30)).
const PARTS = 4;
const N = 37;

function fib(n: number): number {
  return n < 2 ? n : fib(n - 2) + fib(n - 1);
}

// One part on the event loop: an async function that never awaits anything, so it computes
// from start to end without giving way.
async function partOnLoop(part: number): Promise<number> {
  log(`One event loop: part ${part} of ${PARTS} starts`);
  const result = fib(N);
  log(`One event loop: part ${part} of ${PARTS} done`);
  return result;
}

// One part in a worker thread. A worker is a separate JavaScript world that shares no variables
// with this one: it gets the source code of fib and the number N, and sends its result back as
// a message. (It could also load this whole file again; a few lines start much faster.)
const WORKER_CODE = `
  const { parentPort, workerData } = require("node:worker_threads");
  ${fib.toString()}
  parentPort.postMessage(fib(workerData));
`;

function partInWorker(part: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: N });
    log(`Worker threads: part ${part} of ${PARTS} starts`);
    worker.once("message", (result: number) => {
      log(`Worker threads: part ${part} of ${PARTS} done`);
      resolve(result);
    });
    worker.once("error", reject);
  });
}

async function main(): Promise<void> {
  const parts = Array.from({ length: PARTS }, (_, i) => i + 1);

  let start = performance.now();
  const onLoop = await Promise.all(parts.map((part) => partOnLoop(part)));
  const loopMs = Math.round(performance.now() - start);
  log(`One event loop: total ${onLoop.reduce((a, b) => a + b)} in ${loopMs} ms`);

  start = performance.now();
  const inWorkers = await Promise.all(parts.map((part) => partInWorker(part)));
  const workersMs = Math.round(performance.now() - start);
  log(`Worker threads: total ${inWorkers.reduce((a, b) => a + b)} in ${workersMs} ms`);

  log(`Speed-up: ${(loopMs / workersMs).toFixed(2)}x with ${PARTS} threads on ${os.cpus().length} CPU cores`);
}

await main();
