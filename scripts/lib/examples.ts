/**
 * Shared code for running the book's examples: used by scripts/run-example.ts,
 * scripts/record-examples.ts and the tests under test/.
 *
 * - what the examples are (ids, meta.json, the hash of their code);
 * - how to start each one (a Runtime: the TypeScript port with this Node, or the Python version);
 * - spawning a process and collecting its output as timestamped lines;
 * - running a program example with the image server it needs;
 * - the scripted session that records the server example (04) with its clients.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { constants } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { startImageServer, type ImageServer } from '../../content/examples/_support/image-server.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES_DIR = path.join(ROOT, 'content', 'examples');

// ---- What the examples are -------------------------------------------------------------------

export type Chapter = 'what-is-asyncio' | 'concurrency-and-parallelism' | 'history' | 'how-asyncio-works' | 'libraries';

export interface ExampleMeta {
  id: string;
  title: { ru: string; en: string };
  chapter: Chapter;
  teaches: { ru: string; en: string };
  imageServer: boolean;
  kind: 'program' | 'server';
  timeoutMs: number;
  /** An example on the same page whose run this one's timeline offers to show beside its own. */
  compareWith?: string;
}

export interface Recording {
  codeHash: string;
  recordedAt: string;
  node: string;
  exitCode: number;
  durationMs: number;
  lines: Line[];
}

/** Every example id (a folder of content/examples with a meta.json), sorted. */
export function exampleIds(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(EXAMPLES_DIR, entry.name, 'meta.json')))
    .map((entry) => entry.name)
    .sort();
}

/** An id given on a command line: exact, or a unique prefix such as "02". */
export function resolveId(given: string): string | undefined {
  const ids = exampleIds();
  if (ids.includes(given)) return given;
  const matches = ids.filter((id) => id.startsWith(given));
  return matches.length === 1 ? matches[0] : undefined;
}

export function exampleDir(id: string): string {
  return path.join(EXAMPLES_DIR, id);
}

export function readMeta(id: string): ExampleMeta {
  return JSON.parse(readFileSync(path.join(exampleDir(id), 'meta.json'), 'utf8')) as ExampleMeta;
}

/** The TypeScript files of an example whose text the recording belongs to: main.ts, then client.ts if any. */
export function codeFiles(id: string): string[] {
  return ['main.ts', 'client.ts'].filter((file) => existsSync(path.join(exampleDir(id), file)));
}

/** sha256 (hex) of the exact text of main.ts, followed by client.ts for the server example. */
export function codeHash(id: string): string {
  const hash = createHash('sha256');
  for (const file of codeFiles(id)) hash.update(readFileSync(path.join(exampleDir(id), file)));
  return hash.digest('hex');
}

export function recordingPath(id: string): string {
  return path.join(exampleDir(id), 'recorded.json');
}

export function readRecording(id: string): Recording | undefined {
  const file = recordingPath(id);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Recording) : undefined;
}

// ---- How an example is started ---------------------------------------------------------------

export interface Command {
  cmd: string;
  args: string[];
  cwd: string;
}

/** One way to run the examples: which program runs main (and the server example's client). */
export interface Runtime {
  name: string;
  command(id: string, file: 'main' | 'client', args?: string[]): Command;
}

/** The TypeScript ports, run by this Node (24: it strips the types itself). */
export const nodeRuntime: Runtime = {
  name: 'node',
  command: (id, file, args = []) => ({ cmd: process.execPath, args: [`${file}.ts`, ...args], cwd: exampleDir(id) }),
};

/** The Python versions. There is no Python client: the server is driven by client.ts. */
export function pythonRuntime(python: string): Runtime {
  return {
    name: 'python',
    command: (id, file, args = []) =>
      file === 'main' ? { cmd: python, args: ['main.py', ...args], cwd: exampleDir(id) } : nodeRuntime.command(id, file, args),
  };
}

let pythonFound: { python: string } | { error: string } | undefined;

