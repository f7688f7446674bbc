/**
 * Records the output of every example for the book: `npm run record` (the build runs it first).
 *
 * Runs each example's TypeScript port with this Node and writes content/examples/<id>/recorded.json:
 *   { codeHash, recordedAt, node, exitCode, durationMs, lines: [{ t, stream, text }] }
 * codeHash is the sha256 of main.ts (and client.ts): an example whose code has not changed since
 * its recording is not run again, so that builds stay fast. `--force` re-records all of them;
 * ids (or unique prefixes) given as arguments restrict the run to those examples.
 *
 * The examples run one after another, never at once, so that their timings are honest. The
 * server example is recorded as a scripted session with its clients (see recordServerSession).
 * A run that fails (non-zero exit code or time-out) is reported and not written, and the script
 * exits with code 1.
 */
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { codeHash, exampleIds, readMeta, readRecording, recordingPath, resolveId } from '../src/examples/files.ts';
import { formatLines } from './lib/processes.ts';
import { freePort } from '../src/runtime/local/server/ports.ts';
import { nodeLauncher } from './lib/launchers.ts';
import { recordServerSession } from './lib/server-session.ts';
import { runExample, startImageServerOn } from './lib/run.ts';
import { type Recording } from '../src/examples/schema.ts';

const args = process.argv.slice(2);
const force = args.includes('--force');
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
  }
} catch (error) {
  console.error(`record: ${(error as Error).message}`);
  process.exit(1);
}

const stale = ids.filter((id) => force || readRecording(id)?.codeHash !== codeHash(id));
if (!stale.length) {
  console.log(`record: all ${ids.length} recordings are up to date (--force to re-record)`);
  process.exit(0);
}

// The image server listens on its default port if it can, so the recorded URLs match the code.
const imageServer = await startImageServerOn(8765);
let failures = 0;
try {
  for (const id of stale) {
    const meta = readMeta(id);
    const hash = codeHash(id);
    const recordedAt = new Date().toISOString();
    process.stdout.write(`record: ${id} … `);
    const result =
      meta.kind === 'server'
        ? await recordServerSession(nodeLauncher, { imageServerUrl: imageServer.url, port: await freePort(8080) })
        : await runExample(id, nodeLauncher, { imageServerUrl: imageServer.url, env: { URLS: undefined } }); // the code's own URLs
    if (result.exitCode !== 0 || result.timedOut) {
      failures += 1;
      console.log(result.timedOut ? `timed out after ${meta.timeoutMs} ms` : `failed with exit code ${result.exitCode}`);
      console.log(formatLines(result.lines));
      continue;
    }
    const recording: Recording = {
      codeHash: hash,
      recordedAt,
      node: process.version,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      lines: result.lines,
    };
    writeFileSync(recordingPath(id), `${JSON.stringify(recording, null, 2)}\n`);
    console.log(`${result.lines.length} lines in ${result.durationMs} ms`);
  }
} finally {
  await imageServer.close();
}
const upToDate = ids.length - stale.length;
if (upToDate) console.log(`record: ${upToDate} unchanged (not re-run)`);
if (failures) {
  console.error(`record: ${failures} example(s) failed`);
  process.exit(1);
}
