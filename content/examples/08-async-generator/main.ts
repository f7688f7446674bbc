// 08 — An async generator, consumed with `for await`.
//
// An async generator is an async function that yields: it can await between its values.
// `for await` asks it for the next value and waits until it comes, while the event loop is
// free to run other work. The generator is lazy: it starts working on a value only when the
// loop asks for it, which the timestamps show.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

const COUNT = 5;
const DELAY_MS = 300;

// Produces the squares 1, 4, 9, … with a pause before each one (think of a value arriving
// from the network).
async function* squares(count: number, delayMs: number): AsyncGenerator<number> {
  for (let i = 1; i <= count; i++) {
    log(`Generator: working on value ${i}`);
    await sleep(delayMs); // here the generator gives way to the event loop
    yield i * i; // here it hands a value to the consumer, and pauses until asked again
  }
  log("Generator: no more values");
}

const start = performance.now();
for await (const value of squares(COUNT, DELAY_MS)) {
  log(`Consumer: got ${value} after ${Math.round(performance.now() - start)} ms`);
}
log("Consumer: done");
