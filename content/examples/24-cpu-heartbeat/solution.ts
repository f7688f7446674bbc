// 24 — A heartbeat and a computation in one program: the fixed program.
//
// The computation runs in a worker thread, on its own thread (and another CPU core), so this
// thread's event loop stays free to run the heartbeat every 100 ms.

import { setTimeout as sleep } from "node:timers/promises";
import { Worker } from "node:worker_threads";

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

// A worker shares no variables with this thread: it gets the source of countPrimes and the
// limit, and sends the count back as a message.
const WORKER_CODE = `
  const { parentPort, workerData } = require("node:worker_threads");
  ${countPrimes.toString()}
  parentPort.postMessage(countPrimes(workerData));
`;

function countPrimesInWorker(limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_CODE, { eval: true, workerData: limit });
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

async function main(): Promise<void> {
  let tick = 0;
  const heartbeat = setInterval(() => log(`Tick ${++tick}`), 100);
  await sleep(350);
  log(`Counting the primes below ${LIMIT}`);
  const count = await countPrimesInWorker(LIMIT); // the loop runs the heartbeat meanwhile
  log(`There are ${count} primes below ${LIMIT}`);
  await sleep(350);
  clearInterval(heartbeat);
}

await main();
