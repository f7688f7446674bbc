/**
 * Runs one example in this terminal:
 *
 *   npm run example -- <id> [--python]        e.g. npm run example -- 02-scraper-async
 *
 * The id may be shortened to a unique prefix ("02"). Starts the image server when the example
 * needs it (on port 8765 if free, else any free port) and passes its URL in IMAGE_SERVER; runs
 * the TypeScript port with this Node, or with --python the Python version; the output goes
 * straight to this terminal; exits with the program's exit code. The server example (04) runs
 * in the foreground until Ctrl+C.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type { ImageServer } from '../content/examples/_support/image-server.ts';
import { exampleEnv, findPython, nodeLauncher, pythonLauncher } from './lib/launchers.ts';
import { exampleIds, readMeta, resolveId, ROOT } from '../src/examples/files.ts';
import { startImageServerOn } from './lib/run.ts';

const args = process.argv.slice(2);
const python = args.includes('--python');
const given = args.filter((arg) => !arg.startsWith('--'));

const id = given.length === 1 ? resolveId(given[0]) : undefined;
if (!id) {
  if (given.length === 1) console.error(`No example "${given[0]}".`);
  console.error(`Usage: npm run example -- <id> [--python]\nExamples:\n${exampleIds().map((known) => `  ${known}`).join('\n')}`);
  process.exit(2);
}

let runtime = nodeLauncher;
if (python) {
  const found = findPython();
  if ('error' in found) {
    console.error(`Cannot run the Python version: ${found.error}`);
    process.exit(1);
  }
  runtime = pythonLauncher(found.python);
}

const meta = readMeta(id);
let imageServer: ImageServer | undefined;
if (meta.imageServer) imageServer = await startImageServerOn(8765);

if (meta.kind === 'server') {
  const client = path.relative(process.cwd(), path.join(ROOT, 'content', 'examples', id, 'client.ts'));
  console.error(
    `Image server: ${imageServer?.url}. Stop the server with Ctrl+C. Try it from another terminal\n` +
      `(npx picks this project's Node, which runs .ts files):\n` +
      `  IMAGE_SERVER=${imageServer?.url} npx node ${client} scrape alice 3 5000\n` +
      `  npx node ${client} cancel alice\n`,
  );
}

const command = runtime.command(id, 'main');
const child = spawn(command.cmd, command.args, {
  cwd: command.cwd,
  env: exampleEnv({ IMAGE_SERVER: imageServer?.url }),
  stdio: 'inherit',
});

// Ctrl+C reaches the example itself (it is in this terminal's process group): wait for it to end.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));

child.on('error', (error) => {
  console.error(`Cannot start ${command.cmd}: ${error.message}`);
});
child.on('close', async (code, signal) => {
  await imageServer?.close();
  process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
});
