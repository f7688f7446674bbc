/**
 * How this machine starts an example's program: the TypeScript port with this Node (24 strips the
 * types itself), or the Python version with a Python that has aiohttp and requests.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import process from 'node:process';
import { exampleDir } from '../../src/examples/files.ts';

export interface Command {
  cmd: string;
  args: string[];
  cwd: string;
}

/**
 * A program of an example folder: `main`, the server example's `client`, or an exercise's
 * `solution` (a fixed main, run by the exercise tests).
 */
export type ProgramFile = 'main' | 'client' | 'solution';

/** How one language runs the examples on this machine: which program runs main (and the server example's client). */
export interface Launcher {
  name: string;
  command(id: string, file: ProgramFile, args?: string[]): Command;
}

/** The TypeScript ports, run by this Node (24: it strips the types itself). */
export const nodeLauncher: Launcher = {
  name: 'node',
  command: (id, file, args = []) => ({ cmd: process.execPath, args: [`${file}.ts`, ...args], cwd: exampleDir(id) }),
};

/** The Python versions. There is no Python client: the server is driven by client.ts. */
export function pythonLauncher(python: string): Launcher {
  return {
    name: 'python',
    command: (id, file, args = []) =>
      file === 'client' ? nodeLauncher.command(id, file, args) : { cmd: python, args: [`${file}.py`, ...args], cwd: exampleDir(id) },
  };
}

/** A Python that can run the examples, and its version ("3.11.2"). */
export interface PythonFound {
  python: string;
  version: string;
}

let pythonFound: PythonFound | { error: string } | undefined;

/** Prints the version when this Python is 3.11 or newer and has aiohttp and requests; fails otherwise. */
const PYTHON_CHECK = [
  'import platform, sys',
  "sys.version_info >= (3, 11) or sys.exit('Python ' + platform.python_version() + ' is older than 3.11')",
  'import aiohttp, requests',
  'print(platform.python_version())',
].join('\n');

/**
 * The Python that can run the examples: /usr/bin/python3, else `python3` on PATH, provided it is
 * 3.11 or newer (the examples use TaskGroup and asyncio.timeout) and can import aiohttp and
 * requests. Otherwise an error that says what is missing.
 */
export function findPython(): PythonFound | { error: string } {
  if (pythonFound) return pythonFound;
  const tried: string[] = [];
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) {
      tried.push(`${candidate}: not found`);
      continue;
    }
    const check = spawnSync(candidate, ['-c', PYTHON_CHECK], { encoding: 'utf8' });
    const version = check.stdout?.trim();
    if (check.status === 0 && /^\d+\.\d+\.\d+/.test(version)) return (pythonFound = { python: candidate, version });
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

