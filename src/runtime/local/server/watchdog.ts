/**
 * The watchdog of one run: started by the server (program.ts) with process.execPath, it starts
 * the program in a process group of its own and makes sure that nothing of the run outlives it.
 * The wire is in ./watchdog-wire.ts.
 *
 * It ends the run, killing every process of it (family.ts) and removing its folder, when
 * - the program exits (whatever it started and left running goes with it);
 * - its stdin ends: the server asked (Stop, a limit, shutdown), or the server is gone, however it
 *   went. A SIGKILLed server runs no code at all, but the kernel closes its end of the pipe, and
 *   that is what the watchdog waits for;
 * - it gets SIGTERM, SIGINT or SIGHUP.
 * It is in a process group of its own too, so a Ctrl+C in the server's terminal, or a kill of the
 * server's group, reaches the server and not the watchdog, which then sees the pipe close.
 *
 * It prints nothing: its stdout and stderr are the program's.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync, writeSync } from 'node:fs';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { killFamily } from './family.ts';
import type { WatchdogConfig, WatchdogReport } from './watchdog-wire.ts';

const REPORTS_FD = 3;

let config: WatchdogConfig | undefined;
let program: ChildProcess | undefined;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
let ending = false;

function report(message: WatchdogReport): void {
  try {
    writeSync(REPORTS_FD, `${JSON.stringify(message)}\n`);
  } catch {
    // the server is gone: nobody to tell
  }
}

function start(given: WatchdogConfig): void {
  config = given;
  const [command, ...args] = given.command;
  const child = spawn(command!, args, {
    cwd: given.folder,
    env: given.env,
    detached: true, // its own session and process group, led by its PID
    stdio: ['ignore', 'inherit', 'inherit'],
    windowsHide: true,
  });
  program = child;
  exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.once('spawn', () => report({ type: 'spawned', pid: child.pid! }));
  child.once('error', (error) => {
    // Before 'spawn': it could not start. After it, only a kill could fail, and kills go by PID.
    if (child.pid === undefined) {
      report({ type: 'failed', message: error.message });
      void end();
    }
  });
  void exited.then(() => end());
}

/** Kills the run, removes its folder, reports the program's exit, and exits. */
async function end(): Promise<void> {
  if (ending) return;
  ending = true;
  if (config) {
    const family = { folder: config.folder, marker: config.marker, pgid: program?.pid };
    await killFamily(family);
    // SIGKILL ends it at once; the wait is for a process stuck in the kernel, which ends later.
    const stuck = sleep(2000).then(() => ({ code: null, signal: 'SIGKILL' as const }));
    const exit = exited && program?.pid !== undefined ? await Promise.race([exited, stuck]) : null;
    await killFamily(family); // what it started in its last moments
    rmSync(config.folder, { recursive: true, force: true, maxRetries: 3 });
    if (exit) report({ type: 'exit', code: exit.code, signal: exit.signal });
  }
  process.exit(0);
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk: string) => {
  if (config) return;
  input += chunk;
  const newline = input.indexOf('\n');
  if (newline >= 0) start(JSON.parse(input.slice(0, newline)) as WatchdogConfig);
});
process.stdin.once('end', () => void end());
process.stdin.once('error', () => void end());
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => void end());
