/**
 * The run folders of servers that are gone, removed when a runtime starts. A run's watchdog
 * removes its folder even when the server dies, but not when the watchdog itself is killed (a kill
 * of every process of the user, the OOM killer, a crash of the machine): then the folder stays,
 * and so may the program, until its CPU limit.
 *
 * A folder's name carries the PID of the server that made it (program.ts), where the program
 * cannot change it (renaming needs write access to the temporary directory, which it lacks). A
 * folder is stale when that process no longer runs; whatever still runs in it is killed first.
 * A PID that has been reused by another process only keeps a stale folder until a later start,
 * never removes a live one.
 */
import { readFileSync } from 'node:fs';
import { readdir, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { killFamily } from './family.ts';
import { TEMP_PREFIX } from './program.ts';

const OWNED = new RegExp(`^${TEMP_PREFIX}(\\d+)-`);

/** Removes the stale run folders in `dir` (the temporary directory); returns their names. */
export async function removeStaleRuns(dir: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const owner = OWNED.exec(name)?.[1];
    if (owner === undefined || isRunning(Number(owner))) continue;
    const folder = path.join(dir, name);
    try {
      const info = await stat(folder);
      if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) continue; // another user's
      await killFamily({ folder: await realpath(folder), marker: name });
      await rm(folder, { recursive: true, force: true, maxRetries: 3 });
      removed.push(name);
    } catch {
      // removed meanwhile, or not ours to remove: the next start tries again
    }
  }
  return removed;
}

/** Whether a process with this PID exists and has not ended (a zombie has). */
function isRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // another user's process: it runs
  }
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return true; // no /proc (macOS): it exists, so it runs
  }
}