/**
 * The Python that can run the examples: /usr/bin/python3, else `python3` on PATH, provided it
 * can import aiohttp and requests. Otherwise an error that says what is missing.
 */
export function findPython(): { python: string } | { error: string } {
  if (pythonFound) return pythonFound;
  const tried: string[] = [];
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) {
      tried.push(`${candidate}: not found`);
      continue;
    }
    const check = spawnSync(candidate, ['-c', 'import aiohttp, requests'], { encoding: 'utf8' });
    if (check.status === 0) return (pythonFound = { python: candidate });
    const reason = check.error ? check.error.message : (check.stderr.trim().split('\n').pop() ?? `exit code ${check.status}`);
    tried.push(`${candidate}: ${reason}`);
  }
  return (pythonFound = {
    error: `no Python 3.11+ with aiohttp and requests (tried ${tried.join('; ')}). Install them, e.g. \`python3 -m pip install aiohttp requests\`.`,
  });
}

/** The environment of an example's process: ours, plus what the examples read. */
export function exampleEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra };
  delete env.NODE_TEST_CONTEXT; // set by `node --test` for its own children; not for the examples
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

// ---- Processes and their output as timestamped lines -----------------------------------------

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
    const line: Line = { t: Math.round(performance.now() - t0), stream, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    lines.push(line);
    options.onLine?.(line);
    for (const waiter of [...waiters]) waiter(line);
  };
  const pending: Record<Stream, string> = { stdout: '', stderr: '' };
  for (const stream of ['stdout', 'stderr'] as const) {
    const output = child[stream]!; // piped (see stdio above)
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => {
      const parts = (pending[stream] + chunk).split('\n');
      pending[stream] = parts.pop() ?? '';
      for (const part of parts) push(stream, part);
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
      for (const stream of ['stdout', 'stderr'] as const) if (pending[stream]) push(stream, pending[stream]);
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

// ---- The image server ------------------------------------------------------------------------

/** A port to listen on: `preferred` if it is free on 127.0.0.1, otherwise any free port. */
export async function freePort(preferred: number): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | undefined>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(undefined));
      server.listen(port, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : undefined));
      });
    });
  return (await tryListen(preferred)) ?? (await tryListen(0)) ?? 0;
}

/**
 * Starts the image server on `preferredPort` when that is free (so that recorded output shows
 * the same URLs as the code's default), otherwise on any free port.
 */
export async function startImageServerOn(preferredPort = 0): Promise<ImageServer> {
  if (preferredPort) {
    try {
      return await startImageServer({ port: preferredPort });
    } catch {
      // taken: fall through to any free port
    }
  }
  return startImageServer({ port: 0 });
}

// ---- Running an example ----------------------------------------------------------------------

export interface RunOptions {
  env?: Record<string, string | undefined>; // added to the example's environment
  imageServerUrl?: string; // an image server already running; otherwise one is started if needed
  timeoutMs?: number; // default: meta.timeoutMs
  args?: string[];
  onLine?: (line: Line) => void;
}

/** Runs a program example to its end and collects its output. */
export async function runExample(id: string, runtime: Runtime, options: RunOptions = {}): Promise<RunResult> {
  const meta = readMeta(id);
  let ownServer: ImageServer | undefined;
  let imageServerUrl = options.imageServerUrl;
  if (meta.imageServer && !imageServerUrl) {
    ownServer = await startImageServer({ port: 0 });
    imageServerUrl = ownServer.url;
  }
  try {
    const proc = startProcess(runtime.command(id, 'main', options.args), {
      env: exampleEnv({ IMAGE_SERVER: imageServerUrl, ...options.env }),
      timeoutMs: options.timeoutMs ?? meta.timeoutMs,
      onLine: options.onLine,
    });
    return await proc.done;
  } finally {
    await ownServer?.close();
  }
}

export const SERVING_LINE = /Serving on (http:\/\/\S+)/;

