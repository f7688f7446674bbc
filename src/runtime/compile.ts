/**
 * The reader's TypeScript as plain JavaScript, or the syntax error that stops it from running.
 * Every runtime gets the same stripped files, so an error is reported before anything runs.
 */
import { stripTypes } from './strip-types.ts';

export interface SyntaxProblem {
  message: string;
  /** 1-based, as editors and compilers show them. */
  line: number;
  column: number;
  /** Offset in the source, for marking it in the editor. */
  offset: number;
}

export type Compiled = { ok: true; code: string } | { ok: false; problem: SyntaxProblem };

export function compile(source: string, fileName: string): Compiled {
  try {
    return { ok: true, code: stripTypes(source, fileName) };
  } catch (error) {
    const offset = (error as { pos?: unknown }).pos;
    if (typeof offset !== 'number') throw error;
    const before = source.slice(0, offset);
    const line = before.split('\n').length;
    const column = offset - before.lastIndexOf('\n');
    const message = (error as Error).message.replace(/^Error transforming [^:]*: /, '').replace(/ \(\d+:\d+\)$/, '');
    return { ok: false, problem: { message, line, column, offset } };
  }
}
