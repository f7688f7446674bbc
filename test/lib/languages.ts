/**
 * The languages every example is tested in: the TypeScript ports with this Node (24), the
 * Python versions, and the ports with their types stripped by src/runtime/strip-types.ts run
 * on Node 20 (standing in for the Node inside a WebContainer, which cannot strip types).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { exampleDir, exampleIds, EXAMPLES_DIR, ROOT } from '../../src/examples/files.ts';
import { findPython, nodeLauncher, pythonLauncher, type Launcher } from '../../scripts/lib/launchers.ts';
import { stripTypes } from '../../src/runtime/strip-types.ts';

export interface Language {
  name: 'node' | 'python' | 'node20';
  python: boolean;
  /** Why this language's tests are skipped, or false. */
  skip: string | false;
  runtime(): Launcher;
}

/** The real Node 20 of the dev dependencies (npm:node@20), else the machine's, where it is 20. */
const PACKAGED_NODE20 = path.join(ROOT, 'node_modules', 'node20', 'bin', 'node');
export const NODE20 = existsSync(PACKAGED_NODE20) ? PACKAGED_NODE20 : '/usr/bin/node';

let node20Skip: string | false | undefined;
export function node20SkipReason(): string | false {
  if (node20Skip !== undefined) return node20Skip;
  const version = existsSync(NODE20) ? spawnSync(NODE20, ['--version'], { encoding: 'utf8' }).stdout?.trim() : undefined;
  node20Skip = version?.startsWith('v20.') ? false : `${NODE20} is ${version ?? 'missing'}, not Node 20`;
  return node20Skip;
}

let strippedDir: string | undefined;

/** Every port, client and the image server with their types stripped, as .mjs files in a temp folder. */
export function strippedDirectory(): string {
  if (strippedDir) return strippedDir;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'asyncio-book-stripped-'));
  const strip = (from: string, to: string) => {
    mkdirSync(path.dirname(to), { recursive: true });
    writeFileSync(to, stripTypes(readFileSync(from, 'utf8'), path.basename(from)));
  };
  for (const id of exampleIds()) {
    for (const file of ['main', 'client', 'solution']) {
      const source = path.join(exampleDir(id), `${file}.ts`);
      if (existsSync(source)) strip(source, path.join(dir, id, `${file}.mjs`));
    }
  }
  strip(path.join(EXAMPLES_DIR, '_support', 'image-server.ts'), path.join(dir, '_support', 'image-server.mjs'));
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
  return (strippedDir = dir);
}

export function strippedRuntime(): Launcher {
  const dir = strippedDirectory();
  return {
    name: 'node20',
    command: (id, file, args = []) => ({ cmd: NODE20, args: [`${file}.mjs`, ...args], cwd: path.join(dir, id) }),
  };
}

function pythonSkipReason(): string | false {
  const found = findPython();
  return 'error' in found ? `Python versions not tested: ${found.error}` : false;
}

export const languages: Language[] = [
  { name: 'node', python: false, skip: false, runtime: () => nodeLauncher },
  {
    name: 'python',
    python: true,
    skip: pythonSkipReason(),
    runtime: () => {
      const found = findPython();
      if ('error' in found) throw new Error(found.error);
      return pythonLauncher(found.python);
    },
  },
  { name: 'node20', python: false, skip: node20SkipReason() && `stripped ports not run: ${node20SkipReason()}`, runtime: strippedRuntime },
];
