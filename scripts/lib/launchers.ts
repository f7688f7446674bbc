/**
 * How this machine starts an example's program: the TypeScript port with this Node (24 strips the
 * types itself), or the Python version with a Python that has aiohttp and requests.
 */
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

export { findPython, type PythonFound } from '../../src/runtime/local/server/python.ts';

/** The environment of an example's process: ours, plus what the examples read. */
export function exampleEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1', ...extra };
  delete env.NODE_TEST_CONTEXT; // set by `node --test` for its own children; not for the examples
  for (const [key, value] of Object.entries(extra)) if (value === undefined) delete env[key];
  return env;
}

