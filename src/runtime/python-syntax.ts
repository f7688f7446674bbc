/**
 * A syntax check of the reader's Python before it is sent to any runtime, so that an error is
 * marked in the editor at once, as TypeScript's is (./compile.ts), instead of after a Python has
 * started (Pyodide's first load takes seconds). It uses Lezer's Python grammar, the one the editor
 * colours with (@lezer/python, through @codemirror/lang-python), which is not CPython's parser:
 * test/python-syntax.test.ts holds that every Python file of the book passes it, and the Python
 * that runs the program still has the last word (its SyntaxError traceback names the line).
 */
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { SyntaxProblem } from './compile.ts';

const CLOSERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export function checkPython(source: string): SyntaxProblem | null {
  let found: number | undefined;
  const tree = parser.parse(source);
  tree.iterate({
    enter: (node) => {
      if (found !== undefined) return false;
      if (node.type.isError) found = node.from;
      return undefined;
    },
  });
  if (found === undefined) return null;
  // A bracket left open makes the parser fail where the file ends; CPython names the bracket, and
  // so does this (in CPython's words).
  for (let node: SyntaxNode | null = tree.resolveInner(found, -1); node; node = node.parent) {
    const opener = source.charAt(node.from);
    const closer = CLOSERS[opener];
    if (closer && node.firstChild?.from === node.from && node.lastChild?.name !== closer) {
      return at(source, node.from, `'${opener}' was never closed`);
    }
  }
  return at(source, found, 'invalid syntax');
}

function at(source: string, offset: number, message: string): SyntaxProblem {
  const before = source.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return { message, line, column, offset };
}
