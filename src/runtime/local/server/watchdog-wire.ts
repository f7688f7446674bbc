/**
 * Between the server (program.ts) and the watchdog of one run (watchdog.ts), which is a process of
 * its own so that it outlives the server, however the server dies:
 *
 *   watchdog stdin   ← the server: one line, the WatchdogConfig as JSON. Its end (the server
 *                      ended it, or the server is gone, SIGKILL included) ends the run.
 *   watchdog fd 1, 2 → the program's stdout and stderr, which the program writes to directly.
 *   watchdog fd 3    → the server: WatchdogReport lines, JSON.
 */
import { fileURLToPath } from 'node:url';

/** The watchdog's file, started with process.execPath (Node runs TypeScript as it is). */
export const WATCHDOG_PATH = fileURLToPath(new URL('./watchdog.ts', import.meta.url));

export interface WatchdogConfig {
  /** The program's command line: prlimit and its limits first, where there is prlimit. */
  command: string[];
  /** The run's folder (real path): the program's working directory, removed at the end. */
  folder: string;
  env: Record<string, string>;
  /** The value of RUN_MARKER (family.ts) in env: how the run's processes are found. */
  marker: string;
}

export type WatchdogReport =
  /** The program is running; its PID leads its process group. */
  | { type: 'spawned'; pid: number }
  /** The program could not be started at all. */
  | { type: 'failed'; message: string }
  /** The program has exited, and every process of the run is gone. */
  | { type: 'exit'; code: number | null; signal: NodeJS.Signals | null };
