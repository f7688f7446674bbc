/**
 * Finding and killing every process of a run: the program, and whatever it started, including
 * what left its process group.
 *
 * The program leads its own process group (and session), which is where it starts. But
 * a descendant started with `detached: true` makes a session and group of its own, and once its
 * parent has exited it is a child of PID 1, so neither the group nor the process tree leads to
 * it. What it keeps is what it inherited: its working directory (the run's folder; the permission
 * model, which Node 24 hands on to a child Node, refuses a chdir out of it) and its environment,
 * which carries the run's marker (RUN_MARKER). On Linux, /proc shows both for every process of the
 * same user, without privileges. A cgroup would be exact, but creating one needs root or a
 * systemd delegation that a reader's `npm start` does not have (in this project's container, as
 * root, it would work; readers' machines are not that).
 *
 * Without /proc (macOS, Windows) only the group is killed (on Windows, only the program: Windows
 * has no process groups).
 */
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/** The environment variable that marks every process of a run: its value is the folder's name. */
export const RUN_MARKER = 'ASYNCIO_BOOK_RUN';

export interface Family {
  /** The run's folder, as a real path (what /proc shows as a working directory). */
  folder: string;
  /** The value of RUN_MARKER in the run's environment. */
  marker: string;
  /** The program's PID, which is also its process group's and session's ID; absent for a stale folder. */
  pgid?: number;
}

/**
 * Kills every process of the family with SIGKILL, until none is left; returns the PIDs killed.
 *
 * Everything found is stopped (SIGSTOP) before anything is killed, and the group first: a killed
 * parent would hand its children to PID 1 at once, and a child that has also left the folder and
 * dropped its environment could then no longer be found. Stopped, a process can neither start
 * another nor exit. A descendant that made all of those changes and whose parent had already
 * exited is beyond what /proc can tell (a cgroup would know; see above).
 */
export async function killFamily(family: Family): Promise<number[]> {
  if (!existsSync('/proc/self/stat')) {
    if (family.pgid) signalGroup(family.pgid, 'SIGKILL');
    return family.pgid ? [family.pgid] : [];
  }
  if (family.pgid) signalGroup(family.pgid, 'SIGSTOP');
  const found = new Set<number>();
  for (let round = 0; round < 20; round++) {
    const fresh = members(family).filter((pid) => !found.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      found.add(pid);
      signal(pid, 'SIGSTOP');
    }
  }
  if (family.pgid) signalGroup(family.pgid, 'SIGKILL');
  for (const pid of found) signal(pid, 'SIGKILL');
  // A process caught between fork() and the stop, or not yet dead: look again until a look finds none.
  for (let round = 0; round < 20; round++) {
    await sleep(round < 3 ? 5 : 50); // SIGKILL takes effect when the process is next scheduled
    const left = members(family);
    if (left.length === 0) break;
    for (const pid of left) {
      found.add(pid);
      signal(pid, 'SIGKILL');
    }
  }
  return [...found];
}

/**
 * A signal to the group (SIGSTOP: frozen, SIGKILL: gone), or to the process alone on Windows,
 * which has neither groups nor SIGSTOP.
 */
export function signalGroup(pgid: number, name: 'SIGSTOP' | 'SIGKILL'): void {
  if (process.platform === 'win32') {
    if (name === 'SIGKILL') signal(pgid, name);
    return;
  }
  signal(-pgid, name);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // ESRCH: gone already
  }
}

interface Stat {
  pid: number;
  ppid: number;
  pgrp: number;
  session: number;
}

/** The live (not zombie) processes of the family, by group, session, parent, folder or marker. */
export function members(family: Family): number[] {
  const inFolder = (dir: string) => dir === family.folder || dir.startsWith(family.folder + path.sep);
  const marker = `${RUN_MARKER}=${family.marker}\0`;
  const stats: Stat[] = [];
  const found = new Set<number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid || pid === 1) continue;
    const stat = readStat(pid);
    if (!stat) continue;
    stats.push(stat);
    if (family.pgid && (stat.pgrp === family.pgid || stat.session === family.pgid)) found.add(pid);
    else if (inFolder(readLink(`/proc/${pid}/cwd`))) found.add(pid);
    else if (`\0${readText(`/proc/${pid}/environ`)}`.includes(`\0${marker}`)) found.add(pid);
  }
  // Children of members, and theirs: a process that has changed all of the above still has a parent.
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) {
      if (!found.has(stat.pid) && found.has(stat.ppid)) {
        found.add(stat.pid);
        grew = true;
      }
    }
  }
  return [...found];
}

/** A process's parent, group and session from /proc/PID/stat, or null if it is gone or a zombie. */
function readStat(pid: number): Stat | null {
  const text = readText(`/proc/${pid}/stat`);
  // "PID (command) STATE PPID PGRP SESSION …": the command may contain spaces and parentheses.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  if (fields.length < 4 || fields[0] === 'Z' || fields[0] === 'X') return null;
  return { pid, ppid: Number(fields[1]), pgrp: Number(fields[2]), session: Number(fields[3]) };
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch {
    return ''; // gone meanwhile, or another user's
  }
}

function readLink(file: string): string {
  try {
    return readlinkSync(file);
  } catch {
    return '';
  }
}
