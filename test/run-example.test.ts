/** scripts/run-example.ts: `npm run example -- <id> [--python]`. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exampleEnv, findPython } from '../scripts/lib/launchers.ts';
import { ROOT } from '../src/examples/files.ts';
import { startProcess } from '../scripts/lib/processes.ts';

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  startProcess({ cmd: process.execPath, args: [path.join(ROOT, 'scripts', 'run-example.ts'), ...args], cwd: ROOT }, {
    env: exampleEnv(env),
    timeoutMs: 60_000,
  }).done;

describe('npm run example', () => {
  it('runs a port by id or by a short prefix, and exits with its code', async () => {
    const result = await run(['07']);
    assert.equal(result.exitCode, 0);
    assert.equal(result.lines.filter((line) => / \d+\. /.test(line.text)).length, 10);
  });

  it('starts the image server for the examples that need it', async () => {
    const result = await run(['02-scraper-async'], { URLS: undefined });
    assert.equal(result.exitCode, 0, result.lines.map((line) => line.text).join('\n'));
    assert.equal(result.lines.filter((line) => / Response received from http:\/\/127\.0\.0\.1:\d+\/img\//.test(line.text)).length, 5);
  });

  it("passes on the program's failure", async () => {
    const result = await run(['01'], { URLS: 'http://127.0.0.1:9/unreachable.png' });
    assert.notEqual(result.exitCode, 0);
  });

  it('lists the examples when the id is unknown', async () => {
    const result = await run(['no-such-example']);
    assert.equal(result.exitCode, 2);
    assert.ok(result.lines.some((line) => line.text.includes('09-collector-styles')));
  });

  it('runs the Python version with --python', { skip: 'error' in findPython() && 'no Python with aiohttp and requests' }, async () => {
    const result = await run(['07-execution-order', '--python']);
    assert.equal(result.exitCode, 0);
    assert.ok(result.lines.some((line) => line.text.endsWith('3. await child(): the coroutine runs at once, up to asyncio.sleep(0)')));
  });
});
