/**
 * A program as a child process whose output is collected as timestamped lines, with waits for a
 * line that matches (the tests and the recorder script sessions with them).
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { LineSplitter } from '../../src/lib/lines.ts';
import { exampleEnv, type Command } from './launchers.ts';

export type Stream = 'stdout' | 'stderr';

export interface Line {
  t: number; // ms since the start of the run (integer)
  stream: Stream;
  text: string;
}

export interface RunResult {
  exitCode: number; // the process's exit code; 128 + n when killed by signal n
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  durationMs: number;
  lines: Line[];
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number; // killed (SIGKILL) after this long
  t0?: number; // time origin (performance.now()) for the lines' t; default: when the process starts
  onLine?: (line: Line) => void;
  stdin?: 'ignore' | 'pipe';
}

export interface RunningProcess {
  pid: number | undefined;
  lines: Line[];
  done: Promise<RunResult>;
  /** The first line (already printed or still to come) that matches; rejects on exit or timeout. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<Line>;
  /** The first `count` lines that match. */
  waitForLines(pattern: RegExp, count: number, timeoutMs?: number): Promise<Line[]>;
  kill(signal?: NodeJS.Signals): void;
}

export function startProcess(command: Command, options: StartOptions = {}): RunningProcess {
  const t0 = options.t0 ?? performance.now();
  const started = performance.now();
  const child = spawn(command.cmd, command.args, {
    cwd: command.cwd,
    env: options.env ?? exampleEnv(),
    stdio: [options.stdin ?? 'ignore', 'pipe', 'pipe'],
  });
  const lines: Line[] = [];
  const waiters = new Set<(line: Line | null) => void>();
  const push = (stream: Stream, text: string) => {
    const line: Line = { t: Math.round(performance.now() - t0), stream, text };
    lines.push(line);
    options.onLine?.(line);
    for (const waiter of [...waiters]) waiter(line);
  };
  const splitters: Record<Stream, LineSplitter> = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  for (const stream of ['stdout', 'stderr'] as const) {
    const output = child[stream]!; // piped (see stdio above)
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      for (const line of splitters[stream].push(chunk)) push(stream, line.text);
    });
  }

  let timedOut = false;
  const timer = options.timeoutMs
    ? setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs)
    : undefined;

  const done = new Promise<RunResult>((resolve) => {
    let spawnError: Error | undefined;
    child.on('error', (error) => {
      spawnError = error;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      for (const stream of ['stdout', 'stderr'] as const) {
        const rest = splitters[stream].flush();
        if (rest) push(stream, rest.text);
      }
      if (spawnError) push('stderr', `cannot start ${command.cmd}: ${spawnError.message}`);
      for (const waiter of [...waiters]) waiter(null);
      resolve({
        exitCode: code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0),
        signal,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        lines,
      });
    });
  });

  let exited = false;
  void done.then(() => (exited = true));

  function waitForLines(pattern: RegExp, count: number, timeoutMs = 10_000): Promise<Line[]> {
    const found = lines.filter((line) => pattern.test(line.text));
    if (found.length >= count) return Promise.resolve(found.slice(0, count));
    const what = `${count} line(s) matching ${pattern}`;
    if (exited) return Promise.reject(new Error(`process exited without printing ${what}; output:\n${formatLines(lines)}`));
    return new Promise<Line[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`no ${what} within ${timeoutMs} ms; output:\n${formatLines(lines)}`));
      }, timeoutMs);
      const waiter = (line: Line | null) => {
        if (line && !pattern.test(line.text)) return;
        if (line) found.push(line);
        if (line && found.length < count) return;
        waiters.delete(waiter);
        clearTimeout(timer);
        if (line) resolve(found);
        else reject(new Error(`process exited without printing ${what}; output:\n${formatLines(lines)}`));
      };
      waiters.add(waiter);
    });
  }

  return {
    pid: child.pid,
    lines,
    done,
    waitForLine: (pattern, timeoutMs) => waitForLines(pattern, 1, timeoutMs).then((found) => found[0]),
    waitForLines,
    kill(signal = 'SIGTERM') {
      if (!exited) child.kill(signal);
    },
  };
}

/** Lines as a terminal would show them, for error messages. */
export function formatLines(lines: Line[]): string {
  return lines.map((line) => `${String(line.t).padStart(6)} ${line.stream === 'stderr' ? 'E' : ' '} ${line.text}`).join('\n');
}

