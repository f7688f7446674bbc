/** src/runtime/strip-types.ts: what the browser sandbox does to a port before Node 18/20 runs it. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES_DIR, exampleDir, exampleIds } from '../src/examples/files.ts';
import { stripTypes } from '../src/runtime/strip-types.ts';
import { NODE20, node20SkipReason } from './lib/languages.ts';

const SAMPLE = `import http from "node:http";
import type { Server } from "node:http";
import { type IncomingMessage, createServer } from "node:http";

interface Point { x: number; y: number }
type Pair<T> = [T, T];

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}
const pairs: Pair<number>[] = [[1, 2]];
const maybe = (pairs[0] as Pair<number> | undefined)!;
const server: Server | undefined = undefined;
async function* gen(): AsyncGenerator<number> { yield 1; }
export const answer = distance({ x: 0, y: 0 }, { x: 3, y: 4 }) satisfies number;
for await (const v of gen()) console.log(v, maybe?.[0] ?? 0, server, http.STATUS_CODES[200], typeof createServer);
`;

describe('stripTypes', () => {
  it('removes the types and keeps the code, ESM imports and modern syntax as written', () => {
    const js = stripTypes(SAMPLE, 'sample.ts');
    assert.match(js, /^import http from "node:http";/m);
    assert.match(js, /import \{\s*createServer\s*\} from "node:http";/);
    assert.doesNotMatch(js, /import type|interface |type Pair|: number|as Pair|satisfies|AsyncGenerator<|Server \|/);
    assert.match(js, /for await \(const v of gen\(\)\)/, 'for await kept');
    assert.match(js, /\?\.\[0\] \?\? 0/, 'optional chaining and ?? kept (no ES transforms)');
    assert.doesNotMatch(js, /require\(|exports\./, 'still an ES module');
  });

  it('gives JavaScript that runs', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strip-types-'));
    try {
      const file = path.join(dir, 'sample.mjs');
      writeFileSync(file, stripTypes(SAMPLE, 'sample.ts'));
      const node = node20SkipReason() ? process.execPath : NODE20;
      const run = spawnSync(node, [file], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stdout, '1 1 undefined OK function\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('turns every port, client and the image server into a module Node 20 can parse', { skip: node20SkipReason() }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'strip-types-'));
    try {
      const sources = exampleIds().flatMap((id) => ['main.ts', 'client.ts'].map((file) => path.join(exampleDir(id), file)));
      sources.push(path.join(EXAMPLES_DIR, '_support', 'image-server.ts'));
      for (const source of sources.filter((file) => existsSync(file))) {
        const target = path.join(dir, `${path.basename(path.dirname(source))}-${path.basename(source, '.ts')}.mjs`);
        writeFileSync(target, stripTypes(readFileSync(source, 'utf8'), path.basename(source)));
        const check = spawnSync(NODE20, ['--check', target], { encoding: 'utf8' });
        assert.equal(check.status, 0, `${source}: ${check.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
