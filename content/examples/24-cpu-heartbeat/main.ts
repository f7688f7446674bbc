// 24 — A heartbeat and a computation in one program.
//
// A service prints a heartbeat every 100 ms to show it is alive (a monitor would restart it
// if the beats stopped). Meanwhile it counts the primes below a limit, a pure computation of
// a second or two.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// Node computes this much faster than Python, so its limit is larger (Python's is 400 000).
const LIMIT = 4_000_000;

function countPrimes(limit: number): number {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

async function main(): Promise<void> {
  let tick = 0;
  const heartbeat = setInterval(() => log(`Tick ${++tick}`), 100);
  await sleep(350);
  log(`Counting the primes below ${LIMIT}`);
  const count = countPrimes(LIMIT);
  log(`There are ${count} primes below ${LIMIT}`);
  await sleep(350);
  clearInterval(heartbeat);
}

await main();
