// src/lib/lines.ts: chunks of output, split anywhere, back into the lines a program printed.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter, type SplitLine } from '../src/lib/lines.ts';

/** Every line `chunks` make, the unfinished last one included. */
function split(chunks: string[], splitter = new LineSplitter()): SplitLine[] {
  const lines = chunks.flatMap((chunk) => splitter.push(chunk));
  const last = splitter.flush();
  return last ? [...lines, last] : lines;
}
const texts = (lines: SplitLine[]) => lines.map((line) => line.text);

describe('LineSplitter', () => {
  it('gives the same lines however the output is chunked', () => {
    const output = 'first\nsecond line\r\n\nfourth\r\nlast';
    const expected = ['first', 'second line', '', 'fourth', 'last'];
    assert.deepEqual(texts(split([output])), expected);
    assert.deepEqual(texts(split([...output])), expected, 'one character per chunk');
    for (let at = 0; at <= output.length; at++) {
      assert.deepEqual(texts(split([output.slice(0, at), output.slice(at)])), expected, `split at ${at}`);
    }
  });

  it('reads "\\r\\n" split across chunks as one line end', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('one\r'), []);
    assert.deepEqual(texts(splitter.push('\ntwo\r')), ['one']);
    assert.deepEqual(texts(splitter.push('\n')), ['two']);
    assert.equal(splitter.flush(), null);
  });

  it('holds a chunk that is only "\\r" until the next chunk says what it was', () => {
    const splitter = new LineSplitter();
    assert.deepEqual(splitter.push('a'), []);
    assert.deepEqual(splitter.push('\r'), []);
    assert.deepEqual(splitter.push('\r'), [], 'the first "\\r" was not followed by "\\n": it stays in the line');
    assert.deepEqual(splitter.push(''), [], 'an empty chunk changes nothing');
    assert.deepEqual(splitter.push('\n'), [{ text: 'a\r', cut: 0 }]);
  });

  it('keeps a lone "\\r" (a progress bar) inside the line, and at the end of a run', () => {
    assert.deepEqual(texts(split(['10%\r50%\r100%\n'])), ['10%\r50%\r100%']);
    assert.deepEqual(texts(split(['done\r'])), ['done\r']);
  });

  it('with crlf off, "\\r" is an ordinary character', () => {
    assert.deepEqual(texts(split(['a\r', '\nb'], new LineSplitter({ crlf: false }))), ['a\r', 'b']);
  });

  it('cuts a line at the limit and counts exactly what it cut, however it was chunked', () => {
    const line = 'abcdefghij'.repeat(3); // 30 characters
    for (const chunks of [[`${line}\n`], [...`${line}\n`], [line.slice(0, 7), line.slice(7, 23), `${line.slice(23)}\n`]]) {
      const lines = split([...chunks, 'next\n'], new LineSplitter({ maxLineChars: 12 }));
      assert.deepEqual(lines, [
        { text: 'abcdefghijab', cut: 18 },
        { text: 'next', cut: 0 },
      ]);
    }
  });

  it('keeps a line of exactly the limit whole, and cuts one character more', () => {
    assert.deepEqual(split(['12345\n', '123456\n'], new LineSplitter({ maxLineChars: 5 })), [
      { text: '12345', cut: 0 },
      { text: '12345', cut: 1 },
    ]);
  });

  it('never keeps half of a character outside the Basic Multilingual Plane', () => {
    const [line] = split(['ab😀cd\n'], new LineSplitter({ maxLineChars: 3 }));
    assert.deepEqual(line, { text: 'ab', cut: 4 }, 'the emoji is two UTF-16 units: both are cut');
  });

  it('a cut line holds no more than the limit in memory while it grows', () => {
    const splitter = new LineSplitter({ maxLineChars: 1000 });
    const chunk = 'x'.repeat(64 * 1024);
    for (let i = 0; i < 50; i++) {
      assert.deepEqual(splitter.push(chunk), []);
      assert.ok(splitter.held <= 1000, `held ${splitter.held} characters after ${i + 1} chunks`);
    }
    assert.equal(splitter.pending, 50 * chunk.length);
    assert.deepEqual(splitter.flush(), { text: 'x'.repeat(1000), cut: 50 * chunk.length - 1000 });
  });

  it('flush gives the unfinished line once, then nothing, and starts afresh', () => {
    const splitter = new LineSplitter({ maxLineChars: 3 });
    splitter.push('abcdef');
    assert.deepEqual(splitter.flush(), { text: 'abc', cut: 3 });
    assert.equal(splitter.flush(), null);
    assert.deepEqual(splitter.push('xy\n'), [{ text: 'xy', cut: 0 }]);
    assert.equal(splitter.flush(), null, 'nothing after a complete line');
  });
});
