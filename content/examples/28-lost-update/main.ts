// 28 — Ten deposits into one account.
//
// Ten deposits each add 10 to a shared balance, so it should end at 100. Each deposit reads the
// balance, waits a little (as if it wrote to the bank's audit log first) and then stores the
// new balance.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

let balance = 0;

async function deposit(n: number, amount: number): Promise<void> {
  const current = balance;
  await sleep(10); // the audit log: a network call
  balance = current + amount;
  log(`Deposit ${n}: balance ${current} -> ${balance}`);
}

// Like asyncio.gather: start all ten deposits, then wait for all of them.
await Promise.all(Array.from({ length: 10 }, (_, i) => deposit(i + 1, 10)));
log(`Final balance: ${balance}`);
