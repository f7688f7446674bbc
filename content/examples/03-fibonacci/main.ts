// 03 — CPU-bound work does not get faster with async.
//
// The same Fibonacci number is computed twice: by the plain recursive function, and by an
// "async" version in which every call starts two async calls and awaits both. Nothing here
// waits for the network or a timer, so there is nothing to overlap: the async version gives
// the same result, only much later, because every call also creates promises and goes
// through the microtask queue.

import { performance } from "node:perf_hooks";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// The Python version computes fib(20). Node compiles `fib` to machine code, and fib(20) takes
// it well under a millisecond, which would print "0 ms"; with N = 23 the plain version takes a
// few whole milliseconds, and the async one (about 90 000 async calls) stays near a second.
const N = 23;

function fib(n: number): number {
  return n < 2 ? n : fib(n - 2) + fib(n - 1);
}

// Python's version wraps each call in a Task; calling an async function already starts it and
// gives a promise, and Promise.all waits for both (like asyncio.gather).
async function fibAsync(n: number): Promise<number> {
  if (n < 2) return n;
  const [a, b] = await Promise.all([fibAsync(n - 2), fibAsync(n - 1)]);
  return a + b;
}

let start = performance.now();
const syncResult = fib(N);
const syncMs = Math.round(performance.now() - start);
log(`Sync fib(${N}) = ${syncResult}`);
log(`Sync Fibonacci in ${syncMs} ms`);

start = performance.now();
const asyncResult = await fibAsync(N);
const asyncMs = Math.round(performance.now() - start);
log(`Async fib(${N}) = ${asyncResult}`);
log(`Async Fibonacci in ${asyncMs} ms`);
