/**
 * What the page sends a runtime for one run of an example, built from what the page has: the
 * reader's TypeScript (compiled here, so that a syntax error stops the run before any runtime is
 * involved) or Python (checked here, ./python-syntax.ts), the client of a server example, and the example's data from meta.json. The controller
 * builds every run with it, and the tests that run the examples through a runtime build theirs with
 * it too, so they run exactly what a reader's page would.
 */
import { compile } from './compile.ts';
import { checkPython } from './python-syntax.ts';
import type { Prepared } from './session.ts';
import { stripTypes } from './strip-types.ts';
import type { ProgramLanguage, RunSpec } from './types.ts';

export interface ExampleOnPage {
  id: string;
  /** Left out: `typescript`. */
  language?: ProgramLanguage;
  /** The reader's main.ts (or main.py): the example's own, or the reader's edit. */
  source: string;
  /** client.ts of a server example, as the book has it (readers do not edit it). */
  client: string | null;
  imageServer: boolean;
  kind: 'program' | 'server';
  /** meta.json `timeoutMs`. */
  timeoutMs?: number;
}

export function runSpecFor(example: ExampleOnPage): Prepared {
  const python = example.language === 'python';
  let files: Record<string, string>;
  if (python) {
    const problem = checkPython(example.source);
    if (problem) return { ok: false, problem };
    files = { 'main.py': example.source };
  }
  else {
    const compiled = compile(example.source, 'main.ts');
    if (!compiled.ok) return compiled;
    files = { 'main.js': compiled.code };
  }
  if (example.client) files['client.js'] = stripTypes(example.client, 'client.ts');
  const spec: RunSpec = {
    exampleId: example.id,
    ...(python ? { language: 'python' as const } : {}),
    files,
    entry: python ? 'main.py' : 'main.js',
    imageServer: example.imageServer,
    server: example.kind === 'server',
    ...(example.timeoutMs && example.timeoutMs > 0 ? { timeoutMs: example.timeoutMs } : {}),
  };
  return { ok: true, spec };
}
