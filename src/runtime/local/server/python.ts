/**
 * The Python that runs the examples' Python versions on this machine: for the local runtime's
 * Python runs, and for the scripts that record and test them (scripts/lib/launchers.ts).
 *
 * CPython has no permission model like Node's, so a Python run is confined only by what the OS
 * and the runtime give every run (its own folder as working directory and TMPDIR, the time, output
 * and rlimit limits, the watchdog that kills its process group) and by the interpreter's isolated
 * mode; the README says what that leaves open.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A Python that can run the examples, and its version ("3.11.2"). */
export interface PythonFound {
  python: string;
  version: string;
}

/** Prints the version when this Python is 3.11 or newer and has aiohttp and requests; fails otherwise. */
const PYTHON_CHECK = [
  'import platform, sys',
  "sys.version_info >= (3, 11) or sys.exit('Python ' + platform.python_version() + ' is older than 3.11')",
  'import aiohttp, requests',
  'print(platform.python_version())',
].join('\n');

let pythonFound: PythonFound | { error: string } | undefined;

/**
 * The Python that can run the examples: /usr/bin/python3, else `python3` on PATH, provided it is
 * 3.11 or newer (the examples use TaskGroup and asyncio.timeout) and can import aiohttp and
 * requests. Otherwise an error that says what is missing. Checked once per process (about 0.2 s:
 * importing aiohttp is most of it).
 */
export function findPython(): PythonFound | { error: string } {
  if (pythonFound) return pythonFound;
  const tried: string[] = [];
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) {
      tried.push(`${candidate}: not found`);
      continue;
    }
    // -I: the same isolated mode the runs get, so that what is found here is what they import.
    const check = spawnSync(candidate, ['-I', '-c', PYTHON_CHECK], { encoding: 'utf8' });
    const version = check.stdout?.trim();
    if (check.status === 0 && /^\d+\.\d+\.\d+/.test(version)) return (pythonFound = { python: candidate, version });
    const reason = check.error ? check.error.message : (check.stderr.trim().split('\n').pop() ?? `exit code ${check.status}`);
    tried.push(`${candidate}: ${reason}`);
  }
  return (pythonFound = {
    error: `no Python 3.11+ with aiohttp and requests (tried ${tried.join('; ')}). Install them, e.g. \`sudo apt-get install python3-aiohttp python3-requests\` or \`python3 -m pip install aiohttp requests\`.`,
  });
}

/**
 * How the local runtime starts a Python run's `entry`:
 *   -I  isolated: no PYTHON* variables, no user site-packages, and the script's folder is not put
 *       on sys.path (a file in the folder cannot shadow a module of the standard library);
 *   -B  no __pycache__ written into the folder;
 *   -u  unbuffered output, so that the page sees each line when it is printed, as with Node;
 *   -X utf8  UTF-8 output whatever the locale of the server (a C locale would make print() of
 *       a non-ASCII line fail).
 */
export function pythonCommand(python: string, entry: string, args: string[]): string[] {
  return [python, '-I', '-B', '-u', '-X', 'utf8', entry, ...args];
}
