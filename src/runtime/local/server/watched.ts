/**
 * The server's side of a run's watchdog (./watchdog.ts, wire in ./watchdog-wire.ts): starts it,
 * learns the program's PID and exit from it, and hands out the program's stdout and stderr.
 */
import { spawn } from 'node:child_process';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { signalGroup } from './family.ts';
import { WATCHDOG_PATH, type WatchdogConfig, type WatchdogReport } from './watchdog-wire.ts';

/** How long the program's pipes may stay open after the watchdog has exited (see `exited`). */
const PIPES_GRACE_MS = 1000;

export interface ProgramExit {
  /** The exit code, or 128 + the signal's number when a signal ended it (137: SIGKILL). */
  code: number;
  signal: NodeJS.Signals | null;
}

export interface Watched {
  stdout: Readable;
  stderr: Readable;
  /** The program's PID once it runs (it leads its process group), or why it could not start. */
  started: Promise<{ pid: number } | { error: string }>;
  /**
   * The program's exit, once the watchdog has killed the rest of the run, removed its folder and
   * exited, and the pipes are closed. A pipe that a process outside the run still holds (one the
   * watchdog could not find) is given up after PIPES_GRACE_MS: the run is over anyway.
   */
  exited: Promise<ProgramExit>;
  /**
   * Ends the run: its group is stopped (SIGSTOP) at once, and the watchdog finds the rest, kills
   * it all and removes the folder (killing the group here would orphan what it started, and the
   * watchdog could lose track of it).
   */
  end(): void;
}

/** `env` is the watchdog's own: it must not carry the run's marker (the watchdog would find itself). */
export function startWatched(config: WatchdogConfig, env: Record<string, string>): Watched {
  const proc = spawn(process.execPath, ['--no-warnings', WATCHDOG_PATH], {
    // Node's compile cache keeps the watchdog's TypeScript stripped between runs: measured, it
    // starts the program in 40 ms instead of 95 (the cache is Node's, in its usual place).
    env: { ...env, NODE_COMPILE_CACHE: path.join(tmpdir(), 'node-compile-cache') },
    // Its own process group: the server's terminal's Ctrl+C, or a kill of the server's group,
    // reaches the server only, and the watchdog sees the server go instead of going with it.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    windowsHide: true,
  });
  const stdin = proc.stdin!;
  stdin.on('error', () => {}); // EPIPE: the watchdog has exited, which is what ending it is for
  const reports = readReports(proc.stdio[3] as Readable);
  const watchdogExit = new Promise<number | null>((resolve) => {
    proc.once('exit', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0)));
    proc.once('error', () => resolve(null)); // it could not be started at all
  });
  stdin.write(`${JSON.stringify(config)}\n`);

  let pid: number | undefined;
  const started = Promise.race([reports.first(['spawned', 'failed']), watchdogExit.then(() => null)]).then((report) => {
    if (report?.type === 'spawned') {
      pid = report.pid;
      return { pid };
    }
    return { error: report?.type === 'failed' ? report.message : `the run's watchdog (${WATCHDOG_PATH}) did not start it` };
  });

  const streamsClosed = new Promise<void>((resolve) => proc.once('close', () => resolve()));
  const exited = (async (): Promise<ProgramExit> => {
    const own = await watchdogExit;
    const report = await reports.first(['exit']);
    if (!report && pid !== undefined) signalGroup(pid, 'SIGKILL'); // the watchdog died before its program: the group at least
    await Promise.race([streamsClosed, sleep(PIPES_GRACE_MS)]);
    proc.stdout?.destroy();
    proc.stderr?.destroy();
    if (report?.type !== 'exit') return { code: own ?? 1, signal: null };
    const signal = report.signal;
    return { code: report.code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0), signal };
  })();

  return {
    stdout: proc.stdout!,
    stderr: proc.stderr!,
    started,
    exited,
    end() {
      if (pid !== undefined) signalGroup(pid, 'SIGSTOP');
      stdin.end();
    },
  };
}

/** The watchdog's report lines as they come; `first` waits for one of `types`, or null at their end. */
function readReports(stream: Readable) {
  const seen: WatchdogReport[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  let partial = '';
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) seen.push(JSON.parse(line) as WatchdogReport);
    wake();
  });
  const finish = () => {
    ended = true;
    wake();
  };
  stream.once('close', finish);
  stream.on('error', finish);
  return {
    first<T extends WatchdogReport['type']>(types: T[]): Promise<Extract<WatchdogReport, { type: T }> | null> {
      return new Promise((resolve) => {
        const check = () => {
          const found = seen.find((report): report is Extract<WatchdogReport, { type: T }> => (types as string[]).includes(report.type));
          if (!found && !ended) return;
          waiters.delete(check);
          resolve(found ?? null);
        };
        waiters.add(check);
        check();
      });
    },
  };
}
