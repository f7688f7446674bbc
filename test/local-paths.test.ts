/** src/runtime/local/server/paths.ts: a Python traceback names main.py, however the output is cut into chunks. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { folderRewriter } from '../src/runtime/local/server/paths.ts';

const FOLDER = '/tmp/asyncio-book-run-4242-Xy7';
const TRACEBACK = `Traceback (most recent call last):\n  File "${FOLDER}/main.py", line 6, in <module>\n    asyncio.run(main())\n  File "/usr/lib/python3.11/asyncio/runners.py", line 190, in run\nValueError: no\n`;
const EXPECTED = TRACEBACK.replace(`${FOLDER}/`, '');

describe('folderRewriter', () => {
  it('cuts the run’s folder out of every chunking of a traceback, and leaves other paths alone', () => {
    for (let size = 1; size <= TRACEBACK.length; size += 1) {
      const rewriter = folderRewriter(FOLDER);
      let out = '';
      for (let at = 0; at < TRACEBACK.length; at += size) out += rewriter.write(TRACEBACK.slice(at, at + size));
      out += rewriter.end();
      assert.equal(out, EXPECTED, `chunks of ${size}`);
    }
  });

  it('holds back only what may begin the folder’s path, and gives it back at the end', () => {
    const rewriter = folderRewriter(FOLDER);
    assert.equal(rewriter.write('done /tm'), 'done ');
    assert.equal(rewriter.write('p/other\n'), '/tmp/other\n');
    assert.equal(rewriter.write('ends in /tmp/asyncio'), 'ends in ');
    assert.equal(rewriter.end(), '/tmp/asyncio');
  });
});