export interface ServerHandle {
  url: string;
  process: RunningProcess;
  stop(): Promise<RunResult>;
}

/** Starts the server example (04) and waits until it says where it listens. */
export async function startScraperServer(
  runtime: Runtime,
  options: { imageServerUrl: string; port?: number; t0?: number; onLine?: (line: Line) => void; id?: string },
): Promise<ServerHandle> {
  const id = options.id ?? '04-scraper-server';
  const proc = startProcess(runtime.command(id, 'main'), {
    env: exampleEnv({ IMAGE_SERVER: options.imageServerUrl, PORT: String(options.port ?? 0), HOST: undefined }),
    timeoutMs: readMeta(id).timeoutMs * 5,
    t0: options.t0,
    onLine: options.onLine,
  });
  try {
    const line = await proc.waitForLine(SERVING_LINE, 15_000);
    const url = SERVING_LINE.exec(line.text)![1];
    return {
      url,
      process: proc,
      stop: () => {
        proc.kill('SIGTERM');
        return proc.done;
      },
    };
  } catch (error) {
    proc.kill('SIGKILL');
    throw error;
  }
}

/**
 * The recording of the server example: a scripted session of the server and its clients.
 *
 * Format of the recorded lines (all in one list, in the order they were printed):
 * - the server's own lines, as the server printed them;
 * - `[client] $ node client.ts <args>` when a client is started;
 * - `[client] <text>` for every line a client printed (its one-line summary of the answer).
 *
 * The script: alice scrapes 3 images; then bob asks for 4 slow images, alice gets 2 quick ones
 * meanwhile, and bob's scrape is cancelled while it waits; finally carol cancels with nothing
 * pending. exitCode is 0 when every client succeeded and the server
 * ran until it was stopped.
 */
export async function recordServerSession(
  runtime: Runtime,
  options: { imageServerUrl: string; port?: number; onLine?: (line: Line) => void },
): Promise<RunResult> {
  const id = '04-scraper-server';
  const t0 = performance.now();
  const lines: Line[] = [];
  const add = (line: Line) => {
    lines.push(line);
    options.onLine?.(line);
  };
  const server = await startScraperServer(runtime, { imageServerUrl: options.imageServerUrl, port: options.port, t0, onLine: add });
  let clientsOk = true;
  const client = async (...args: string[]) => {
    add({ t: Math.round(performance.now() - t0), stream: 'stdout', text: `[client] $ node client.ts ${args.join(' ')}` });
    const proc = startProcess(runtime.command(id, 'client', args), {
      env: exampleEnv({ IMAGE_SERVER: options.imageServerUrl, SCRAPER_SERVER: server.url }),
      timeoutMs: 30_000,
      t0,
      onLine: (line) => add({ ...line, text: `[client] ${line.text}` }),
    });
    const result = await proc.done;
    if (result.exitCode !== 0) clientsOk = false;
    return result;
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  let serverExited = false;
  void server.process.done.then(() => (serverExited = true));
  let exitedEarly = false;
  let timedOut = false;
  try {
    await client('scrape', 'alice', '3', '300');
    // bob asks for 4 slow images; once the server has started them, alice asks for 2 quick
    // ones and gets them while bob's are still pending; then bob's are cancelled. (The steps
    // wait for the server's lines rather than for fixed times: starting a client can take a
    // second on a busy machine.)
    const bob = client('scrape', 'bob', '4', '10000');
    await server.process.waitForLines(/Starting download from .*delay=10000/, 4, 30_000);
    await client('scrape', 'alice', '2', '400');
    await client('cancel', 'bob');
    await bob;
    await client('cancel', 'carol');
    await pause(100); // the server's last lines
  } finally {
    exitedEarly = serverExited;
    timedOut = (await server.stop()).timedOut;
  }
  return {
    exitCode: clientsOk && !exitedEarly ? 0 : 1,
    signal: null,
    timedOut,
    durationMs: Math.round(performance.now() - t0),
    lines,
  };
}
