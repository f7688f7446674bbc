/**
 * src/runtime/browser/python/driver.py, with the machine's CPython: what the page's Pyodide runs
 * each program with must not change what CPython prints (07's order), must keep time.sleep()
 * blocking (06), and must end a program as CPython ends it (exit codes, tracebacks into main.py).
 * Also: the Pyodide version the page names is the installed package's.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { exampleDir } from '../src/examples/files.ts';
import { readPythonRecording } from '../src/examples/files.ts';
import { PYODIDE_FILES, PYODIDE_VERSION } from '../src/runtime/browser/python/files.ts';
import { findPython } from '../src/runtime/local/server/python.ts';
import { pyodidePackageDir } from '../src/integrations/pyodide.ts';

const DRIVER = path.resolve('src/runtime/browser/python/driver.py');
const found = findPython();
const dir = mkdtempSync(path.join(tmpdir(), 'pyodide-driver-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function runWithDriver(source: string): { code: number | null; stdout: string; stderr: string } {
  writeFileSync(path.join(dir, 'main.py'), source);
  const python = (found as { python: string }).python;
  const result = spawnSync(python, ['-I', '-B', DRIVER, 'main.py'], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
const message = (line: string) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '');
const example = (id: string) => readFileSync(path.join(exampleDir(id), 'main.py'), 'utf8');

describe('the Pyodide driver, run with CPython', { skip: 'error' in found && found.error }, () => {
  it('07 prints CPython’s order, as recorded', () => {
    const run = runWithDriver(example('07-execution-order'));
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(run.stderr.trimEnd().split('\n').map(message), readPythonRecording('07-execution-order')!.lines.map((line) => message(line.text)));
  });

  it('time.sleep() blocks the event loop: 06’s tick after the sleep is late by about the sleep', () => {
    const run = runWithDriver(example('06-blocked-timer'));
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stderr.trimEnd().split('\n').map(message);
    const late = Number(/: (\d+) ms/.exec(lines[lines.indexOf('Synchronous sleep ends') + 1] ?? '')?.[1]);
    assert.ok(late >= 500, `the tick after the sleep came after ${late} ms`);
  });

  it('ends as CPython ends a program: sys.exit codes, and a traceback that starts in main.py', () => {
    assert.equal(runWithDriver('import sys\nsys.exit(3)\n').code, 3);
    const message = runWithDriver('import sys\nsys.exit("bye")\n');
    assert.deepEqual([message.code, message.stderr], [1, 'bye\n']);
    const failed = runWithDriver('def fail():\n    raise ValueError("no")\n\nfail()\n');
    assert.equal(failed.code, 1);
    assert.match(failed.stderr, /^Traceback \(most recent call last\):\n {2}File "main\.py", line 4, in <module>\n/);
    assert.match(failed.stderr, /ValueError: no\n$/);
    assert.doesNotMatch(failed.stderr, /driver\.py/);
  });
});

describe('Pyodide’s files', () => {
  it('are the installed package’s, at the version the page names', () => {
    const dir = pyodidePackageDir();
    assert.equal((JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version: string }).version, PYODIDE_VERSION);
    for (const name of PYODIDE_FILES) assert.ok(statSync(path.join(dir, name)).size > 0, name);
  });
});
