/**
 * One run of the local runtime: a fresh folder with the page's files, `node <entry>` confined to
 * that folder (confine.ts, rlimits.ts), or `python <entry>` under the same OS limits (python.ts),
 * watched by a process of its own (watchdog.ts), its output streamed back as NDJSON events, and
 * everything gone at the end.
 *
 * The program leads its own process group, and the watchdog kills the group and whatever left it
 * (family.ts) when the browser goes away (Stop, reload, closed tab), when a limit is hit, when the
 * program exits (anything it left behind), at shutdown, and when the server is gone however it
 * went, SIGKILL included: the watchdog sees the pipe from the server close.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { accepts } from './ports.ts';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LimitReason } from '../protocol.ts';
import { cpuLimitSeconds, dataLimitBytes, FILE_LIMIT_BYTES, HEAP_LIMIT_MB, nodeFlags, type Grants } from './confine.ts';
import { eventWriter, type EventWriter } from './events.ts';
import { RUN_MARKER } from './family.ts';
import { folderRewriter } from './paths.ts';
import { pythonCommand } from './python.ts';
import { limitedCommand, prlimit } from './rlimits.ts';
import { symptomReader, type Symptom } from './symptoms.ts';
import { startWatched, type ProgramExit, type Watched } from './watched.ts';

/** Every run's folder is `<tmpdir>/asyncio-book-run-<server PID>-<random>`: stale.ts reads the PID. */
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
  /** What the run may do beyond reading and writing its own folder. */
  grants: Grants;
  /** A Python run: the Python that runs `entry` (python.ts); left out, Node runs it. */
  python?: string;
}

export interface Run {
  /** Settles when the process is gone, the response has ended and the folder is removed. */
  readonly finished: Promise<void>;
  /**
   * For shutdown: stops the process group and removes the folder at once, synchronously; the
   * watchdog kills the run (it does when the server's end of its pipe closes, at the latest).
   */
  killNow(): void;
}

type Stream = 'stdout' | 'stderr';

