// 21 — Three jobs started together, waited for together.
//
// Each job says when it starts and when it is done, and returns its name. Promise.all starts
// waiting for all three at once and gives back their results as a list.

import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

// A job that waits `ms` milliseconds (think of a request to a server) and returns its name.
async function job(name: string, ms: number): Promise<string> {
  log(`${name} starts`);
  await sleep(ms); // here the job gives way, and the others run
  log(`${name} done`);
  return name;
}

const results = await Promise.all([job("A", 600), job("B", 200), job("C", 400)]);
log(`Results: ${results.join(", ")}`);
