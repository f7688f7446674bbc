/**
 * src/runtime/python-syntax.ts: the page's syntax check of a reader's Python, held against the
 * Python that runs the examples (CPython's own `compile()`), so that the check neither stops a
 * program CPython would run nor lets a typo through to a slow start, and names the line CPython names.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exampleDir, exampleIds } from '../src/examples/files.ts';
import { checkPython } from '../src/runtime/python-syntax.ts';
import { findPython } from '../scripts/lib/launchers.ts';

/** What CPython says of a source: null when it compiles, else the line of its SyntaxError. */
function cpythonLine(python: string, source: string): number | null {
  const script = 'import sys\ntry:\n    compile(sys.stdin.read(), "main.py", "exec")\nexcept SyntaxError as e:\n    print(e.lineno)\nelse:\n    print("ok")';
  const result = spawnSync(python, ['-c', script], { input: source, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  const said = result.stdout.trim();
  return said === 'ok' ? null : Number(said);
}

const TYPOS: Record<string, string> = {
  'a missing colon': 'async def main()\n    await asyncio.sleep(1)\n',
  'an unclosed call': 'import asyncio\n\nasync def main():\n    await asyncio.gather(a(), b()\n\nasyncio.run(main())\n',
  'a stray keyword': 'import asyncio\nawait = = 3\n',
  'a broken def': 'def f(:\n    pass\n',
};

const VALID: Record<string, string> = {
  'async with and async for': 'async def f(s):\n    async with s.get("x") as r, s.get("y") as q:\n        async for chunk in r.content:\n            print(chunk)\n',
  'match statements': 'match command:\n    case ["go", direction]:\n        pass\n    case _:\n        pass\n',
  'f-strings with format specs': 'x = 3\nprint(f"{x!r:>10} {x=}")\n',
  'type parameters': 'type Pair[T] = tuple[T, T]\ndef first[T](p: Pair[T]) -> T:\n    return p[0]\n',
  'task groups and except*': 'import asyncio\nasync def main():\n    try:\n        async with asyncio.TaskGroup() as tg:\n            tg.create_task(asyncio.sleep(1))\n    except* ValueError:\n        pass\n',
};

describe('the Python syntax check', () => {
  const found = findPython();
  const python = 'python' in found ? found.python : undefined;

  it('passes every Python file of the book', () => {
    for (const id of exampleIds()) {
      for (const file of ['main.py', 'solution.py']) {
        const where = path.join(exampleDir(id), file);
        if (existsSync(where)) assert.equal(checkPython(readFileSync(where, 'utf8')), null, `${id}/${file}`);
      }
    }
  });

  it('stops a typo at the line CPython names', { skip: python ? false : 'no Python here' }, () => {
    for (const [what, source] of Object.entries(TYPOS)) {
      const problem = checkPython(source);
      assert.ok(problem, `${what}: not caught`);
      assert.equal(problem.line, cpythonLine(python as string, source), what);
      assert.equal(problem.offset, source.split('\n').slice(0, problem.line - 1).join('\n').length + (problem.line > 1 ? 1 : 0) + problem.column - 1, `${what}: offset and column agree`);
    }
  });

  it('lets through what CPython compiles', { skip: python ? false : 'no Python here' }, () => {
    for (const [what, source] of Object.entries(VALID)) {
      // 3.11 has no `type` statements: only what this Python compiles is held against the check.
      if (cpythonLine(python as string, source) !== null) continue;
      assert.equal(checkPython(source), null, what);
    }
  });
});
