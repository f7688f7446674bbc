/**
 * A program's text through a WebContainer's terminal (src/runtime/utf8-guard.ts): the guard the
 * adapter preloads into every program, run in real Node 18, 20 and this Node, and the page's reader
 * of the stream, fed the bytes cut at every place and decoded chunk by chunk as @webcontainer/api
 * 1.6.4 decodes them.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import { after, before, describe, it } from 'node:test';
import { guarded, OUTPUT_GUARD, TerminalText } from '../src/runtime/utf8-guard.ts';
import { oldNodes } from './lib/process-container.ts';

/** What the library does with each chunk: a TextDecoder of its own, no streaming. */
const libraryDecode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The bytes cut into chunks at `cuts`, each decoded by itself, with a terminal's line ends, read back. */
function throughTerminal(bytes: Uint8Array, cuts: number[]): string {
  const reader = new TerminalText();
  let text = '';
  let from = 0;
  for (const cut of [...cuts, bytes.length]) {
    text += reader.push(libraryDecode(bytes.subarray(from, cut)).replace(/\n/g, '\r\n'));
    from = cut;
  }
  return text + reader.flush();
}

const PROGRAM = `
const { Worker } = require('node:worker_threads');
console.log('Привет, мир! 😀 ёлка');
process.stdout.write(Buffer.from('байты по отдельности: '));
const bytes = Buffer.from('щ\\n');
process.stdout.write(bytes.subarray(0, 1)); // half a character: the rest comes in the next write
process.stdout.write(bytes.subarray(1), () => {});
console.log('\\u001b[31mкрасный\\u001b[0m plain');
console.error('ошибка: в stderr');
const worker = new Worker("require('node:worker_threads').parentPort; console.log('из потока: ж');", { eval: true });
worker.on('exit', () => console.log('done'));
`;
const EXPECTED = 'Привет, мир! 😀 ёлка\nбайты по отдельности: щ\n\u001b[31mкрасный\u001b[0m plain\nиз потока: ж\ndone\n';

describe('text through a WebContainer terminal', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'terminal-text-'));
    writeFileSync(path.join(dir, 'guard.cjs'), OUTPUT_GUARD);
    writeFileSync(path.join(dir, 'main.cjs'), PROGRAM);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const nodes = [
    { name: `this Node (${process.version})`, binary: process.execPath, skip: false as const },
    ...oldNodes().map((found) => ({ name: `Node ${found.major}`, binary: found.node?.binary ?? '', skip: found.skip })),
  ];
  for (const node of nodes) {
    it(`${node.name}: the guarded output of a program (Cyrillic, emoji, ESC, halves of a character, a worker) reads back exactly, wherever the chunks are cut`, { skip: node.skip }, () => {
      const run = spawnSync(node.binary, ['--require', './guard.cjs', 'main.cjs'], { cwd: dir });
      assert.equal(run.status, 0, run.stderr.toString());
      const out = new Uint8Array(run.stdout);
      assert.ok([...out, ...run.stderr].every((byte) => byte < 0x80), 'what leaves the program is ASCII: no chunk boundary can split a character');
      for (let cut = 1; cut < out.length; cut++) assert.equal(throughTerminal(out, [cut]), EXPECTED, `cut at byte ${cut}`);
      assert.equal(throughTerminal(out, Array.from({ length: out.length - 1 }, (_, i) => i + 1)), EXPECTED, 'one byte a chunk');
      assert.equal(throughTerminal(new Uint8Array(run.stderr), [5]), 'ошибка: в stderr\n', 'stderr is guarded too');
    });
  }

  it('without the guard, the library loses a character cut in two (the reason the guard exists)', () => {
    const bytes = new TextEncoder().encode('ёж\n');
    assert.equal(throughTerminal(bytes, [1]), '\uFFFD\uFFFDж\n');
  });

  it("the page's encoding agrees with the preload's", () => {
    const text = 'a ё 😀 \u001b[1m';
    const run = spawnSync(process.execPath, ['--require', path.join(dir, 'guard.cjs'), '-e', `process.stdout.write(${JSON.stringify(text)})`]);
    assert.equal(run.stdout.toString(), guarded(text));
  });

  it('plain output is left as it is, line ends included; an escape that never ends is let through', () => {
    const reader = new TerminalText();
    assert.equal(reader.push('one\r\ntwo\r'), 'one\ntwo', 'a \\r at the end waits for its \\n');
    const yo = guarded('ё'); // ESC X 0ZE= ESC \
    assert.equal(reader.push(`\nthree ${yo.slice(0, 4)}`), '\nthree ', 'half an escape waits for its end');
    assert.equal(reader.push(`${yo.slice(4)} end\r\n`), 'ё end\n');
    assert.equal(reader.push('\u001bXnot closed'), '');
    assert.equal(reader.flush(), '\u001bXnot closed');
  });
});
