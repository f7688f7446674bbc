/**
 * Records the output of every example for the book: `npm run record` (the build runs it first).
 *
 * Runs each example's TypeScript port with this Node and writes content/examples/<id>/recorded.json:
 *   { codeHash, recordedAt, node, exitCode, durationMs, lines: [{ t, stream, text }] }
 * and its Python version with CPython (the Python findPython() finds: 3.11+ with aiohttp and
 * requests) and writes content/examples/<id>/recorded-python.json:
 *   { codeHash, recordedAt, python, exitCode, durationMs, lines: [{ t, stream, text }] }
 * codeHash is the sha256 of main.ts (and client.ts), or of main.py: an example whose code has not
 * changed since its recording is not run again, so that builds stay fast. `--force` re-records all
 * of them; ids (or unique prefixes) given as arguments restrict the run to those examples;
 * `--typescript` or `--python` to one language.
 *
 * The examples run one after another, never at once, so that their timings are honest: first
 * every TypeScript port, then every Python version. The server example is recorded as a scripted
 * session with its clients (see recordServerSession), which are client.ts on Node in both
 * languages. A run that fails (non-zero exit code or time-out) is reported and not written, and
 * the script exits with code 1.
 *
 * Without a suitable Python the Python recordings are kept as they are, one line says what is
 * missing and which of them no longer match their main.py, and the script does not fail for it
 * (so that a machine without Python can build the book); with `--python` it does fail.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import {
  codeHash,
  exampleIds,
  pythonCodeHash,
  pythonRecordingPath,
  readMeta,
  readPythonRecording,
  readRecording,
  recordingPath,
  resolveId,
} from '../src/examples/files.ts';
import { formatLines, type RunResult } from './lib/processes.ts';
import { freePort } from '../src/runtime/local/server/ports.ts';
import { findPython, nodeLauncher, pythonLauncher, type Launcher } from './lib/launchers.ts';
import { planPython } from './lib/python-plan.ts';
import { recordServerSession } from './lib/server-session.ts';
import { runExample, startImageServerOn } from './lib/run.ts';
import { type PythonRecording, type Recording } from '../src/examples/schema.ts';

const args = process.argv.slice(2);
const force = args.includes('--force');
const onlyPython = args.includes('--python');
const onlyTypescript = args.includes('--typescript');
const known = new Set(['--force', '--python', '--typescript']);
const badFlags = args.filter((arg) => arg.startsWith('--') && !known.has(arg));
if (badFlags.length || (onlyPython && onlyTypescript)) {
  console.error(`record: ${badFlags.length ? `unknown option ${badFlags.join(', ')}` : '--python and --typescript exclude each other'}`);
  console.error('usage: npm run record [-- [--force] [--typescript | --python] [<id> …]]');
  process.exit(2);
}
const wanted = args.filter((arg) => !arg.startsWith('--'));
const ids = wanted.length ? wanted.map((given) => resolveId(given) ?? given) : exampleIds();
const unknown = ids.filter((id) => !exampleIds().includes(id));
if (unknown.length) {
  console.error(`record: no example ${unknown.join(', ')}`);
  process.exit(2);
}

// Every meta.json and recording is checked first: a writer's mistake stops the build here, with
// the file and the field named, rather than deep inside a page.
try {
  for (const id of exampleIds()) {
    readMeta(id);
    readRecording(id);
    readPythonRecording(id);
  }
} catch (error) {
  console.error(`record: ${(error as Error).message}`);
  process.exit(1);
}

const typescript = onlyPython ? [] : ids.filter((id) => force || readRecording(id)?.codeHash !== codeHash(id));
const pythonStale = ids.filter((id) => {
  const recording = readPythonRecording(id);
  return recording !== undefined && recording.codeHash !== pythonCodeHash(id);
});
const pythonMissing = ids.filter((id) => readPythonRecording(id) === undefined);
const pythonPlan = onlyTypescript
  ? ({ action: 'none' } as const)
  : planPython({
      toRecord: force ? ids : ids.filter((id) => pythonStale.includes(id) || pythonMissing.includes(id)),
      stale: pythonStale,
      missing: pythonMissing,
      required: onlyPython,
      find: findPython,
    });
const python = pythonPlan.action === 'record' ? pythonPlan.ids : [];
const languages = onlyPython ? 'Python' : onlyTypescript ? 'TypeScript' : 'TypeScript and Python';

if (pythonPlan.action === 'fail') {
  console.error(pythonPlan.message);
  process.exit(1);
}
if (pythonPlan.action === 'keep') console.log(pythonPlan.message);
if (!typescript.length && !python.length) {
  if (pythonPlan.action === 'none') console.log(`record: all ${ids.length} ${languages} recordings are up to date (--force to re-record)`);
  process.exit(0);
}

// The image server listens on its default port if it can, so the recorded URLs match the code.
const imageServer = await startImageServerOn(8765);
let failures = 0;

/** Runs one example with `launcher` as the recorder does; the result, or undefined after reporting a failure. */
async function record(id: string, launcher: Launcher, label: string): Promise<RunResult | undefined> {
  const meta = readMeta(id);
  process.stdout.write(`record: ${id} (${label}) … `);
  const result =
    meta.kind === 'server'
      ? await recordServerSession(launcher, { imageServerUrl: imageServer.url, port: await freePort(8080) })
      : await runExample(id, launcher, { imageServerUrl: imageServer.url, env: { URLS: undefined } }); // the code's own URLs
  if (result.exitCode !== 0 || result.timedOut) {
    failures += 1;
    console.log(result.timedOut ? `timed out after ${meta.timeoutMs} ms` : `failed with exit code ${result.exitCode}`);
    console.log(formatLines(result.lines));
    return undefined;
  }
  console.log(`${result.lines.length} lines in ${result.durationMs} ms`);
  return result;
}

const write = (file: string, recording: Recording | PythonRecording) => writeFileSync(file, `${JSON.stringify(recording, null, 2)}\n`);

try {
  for (const id of typescript) {
    const hash = codeHash(id);
    const recordedAt = new Date().toISOString();
    const result = await record(id, nodeLauncher, `node ${process.version}`);
    if (!result) continue;
    const { exitCode, durationMs, lines } = result;
    write(recordingPath(id), { codeHash: hash, recordedAt, node: process.version, exitCode, durationMs, lines });
  }
  if (pythonPlan.action === 'record') {
    const { python: interpreter, version } = pythonPlan.python;
    for (const id of python) {
      const hash = pythonCodeHash(id);
      const recordedAt = new Date().toISOString();
      const result = await record(id, pythonLauncher(interpreter), `python ${version}`);
      if (!result) continue;
      const { exitCode, durationMs, lines } = result;
      write(pythonRecordingPath(id), { codeHash: hash, recordedAt, python: version, exitCode, durationMs, lines });
    }
  }
} finally {
  await imageServer.close();
}
const unchanged: string[] = [];
if (!onlyPython && typescript.length < ids.length) unchanged.push(`${ids.length - typescript.length} TypeScript`);
if (pythonPlan.action === 'record' && python.length < ids.length) unchanged.push(`${ids.length - python.length} Python`);
if (unchanged.length) console.log(`record: ${unchanged.join(' and ')} recording(s) unchanged (not re-run)`);
if (failures) {
  console.error(`record: ${failures} run(s) failed`);
  process.exit(1);
}
