// 26 — Three saves started in the background: the fixed program.
//
// The saves still run at the same time, but main keeps their promises and waits for all of
// them before it says it is done, so none is lost when the program exits.

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
  const saves: Promise<void>[] = [];
  for (const [name, ms] of [["report.txt", 300], ["notes.txt", 100], ["draft.txt", 200]] as const) {
    saves.push(save(name, ms));
  }
  await Promise.all(saves); // all three run at once; main waits for the last of them
  log("Main done");
}

await main();
process.exit(0); // the work is done: exit at once, as a command-line tool does
