/** Shared by the tests of the local runtime: a real handler on a real server, and what a run leaves. */
import { mkdtempSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { exampleDir } from '../../src/examples/files.ts';
import { createLocalRuntime, type LocalRuntime, type LocalRuntimeOptions } from '../../src/runtime/local/server/handler.ts';
import { stripTypes } from '../../src/runtime/strip-types.ts';

const SYSTEM_TMPDIR = tmpdir();

/**
 * Runs get their folders in a temporary directory of this test file's own (os.tmpdir() follows
 * TMPDIR), so "no folder is left" can be checked exactly while other test files run alongside.
 * Call before the first run.
 */
export function privateTmpdir(): string {
  const dir = mkdtempSync(path.join(SYSTEM_TMPDIR, 'local-runtime-test-'));
  process.env.TMPDIR = dir;
  return dir;
}

export interface Served {
  runtime: LocalRuntime;
  server: http.Server;
  host: string;
  port: number;
  /** http://127.0.0.1:PORT: what a page of the book served here has as its origin. */
  origin: string;
  close(): Promise<void>;
}

/** The handler on a node:http server, as scripts/serve.ts mounts it. */
export async function serve(options: LocalRuntimeOptions = {}, host = '127.0.0.1'): Promise<Served> {
  const runtime = createLocalRuntime(options);
  const server = http.createServer((req, res) => void runtime.handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    runtime,
    server,
    host,
    port,
    origin: `http://${host}:${port}`,
    async close() {
      await runtime.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An example's TypeScript files as the page sends them: types stripped, `.ts` → `.js`. */
export function strippedFiles(id: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of ['main.ts', 'client.ts']) {
    try {
      files[name.replace(/\.ts$/, '.js')] = stripTypes(readFileSync(path.join(exampleDir(id), name), 'utf8'), name);
    } catch {
      // no client.ts: only the server example has one
    }
  }
  return files;
}

/**
 * Whether the process still exists and is not a zombie: a killed grandchild is reparented to
 * PID 1, and a container's PID 1 may never reap it, though it is dead and holds nothing.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // gone between the two looks
  }
}

/** Processes whose working directory is inside `dir`: what a run could leave behind. */
export function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const cwd = readlinkSync(`/proc/${pid}/cwd`);
      if (cwd.startsWith(dir)) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
    } catch {
      // gone meanwhile, or not ours to look at
    }
  }
  return found;
}

export function runFolders(dir: string): string[] {
  return readdirSync(dir).filter((name) => name.startsWith('asyncio-book-run-'));
}

/** Polls until `check` is true; returns how long that took, or throws after `timeoutMs`. */
export async function until(check: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const start = performance.now();
  while (!check()) {
    if (performance.now() - start > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return performance.now() - start;
}

/** fetch() as a same-origin page at `origin` calls it. */
export function pageFetch(origin: string): typeof fetch {
  return (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const headers = new Headers(init?.headers);
    headers.set('Sec-Fetch-Site', 'same-origin');
    if ((init?.method ?? 'GET') !== 'GET') headers.set('Origin', origin); // browsers send it with every POST
    return fetch(new URL(url, origin), { ...init, headers });
  };
}