/** Starts a run that answers `res`; errors before the program starts are answered as JSON. */
export function startRun(res: ServerResponse, plan: Plan): Run {
  let dir: string | undefined;
  let watched: Watched | undefined;
  let writer: EventWriter | undefined;
  /** Set once the run must end: the browser went away, a limit was hit, or shutdown. */
  let over = false;
  let exited = false;
  /** Settles when every process of the run is gone and its pipes are closed. */
  let gone: Promise<ProgramExit> | undefined;

  /** Reads and drops what is left in the pipes: a paused pipe would keep 'close' from coming. */
  const discard = () => {
    watched?.stdout.resume();
    watched?.stderr.resume();
  };
  const stop = () => {
    over = true;
    watched?.end();
    discard();
  };
  const limit = (reason: LimitReason, size: number, message: string) => {
    if (over) return;
    writer?.send({ type: 'limit', reason, limit: size, message });
    stop();
  };

  res.on('close', () => {
    if (!res.writableFinished) stop(); // the browser went away before the end: Stop, reload, closed tab
  });

  async function run(): Promise<void> {
    dir = await realpath(await mkdtemp(path.join(tmpdir(), `${TEMP_PREFIX}${process.pid}-`))); // real: what the permission model compares
    const folder = dir;
    await Promise.all(Object.entries(plan.files).map(([name, text]) => writeFile(path.join(folder, name), text)));
    if (!plan.python) await writeFile(path.join(folder, 'package.json'), '{ "type": "module" }\n');
    if (over) return;

    const marker = path.basename(folder);
    const program = plan.python
      ? pythonCommand(plan.python, plan.entry, plan.args)
      : [process.execPath, ...nodeFlags(folder, plan.grants), plan.entry, ...plan.args];
    const command = limitedCommand(program, {
      cpuSeconds: cpuLimitSeconds(plan.timeoutMs),
      fileBytes: FILE_LIMIT_BYTES,
      dataBytes: dataLimitBytes(plan.grants),
    });
    // TMPDIR is the folder: os.tmpdir() is then a place the program may write to.
    const env = { ...plan.env, TMPDIR: folder, [RUN_MARKER]: marker };
    const proc = startWatched({ command, folder, env, marker }, plan.env);
    watched = proc;
    gone = proc.exited;
    const start = await proc.started;
    if ('error' in start) {
      stop();
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: `Could not start ${plan.python ? 'Python' : 'Node'} (${program[0]}): ${start.error}` });
      await gone;
      return;
    }
    if (over) stop(); // the browser left while the process was starting
    void gone.then(() => (exited = true));

    res.writeHead(200, {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    res.flushHeaders();
    const events = eventWriter(res, (paused) => {
      if (over) return; // dropping output: the pipes stay flowing
      for (const stream of [proc.stdout, proc.stderr]) paused ? stream.pause() : stream.resume();
    });
    writer = events;
    const url = plan.port ? `http://127.0.0.1:${plan.port}` : undefined;
    events.send({ type: 'started', pid: start.pid, ...(url ? { url } : {}) });

    const timer = setTimeout(() => limit('time', plan.timeoutMs, timeMessage(plan)), plan.timeoutMs);
    const decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
    const symptoms = symptomReader(plan.python ? 'python' : 'node');
    // A traceback names the run's folder; the reader's file is just main.py.
    const rewriters = plan.python ? { stdout: folderRewriter(folder), stderr: folderRewriter(folder) } : undefined;
    const denied = new Set<string>();
    /** The OS limits are there only where prlimit is: without them, an EFBIG or failed allocation is not ours to explain. */
    const osLimited = prlimit() !== null;
    const notice = (symptom: Symptom) => {
      if (symptom.kind === 'denied') {
        if (denied.has(symptom.permission)) return; // once is enough to explain it
        denied.add(symptom.permission);
        events.send({ type: 'denied', permission: symptom.permission, ...(symptom.resource ? { resource: symptom.resource } : {}), message: deniedMessage(symptom) });
      } else if (symptom.kind === 'memory' && (symptom.which === 'heap' || osLimited)) {
        const size = symptom.which === 'heap' ? HEAP_LIMIT_MB * 1024 * 1024 : dataLimitBytes(plan.grants);
        limit('memory', size, `The program needed more than ${megabytes(size)} of memory, the limit of this runtime, so it was stopped.`);
      } else if (symptom.kind === 'file' && osLimited) {
        limit('file', FILE_LIMIT_BYTES, `The program wrote a file larger than ${megabytes(FILE_LIMIT_BYTES)}, the limit of this runtime, so it was stopped.`);
      }
    };
    let printed = 0;
    const send = (stream: Stream, text: string) => {
      if (!text) return;
      events.send({ type: 'output', stream, text });
      for (const symptom of symptoms.read(stream, text)) notice(symptom);
    };
    const follow = (stream: Stream) => (chunk: Buffer) => {
      if (over) return;
      const room = plan.outputLimitBytes - printed;
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      printed += part.length;
      const text = decoders[stream].write(part);
      send(stream, rewriters ? rewriters[stream].write(text) : text);
      if (chunk.length > room) {
        limit('output', plan.outputLimitBytes, `The program printed more than ${megabytes(plan.outputLimitBytes)} of output, the limit of this runtime, so it was stopped.`);
      }
    };
    proc.stdout.on('data', follow('stdout'));
    proc.stderr.on('data', follow('stderr'));

    if (url && plan.port) {
      void whenListening(plan.port, () => over || exited).then((listening) => {
        if (listening) events.send({ type: 'listening', url });
      });
    }

    const exit = await gone;
    clearTimeout(timer);
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = decoders[stream].end();
      if (!over) send(stream, rewriters ? rewriters[stream].write(rest) + rewriters[stream].end() : rest);
    }
    if (exit.signal === 'SIGXCPU') {
      const { soft } = cpuLimitSeconds(plan.timeoutMs);
      limit('cpu', soft * 1000, `The program used more than ${soft} s of CPU time, the limit of this runtime, so it was stopped.`);
    }
    events.end({ type: 'exit', code: exit.code });
  }

  const finished = run()
    .catch((error: unknown) => {
      stop();
      if (!res.headersSent && !res.destroyed) sendJson(res, 500, { error: `The run failed: ${(error as Error).message}` });
      else if (!res.writableEnded) res.destroy(); // the page sees the stream end without an exit
    })
    .finally(async () => {
      await gone;
      if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 3 }); // the watchdog has, unless it failed
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


function timeMessage(plan: Plan): string {
  const seconds = plan.timeoutMs / 1000;
  const span = seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds * 10) / 10} s`;
  return `The program ran for more than ${span}, the limit of this runtime${plan.port ? ' for servers' : ''}, so it was stopped.`;
}

/** What the permission model refused, as words: Node's name of the permission, and the path. */
const REFUSED: Record<string, (resource: string | undefined) => string> = {
  FileSystemRead: (resource) => `reading ${resource ?? 'a file'}`,
  FileSystemWrite: (resource) => `writing ${resource ?? 'a file'}`,
  ChildProcess: () => 'starting another program',
  WorkerThreads: () => 'starting a worker thread',
};

function deniedMessage({ permission, resource }: Extract<Symptom, { kind: 'denied' }>): string {
  const what = REFUSED[permission]?.(resource) ?? `${permission}${resource ? ` (${resource})` : ''}`;
  return `The program was refused ${what}: this runtime lets a program read and write only its own folder, so that a mistake or a copied snippet cannot touch your files.`;
}

function megabytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${bytes} bytes`;
}
