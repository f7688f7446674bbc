/**
 * The server example (04) with its clients: started and waited for, and the scripted session that
 * is its recording.
 */
import { readMeta } from '../../src/examples/files.ts';
import { exampleEnv, type Launcher } from './launchers.ts';
import { startProcess, type Line, type RunningProcess, type RunResult } from './processes.ts';

export const SERVING_LINE = /Serving on (http:\/\/\S+)/;

export interface ServerHandle {
  url: string;
  process: RunningProcess;
  stop(): Promise<RunResult>;
}

/** Starts the server example (04) and waits until it says where it listens. */
export async function startScraperServer(
  launcher: Launcher,
  options: { imageServerUrl: string; port?: number; t0?: number; onLine?: (line: Line) => void; id?: string },
): Promise<ServerHandle> {
  const id = options.id ?? '04-scraper-server';
  const proc = startProcess(launcher.command(id, 'main'), {
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
  launcher: Launcher,
  options: { imageServerUrl: string; port?: number; onLine?: (line: Line) => void },
): Promise<RunResult> {
  const id = '04-scraper-server';
  const t0 = performance.now();
  const lines: Line[] = [];
  const add = (line: Line) => {
    lines.push(line);
    options.onLine?.(line);
  };
  const server = await startScraperServer(launcher, { imageServerUrl: options.imageServerUrl, port: options.port, t0, onLine: add });
  let clientsOk = true;
  const client = async (...args: string[]) => {
    add({ t: Math.round(performance.now() - t0), stream: 'stdout', text: `[client] $ node client.ts ${args.join(' ')}` });
    const proc = startProcess(launcher.command(id, 'client', args), {
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
