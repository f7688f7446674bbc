// 25 — A generator driven from outside: the coroutines that came before async/await.
//
// `collector` is a generator: it runs only when someone resumes it with next(), and each
// `yield` hands a value out and pauses it there. next(value) resumes it, and the paused
// `yield` expression takes that value. return() ends it at its paused yield. The driver below
// creates it, resumes it once to get it going, sends it two words and closes it.

import { inspect } from "node:util";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// inspect() shows a string in quotes, as Python's repr() (%r) does.
const show = (value: unknown) => inspect(value);

// Collects the words it is sent; each yield hands out how many it has so far.
function* collector(): Generator<number, void, string> {
  log("Coroutine: started");
  const words: string[] = [];
  try {
    while (true) {
      const word = yield words.length;
      log(`Coroutine: received ${show(word)}`);
      words.push(word);
    }
  } finally {
    log(`Coroutine: closed, collected ${show(words.join(" "))}`);
  }
}

log("Driver: creating the coroutine");
const coroutine = collector();
log("Driver: coroutine created");
log(`Driver: first resume gave ${coroutine.next().value}`);
for (const word of ["async", "await"]) {
  const count = coroutine.next(word).value;
  log(`Driver: sent ${show(word)}, got ${count}`);
}
log("Driver: closing");
coroutine.return();
log("Driver: done");
