/**
 * What every example folder holds, and the rules the ports follow so that they run inside a
 * WebContainer (Node 18 or 20, no type stripping): only erasable TypeScript, only APIs Node 18
 * has, ESM with node: imports only, one self-contained file with its own logging helper.
 * (Running them on Node 24, which refuses non-erasable syntax, and on Node 20 after stripping
 * is done in examples.test.ts; this file catches what those runs cannot, like APIs newer than 18.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES_DIR, exampleDir, exampleIds, readMeta } from '../src/examples/files.ts';
import { findPython } from '../scripts/lib/launchers.ts';

const IDS = [
  '01-scraper-sync',
  '02-scraper-async',
  '03-fibonacci',
  '04-scraper-server',
  '05-cpu-parallel',
  '06-blocked-timer',
  '07-execution-order',
  '08-async-generator',
  '09-collector-styles',
  '10-bounded-concurrency',
  '11-cancellation-timeouts',
  '21-gather-order',
  '22-sequential-awaits',
  '23-yield-points',
  '24-cpu-heartbeat',
  '25-generator-send',
  '26-fire-and-forget',
  '27-cancel-cleanup',
  '28-lost-update',
  '29-pool-completion-order',
  '30-unbounded-fan-out',
];
const CHAPTERS = ['what-is-asyncio', 'concurrency-and-parallelism', 'history', 'how-asyncio-works', 'libraries'];

/** Syntax a WebContainer's Node cannot run once types are stripped, and APIs Node 18 lacks. */
const FORBIDDEN: [RegExp, string][] = [
  [/^\s*(export\s+)?(const\s+)?enum\s/m, 'enum (not erasable)'],
  [/^\s*(export\s+)?(declare\s+)?(namespace|module)\s+\w+\s*\{/m, 'namespace (not erasable)'],
  [/^\s*@\w+/m, 'decorators'],
  [/import\s+\w+\s*=\s*require/, 'import = require'],
  [/constructor\s*\([^)]*\b(public|private|protected|readonly)\s/, 'parameter properties'],
  [/zlib\.crc32|import\s*\{[^}]*\bcrc32\b[^}]*\}\s*from\s*["']node:zlib["']/, 'zlib.crc32 (Node 22+)'],
  [/import\.meta\.(dirname|filename|resolve)/, 'import.meta.dirname/filename/resolve (Node 20.11+)'],
  [/Promise\.withResolvers/, 'Promise.withResolvers (Node 22+)'],
  [/Array\.fromAsync/, 'Array.fromAsync (Node 22+)'],
  [/node:test|node:sqlite|process\.getBuiltinModule|availableParallelism/, 'an API newer than Node 18'],
  [/--experimental/, '--experimental flags'],
  [/\brequire\(\s*["'](?!node:)/, 'require() of a package (nothing is installed in the sandbox)'],
  [/\bfrom\s+["'](?!node:|\.\.?\/)/, 'an import that is not node:… (nothing is installed in the sandbox)'],
];

function ports(): string[] {
  const files = exampleIds().flatMap((id) => ['main.ts', 'client.ts', 'solution.ts'].map((file) => path.join(exampleDir(id), file)));
  return [...files.filter((file) => existsSync(file)), path.join(EXAMPLES_DIR, '_support', 'image-server.ts')];
}

describe('example folders', () => {
  it('hold exactly the book\'s examples', () => {
    assert.deepEqual(exampleIds(), IDS);
  });

  for (const id of IDS) {
    it(`${id}: main.ts, main.py and a meta.json of the agreed shape`, () => {
      assert.ok(existsSync(path.join(exampleDir(id), 'main.ts')));
      assert.ok(existsSync(path.join(exampleDir(id), 'main.py')));
      const meta = readMeta(id);
      const required = ['chapter', 'id', 'imageServer', 'kind', 'teaches', 'timeoutMs', 'title'];
      const optional = ['compareWith', 'eventLoopOrder', 'exercise', 'permissions'];
      assert.deepEqual(Object.keys(meta).filter((key) => !optional.includes(key)).sort(), required.sort());
      // Only 05 (and the solution of the exercise 24) starts worker threads; the local runtime refuses them to the others.
      assert.deepEqual(meta.permissions, id === '05-cpu-parallel' || id === '24-cpu-heartbeat' ? ['worker'] : undefined);
      if (meta.compareWith !== undefined) {
        assert.equal(readMeta(meta.compareWith).chapter, meta.chapter, 'the example to compare with is on the same page');
      }
      assert.equal(meta.id, id);
      for (const field of ['title', 'teaches'] as const) {
        assert.deepEqual(Object.keys(meta[field]).sort(), ['en', 'ru']);
        assert.ok(meta[field].ru.length > 3 && meta[field].en.length > 3);
      }
      assert.ok(CHAPTERS.includes(meta.chapter), meta.chapter);
      assert.equal(typeof meta.imageServer, 'boolean');
      assert.equal(meta.kind, id === '04-scraper-server' ? 'server' : 'program');
      assert.ok(Number.isInteger(meta.timeoutMs) && meta.timeoutMs > 0);
      // The one example whose lesson is the event loop's order says so, so a WebContainer run gets its note.
      assert.equal(meta.eventLoopOrder === true, id === '07-execution-order', 'eventLoopOrder marks the lesson on callback order');
      assert.equal(existsSync(path.join(exampleDir(id), 'client.ts')), meta.kind === 'server', 'the server example has a client');
      const code = ['main.ts', 'client.ts']
        .filter((file) => existsSync(path.join(exampleDir(id), file)))
        .map((file) => readFileSync(path.join(exampleDir(id), file), 'utf8'))
        .join('\n');
      assert.equal(meta.imageServer, code.includes('IMAGE_SERVER'), 'imageServer says whether the code uses the image server');
    });
  }
});

describe('the ports follow the WebContainer rules', () => {
  for (const file of ports()) {
    const name = path.relative(EXAMPLES_DIR, file);
    it(name, () => {
      const code = readFileSync(file, 'utf8');
      for (const [pattern, what] of FORBIDDEN) assert.ok(!pattern.test(code), `${name} uses ${what}: ${pattern.exec(code)?.[0]}`);
      assert.match(code, /^import .* from "node:/m, 'an ES module with node: imports');
      if (!name.startsWith('_support')) {
        assert.match(code, /const asctime = \(d: Date\) =>/, 'its own logging helper in the lecture format');
      }
    });
  }

  it('the scrapers\' default scenario is the lecture\'s: 5 images with different delays', () => {
    for (const id of ['01-scraper-sync', '02-scraper-async']) {
      for (const file of ['main.ts', 'main.py']) {
        const code = readFileSync(path.join(exampleDir(id), file), 'utf8');
        const delays = [...code.matchAll(/\/img\/\d\.png\?delay=(\d+)/g)].map((m) => Number(m[1]));
        assert.equal(delays.length, 5, `${id}/${file}`);
        assert.equal(new Set(delays).size, 5, `${id}/${file}: different delays`);
      }
    }
  });
});

describe('10-bounded-concurrency', () => {
  it('has one LIMIT, a constant near the top of both versions, and the same delays in both', () => {
    const ts = readFileSync(path.join(exampleDir('10-bounded-concurrency'), 'main.ts'), 'utf8');
    const py = readFileSync(path.join(exampleDir('10-bounded-concurrency'), 'main.py'), 'utf8');
    const tsLimit = /^const LIMIT = (\d+);/m.exec(ts);
    const pyLimit = /^LIMIT = (\d+)  #/m.exec(py);
    assert.ok(tsLimit && pyLimit, 'LIMIT is a top-level constant in both');
    assert.equal(tsLimit[1], pyLimit[1]);
    assert.ok(ts.slice(0, tsLimit.index).split('\n').length < 15 && py.slice(0, pyLimit.index).split('\n').length < 20, 'near the top');
    assert.equal(/const DELAYS = (\[[\d, ]+\]);/.exec(ts)?.[1], /DELAYS = (\[[\d, ]+\])/.exec(py)?.[1]);
  });
});

describe('the Python versions', { skip: 'error' in findPython() && (findPython() as { error: string }).error }, () => {
  it('compile, and log with the lecture\'s format', () => {
    const python = (findPython() as { python: string }).python;
    for (const id of IDS) {
      const file = path.join(exampleDir(id), 'main.py');
      const check = spawnSync(python, ['-c', 'import ast, sys; ast.parse(open(sys.argv[1]).read())', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, `${id}: ${check.stderr}`);
      assert.match(readFileSync(file, 'utf8'), /logging\.basicConfig\(format="%\(asctime\)s %\(message\)s", level=logging\.INFO(, stream=sys\.stdout)?\)/, id);
    }
  });
});
