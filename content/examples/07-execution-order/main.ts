// 07 — In what order does asynchronous code run?
//
// Each line below carries its number in the order in which it is printed. Read the code from
// top to bottom and try to predict that order; then run it. The rules:
// - synchronous code runs to its end: nothing can interrupt it;
// - calling an async function runs it at once, up to its first `await`;
// - microtasks (queueMicrotask, .then() of a settled promise, the rest of an async function
//   after an `await`) run as soon as the current code has finished, before anything else;
// - setImmediate runs at the end of the current turn of the event loop;
// - a timer, even setTimeout(…, 0), runs in a later turn of the loop.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

async function child(): Promise<string> {
  log("3. child() runs at once, up to its first await");
  await null; // gives way: the rest of child() becomes a microtask
  log("7. child() continues in a microtask");
  return "the child's result";
}

async function main(): Promise<void> {
  log("1. main() starts");
  setTimeout(() => log("10. setTimeout(0): a timer, in the next turn of the loop"), 0);
  setImmediate(() => log("9. setImmediate: at the end of this turn of the loop"));
  queueMicrotask(() => log("5. queueMicrotask: right after the synchronous code"));
  Promise.resolve("a settled promise").then((value) => log(`6. .then() of ${value}: also a microtask`));
  log("2. main() calls child()");
  const promise = child();
  log("4. child() is waiting at its await; main() goes on");
  const result = await promise; // main() gives way until child() has finished
  log(`8. main() resumes after await with ${result}`);
}

// First wait for a timer, so that main() runs inside a turn of the event loop, as every
// callback does. (In a module's top-level code, before the loop has started, setTimeout(0) and
// setImmediate can come in either order; inside a turn of the loop their order is fixed.)
await sleep(0);
await main();
