/**
 * One run of the local runtime: a fresh folder with the page's files, `node <entry>` in its own
 * process group, its output streamed back as NDJSON events, and everything gone at the end.
 *
 * The process group matters: a program may start others (workers, child processes), and killing
 * the group kills them too. It is killed when the browser goes away (Stop, reload, closed tab),
 * when a limit is hit, when the program exits (anything it left behind), and at shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import net from 'node:net';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventWriter, type EventWriter } from './events.ts';

export const TEMP_PREFIX = 'asyncio-book-run-';

export interface Plan {
  files: Record<string, string>;
  entry: string;
  args: string[];
  env: Record<string, string>;
  timeoutMs: number;
  outputLimitBytes: number;
  /** A server program: the port it was given in PORT (the runtime reports when it accepts connections). */
  port?: number;
}

export interface Run {
  /** Settles when the process is gone, the response has ended and the folder is removed. */
  readonly finished: Promise<void>;
  /** For shutdown: kills the process group and removes the folder at once, synchronously. */
  killNow(): void;
}

type Stream = 'stdout' | 'stderr';

/** Starts a run that answers `res`; errors before the program starts are answered as JSON. */
export function startRun(res: ServerResponse, plan: Plan): Run {
  let dir: string | undefined;
  let child: ChildProcess | undefined;
  let writer: EventWriter | undefined;
  /** Set once the run must end: the browser went away, a limit was hit, or shutdown. */
  let over = false;
  let exited = false;
  /** Settles when the process has exited and its pipes are closed. */
  let gone: Promise<number> | undefined;

  const killGroup = () => {
    if (child?.pid === undefined) return;
    try {
      // detached: the child leads its own process group. Windows has no groups: the child alone.
      if (process.platform === 'win32') child.kill('SIGKILL');
      else process.kill(-child.pid, 'SIGKILL');
    } catch {
      // ESRCH: the whole group is gone already
    }
  };
  /** Reads and drops what is left in the pipes: a paused pipe would keep 'close' from coming. */
  const discard = () => {
    child?.stdout?.resume();
    child?.stderr?.resume();
  };
  const stop = () => {
    over = true;
    killGroup();
    discard();
  };
  const limit = (reason: 'time' | 'output', message: string) => {
    if (over) return;
    writer?.send({ type: 'limit', reason, limit: reason === 'time' ? plan.timeoutMs : plan.outputLimitBytes, message });
    stop();
  };

  res.on('close', () => {
    if (!res.writableFinished) stop(); // the browser went away before the end: Stop, reload, closed tab
  });

  async function run(): Promise<void> {
    dir = await mkdtemp(path.join(tmpdir(), TEMP_PREFIX));
    const folder = dir;
    await Promise.all(Object.entries(plan.files).map(([name, text]) => writeFile(path.join(folder, name), text)));
    await writeFile(path.join(folder, 'package.json'), '{ "type": "module" }\n');
    if (over) return;

    const proc = spawn(process.execPath, [plan.entry, ...plan.args], {
      cwd: folder,
      env: plan.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await once(proc, 'spawn');
    } catch (error) {
      if (!res.headersSent && !res.destroyed) {
        sendJson(res, 500, { error: `Could not start Node (${process.execPath}): ${(error as Error).message}` });
      }
      return;
    }
    child = proc;
    proc.on('error', () => {}); // after the spawn only a failed kill() could come here, and kills go to the group
    const closed = new Promise<number>((resolve) =>
      proc.once('close', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0))),
    );
    gone = closed;
    if (over) stop(); // the browser left while the process was starting
    proc.once('exit', () => {
      exited = true;
      killGroup(); // whatever the program started and left running
    });

    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.flushHeaders();
    const events = eventWriter(res, (paused) => {
      if (over) return; // dropping output: the pipes stay flowing
      for (const stream of [proc.stdout, proc.stderr]) paused ? stream?.pause() : stream?.resume();
    });
    writer = events;
    const url = plan.port ? `http://127.0.0.1:${plan.port}` : undefined;
    events.send({ type: 'started', pid: proc.pid ?? 0, ...(url ? { url } : {}) });

    const timer = setTimeout(() => limit('time', timeMessage(plan)), plan.timeoutMs);
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    let printed = 0;
    const follow = (stream: Stream) => (chunk: Buffer) => {
      if (over) return;
      const room = plan.outputLimitBytes - printed;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      printed += part.length;
      const text = decoders[stream].write(part);
      if (text) events.send({ type: 'output', stream, text });
      if (chunk.length > room) {
        limit('output', `The program printed more than ${megabytes(plan.outputLimitBytes)} of output, the limit of this runtime, so it was stopped.`);
      }
    };
    proc.stdout?.on('data', follow('stdout'));
    proc.stderr?.on('data', follow('stderr'));

    if (url && plan.port) {
      void whenListening(plan.port, () => over || exited).then((listening) => {
        if (listening) events.send({ type: 'listening', url });
      });
    }

    const code = await closed;
    clearTimeout(timer);
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = decoders[stream].end();
      if (rest && !over) events.send({ type: 'output', stream, text: rest });
    }
    events.end({ type: 'exit', code });
  }

  const finished = run()
    .catch((error: unknown) => {
      stop();
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: `The run failed: ${(error as Error).message}` });
      else if (!res.writableEnded) res.destroy(); // the page sees the stream end without an exit
    })
    .finally(async () => {
      await gone;
      if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 });
    });

  return {
    finished,
    killNow() {
      stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${JSON.stringify(body)}\n`);
}

/** Resolves true once something accepts connections on the port, false if the run ends first. */
async function whenListening(port: number, gone: () => boolean): Promise<boolean> {
  while (!gone()) {
    if (await accepts(port)) return true;
    await sleep(50);
  }
  return false;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function timeMessage(plan: Plan): string {
  const seconds = plan.timeoutMs / 1000;
  const span = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds * 10) / 10} s`;
  return `The program ran for more than ${span}, the limit of this runtime${plan.port ? ' for servers' : ''}, so it was stopped.`;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`;
}
