// 28 — Ten deposits into one account, fixed.
//
// The read of the balance and the write of the new one are separated by an await, and at that
// await the other deposits run and read the same old balance. A lock keeps them out of the
// whole read-wait-write stretch, so each deposit starts from the balance the previous one left.
// Node has no asyncio.Lock; withLock below is a small one: each caller's work is chained after
// the previous caller's, so they take turns.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// Like `async with lock:` — work() starts only once the previous holder's work has ended
// (even if it failed).
let lockTail: Promise<unknown> = Promise.resolve();
function withLock<T>(work: () => Promise<T>): Promise<T> {
  const turn = lockTail.then(work);
  lockTail = turn.catch(() => undefined);
  return turn;
}

let balance = 0;

async function deposit(n: number, amount: number): Promise<void> {
  await withLock(async () => { // nobody else gets in between the read and the write
    const current = balance;
    await sleep(10); // the audit log: a network call
    balance = current + amount;
    log(`Deposit ${n}: balance ${current} -> ${balance}`);
  });
}

// Like asyncio.gather: start all ten deposits, then wait for all of them.
await Promise.all(Array.from({ length: 10 }, (_, i) => deposit(i + 1, 10)));
log(`Final balance: ${balance}`);
