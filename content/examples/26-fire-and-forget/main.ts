// 26 — Three saves started in the background.
//
// Before it exits, the program saves three documents. Each save takes a moment (think of a
// request to a database), so the three are started at once and run in the background.

import process from "node:process";
import { setTimeout as sleep } from "node:timers/promises";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

async function save(name: string, ms: number): Promise<void> {
  await sleep(ms); // the database answers after `ms` milliseconds
  log(`Saved ${name}`);
}

async function main(): Promise<void> {
  for (const [name, ms] of [["report.txt", 300], ["notes.txt", 100], ["draft.txt", 200]] as const) {
    save(name, ms);
  }
  log("Main done");
}

await main();
process.exit(0); // the work is done: exit at once, as a command-line tool does
