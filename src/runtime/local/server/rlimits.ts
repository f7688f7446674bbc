/**
 * OS resource limits for a run, set with util-linux's `prlimit`, which sets them and then execs
 * the program (same PID, so the limits bind Node from its first instruction; Node has no setrlimit
 * of its own). Where there is no prlimit (macOS, Windows, a Linux without util-linux), runs have no
 * OS limits, and the server's log says so once.
 *
 * RLIMIT_NPROC is deliberately not set: Linux counts every process and thread of the user against
 * it, not the run's, so on a desktop it would fail runs at random (measured: with --nproc=20 a
 * non-root user's Node starts only when that user runs nothing else; with --nproc=1 Node aborts
 * creating its own threads), and root, which this runs as in containers, is exempt from it. The
 * permission model refuses child processes instead.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import process from 'node:process';

export interface OsLimits {
  cpuSeconds: { soft: number; hard: number };
  fileBytes: number;
  dataBytes: number;
}

let found: string | null | undefined;

/** The prlimit to use, or null when there is none (logged once per server process). */
export function prlimit(): string | null {
  if (found !== undefined) return found;
  found = process.platform === 'linux' ? onPath('prlimit') : null;
  if (!found) {
    console.warn(
      `local runtime: no prlimit on this machine (${process.platform}), so runs have no OS limits on CPU time, file size and memory; ` +
        'they still have the time, output and heap limits, and Node’s permission model.',
    );
  }
  return found;
}

/** `command` started under `limits` (by prlimit), or as it is when there is no prlimit. */
export function limitedCommand(command: string[], limits: OsLimits): string[] {
  const tool = prlimit();
  if (!tool) return command;
  const hard = hardLimits();
  const cap = (value: number, name: string) => Math.min(value, hard.get(name) ?? Infinity);
  const cpuHard = cap(limits.cpuSeconds.hard, 'Max cpu time');
  const file = cap(limits.fileBytes, 'Max file size');
  const data = cap(limits.dataBytes, 'Max data size');
  return [
    tool,
    `--cpu=${Math.min(limits.cpuSeconds.soft, cpuHard)}:${cpuHard}`,
    `--fsize=${file}:${file}`,
    `--data=${data}:${data}`,
    // No core files: a program that runs out of memory aborts, and its core would fill the folder.
    '--core=0:0',
    '--',
    ...command,
  ];
}

/**
 * The server's own hard limits, by the names of /proc/self/limits: a limit may be lowered but not
 * raised above them (prlimit would fail, and the run with it). Absent: unlimited.
 */
function hardLimits(): Map<string, number> {
  const limits = new Map<string, number>();
  try {
    for (const line of readFileSync('/proc/self/limits', 'utf8').split('\n').slice(1)) {
      const match = /^(.+?)\s{2,}(\S+)\s+(\S+)/.exec(line);
      if (match && /^\d+$/.test(match[3]!)) limits.set(match[1]!, Number(match[3]));
    }
  } catch {
    // no /proc: prlimit is Linux's, so this does not happen where it is used
  }
  return limits;
}

function onPath(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/bin']) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}
