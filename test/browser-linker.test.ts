/**
 * How the in-page runtime turns a program's files into modules (src/runtime/browser/worker/linker.ts):
 * imports point at the layer's built-ins or at the program's other files, in place (so a stack's
 * line and column are the reader's), and anything the layer lacks is named before anything runs.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { link, namedImports } from '../src/runtime/browser/worker/linker.ts';

const BUILTINS: Record<string, readonly string[]> = { process: ['env', 'argv', 'exit'], http: ['createServer', 'get'], 'timers/promises': ['setTimeout'] };

async function linked(files: Record<string, string>, entry = 'main.js') {
  const modules: string[] = [];
  const result = await link({
    files,
    entry,
    root: '/book/example',
    builtins: {
      url: (name) => (BUILTINS[name.replace(/^node:/, '')] ? `builtin:${name.replace(/^node:/, '')}` : null),
      exports: (name) => BUILTINS[name.replace(/^node:/, '')] ?? null,
    },
    moduleUrl: (source) => {
      modules.push(source);
      return `module:${modules.length - 1}`;
    },
  });
  return { result, modules };
}

describe('the in-page runtime links a program', () => {
  it('points built-in imports at the layer, in place, keeping every line where it was', async () => {
    const source = 'import process from "node:process";\nimport { setTimeout as sleep } from "node:timers/promises";\n\nawait sleep(1);\nconsole.log(process.argv);\n';
    const { result, modules } = await linked({ 'main.js': source });
    assert.ok(result.ok);
    const out = modules.at(-1)!;
    assert.equal(out.split('\n').length, source.split('\n').length);
    assert.match(out, /^import process from "builtin:process";\nimport \{ setTimeout as sleep \} from "builtin:timers\/promises";\n/);
    assert.equal(out.split('\n')[4], 'console.log(process.argv);');
  });

  it('links the program’s own files, relative to the importing file', async () => {
    const { result, modules } = await linked({ 'main.js': 'import { x } from "./lib/x.js";\nconsole.log(x);', 'lib/x.js': 'import { y } from "../y.js";\nexport const x = y;', 'y.js': 'export const y = 1;' });
    assert.ok(result.ok);
    assert.equal(modules.length, 3);
    assert.equal(modules[0], 'export const y = 1;');
    assert.equal(modules[1], 'import { y } from "module:0";\nexport const x = y;');
    assert.equal(result.urls.get('main.js'), 'module:2');
  });

  it('names a module the layer does not have, before anything runs', async () => {
    const { result, modules } = await linked({ 'main.js': 'import { readFile } from "node:fs/promises";\n' });
    assert.deepEqual(result, { ok: false, missing: 'node:fs/promises' });
    assert.equal(modules.length, 0);
    assert.deepEqual((await linked({ 'main.js': 'import _ from "lodash";' })).result, { ok: false, missing: 'lodash' });
  });

  it('names a function a built-in does not export', async () => {
    const { result } = await linked({ 'main.js': 'import { createServer, request } from "node:http";\n' });
    assert.deepEqual(result, { ok: false, missing: 'http.request' });
  });

  it('names a missing file and refuses a cycle', async () => {
    assert.deepEqual((await linked({ 'main.js': 'import "./gone.js";' })).result, { ok: false, missing: './gone.js' });
    const cycle = await linked({ 'main.js': 'import "./a.js";', 'a.js': 'import "./main.js";' });
    assert.equal(cycle.result.ok, false);
    assert.match((cycle.result as { missing: string }).missing, /circular/);
  });

  it('gives import.meta the file’s own path, on the first line (the image server checks it)', async () => {
    const { result, modules } = await linked({ 'server.js': 'const a = 1;\nif (import.meta.url === "x") {}\n' }, 'server.js');
    assert.ok(result.ok);
    const [first, second] = modules[0]!.split('\n');
    assert.equal(result.shifts.get('server.js'), first!.length - 'const a = 1;'.length, 'how far the first line moved right');
    assert.match(first!, /^const __bookImportMeta = \{ url: "file:\/\/\/book\/example\/server\.js".*\};const a = 1;$/);
    assert.equal(second, 'if (__bookImportMeta.url === "x") {}');
  });

  it('puts the entry’s prelude first, on its first line, and says how far it moved that line', async () => {
    const { result, modules } = await linked({ 'main.js': 'console.log(1);\n' });
    assert.ok(result.ok);
    assert.equal(result.shifts.get('main.js'), 0);
    const withPrelude = await link({
      files: { 'main.js': 'console.log(1);\n' },
      entry: 'main.js',
      root: '/book/example',
      entryPrelude: 'started();',
      builtins: { url: () => null, exports: () => null },
      moduleUrl: (source) => `module:${source}`,
    });
    assert.ok(withPrelude.ok);
    assert.equal(withPrelude.entryUrl, 'module:started();console.log(1);\n');
    assert.equal(withPrelude.shifts.get('main.js'), 'started();'.length);
    assert.equal(modules.length, 1);
  });

  it('reads the names an import takes', () => {
    assert.deepEqual(namedImports('import x, { a, b as c, default as d } from "m"'), ['a', 'b']);
    assert.deepEqual(namedImports('import x from "m"'), []);
    assert.deepEqual(namedImports('import * as m from "m"'), []);
  });
});
