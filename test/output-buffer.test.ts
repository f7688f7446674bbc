// src/sandbox/output-buffer.ts: what the terminal under an example keeps of a flood of output.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_LINES, MAX_LINE_CHARS, OutputBuffer, type OutputLine } from '../src/sandbox/output-buffer.ts';

const cutNote = (count: number) => `[${count} more]`;

describe('OutputBuffer', () => {
  it('a 100 MB line in 64 KB chunks ends as one line of MAX_LINE_CHARS characters, holding no more than that', () => {
    const buffer = new OutputBuffer();
    const chunk = 'x'.repeat(64 * 1024);
    const chunks = Math.ceil((100 * 1024 * 1024) / chunk.length);
    let mostHeld = 0;
    for (let i = 0; i < chunks; i++) {
      assert.deepEqual(buffer.append(chunk, 'stdout'), [], 'no line is complete before the newline');
      mostHeld = Math.max(mostHeld, buffer.heldChars('stdout'));
    }
    assert.ok(mostHeld <= MAX_LINE_CHARS + 1, `the unfinished line held ${mostHeld} characters`);
    const [line, ...rest] = buffer.append('\nthe end\n', 'stdout');
    assert.equal(line!.text, 'x'.repeat(MAX_LINE_CHARS));
    assert.equal(line!.cut, chunks * chunk.length - MAX_LINE_CHARS);
    assert.deepEqual(rest, [{ text: 'the end', stream: 'stdout', cut: 0 }]);
    assert.equal(buffer.text(cutNote), `${'x'.repeat(MAX_LINE_CHARS)} [${chunks * chunk.length - MAX_LINE_CHARS} more]\nthe end`);
  });

  it('200,000 lines keep the last 2000 and count 198,000 dropped, and every line reaches the line callback', () => {
    let seen = 0;
    let lastSeen = '';
    const buffer = new OutputBuffer({ onLine: (line) => ((seen += 1), (lastSeen = line.text)) });
    let batch = '';
    for (let i = 1; i <= 200_000; i++) {
      batch += `line ${i}\n`;
      if (batch.length > 60_000 || i === 200_000) {
        buffer.append(batch.slice(0, 1000), 'stdout'); // chunks split lines anywhere
        buffer.append(batch.slice(1000), 'stdout');
        batch = '';
      }
    }
    assert.equal(seen, 200_000);
    assert.equal(lastSeen, 'line 200000');
    const visible = buffer.visible();
    assert.equal(visible.length, MAX_LINES);
    assert.equal(visible[0]!.text, 'line 198001');
    assert.equal(visible.at(-1)!.text, 'line 200000');
    assert.equal(buffer.droppedLines, 198_000);
    assert.equal(buffer.total, 200_000);
  });

  it('since() gives the kept lines a view has not drawn yet, never more than MAX_LINES', () => {
    const buffer = new OutputBuffer({ maxLines: 3 });
    buffer.append('a\nb\n', 'stdout');
    assert.deepEqual(texts(buffer.since(0)), ['a', 'b']);
    buffer.append('c\nd\n', 'stdout');
    assert.deepEqual(texts(buffer.since(2)), ['c', 'd']);
    buffer.append('e\nf\ng\nh\n', 'stdout');
    assert.deepEqual(texts(buffer.since(4)), ['f', 'g', 'h'], 'e came and went between two looks');
    assert.deepEqual(texts(buffer.since(8)), []);
  });

  it('keeps stdout and stderr lines apart while they interleave', () => {
    const buffer = new OutputBuffer();
    buffer.append('out-', 'stdout');
    buffer.append('err\n', 'stderr');
    buffer.append('line\n', 'stdout');
    assert.deepEqual(buffer.visible(), [
      { text: 'err', stream: 'stderr', cut: 0 },
      { text: 'out-line', stream: 'stdout', cut: 0 },
    ]);
  });

  it('shows the unfinished line of the program before the sandbox says why it stopped', () => {
    const buffer = new OutputBuffer({ maxLineChars: 10 });
    buffer.append('x'.repeat(25), 'stdout');
    buffer.append('Stopped.\n', 'system');
    assert.deepEqual(buffer.visible(), [
      { text: 'x'.repeat(10), stream: 'stdout', cut: 15 },
      { text: 'Stopped.', stream: 'system', cut: 0 },
    ]);
  });

  it('flush ends the unfinished lines, and clear starts afresh', () => {
    const lines: OutputLine[] = [];
    const buffer = new OutputBuffer({ onLine: (line) => lines.push(line) });
    buffer.append('no newline at the end', 'stdout');
    assert.deepEqual(buffer.visible(), []);
    assert.deepEqual(texts(buffer.flush()), ['no newline at the end']);
    assert.deepEqual(texts(lines), ['no newline at the end']);
    buffer.append('half', 'stdout');
    buffer.clear();
    buffer.append(' a line\n', 'stdout');
    assert.deepEqual(texts(buffer.visible()), [' a line'], 'the half line before the clear is gone');
    assert.equal(buffer.total, 1);
  });

  it('copies what the reader sees: no escape sequences, no colours, the cut note after a cut line', () => {
    const buffer = new OutputBuffer({ maxLineChars: 23 });
    buffer.append('\x1b[2Khello \x1b[1mbold\x1b[0m\n\x1b[31mred\x1b[0m and a long tail\n', 'stdout');
    assert.equal(buffer.text(cutNote), 'hello bold\nred and a long [5 more]');
  });
});

const texts = (lines: readonly OutputLine[]) => lines.map((line) => line.text);
