/**
 * The examples as files on disk (Node only): their ids, folders, validated meta.json,
 * recorded.json and recorded-python.json, and the hash of their code in each language. Used by
 * the recorder, the example runner, the local runtime's server and the tests; the site itself
 * reads the same files through ./catalog.ts.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  exampleMetaSchema,
  parseWith,
  pythonRecordingSchema,
  recordingSchema,
  type ExampleMeta,
  type PythonRecording,
  type Recording,
} from './schema.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const EXAMPLES_DIR = path.join(ROOT, 'content', 'examples');

/** Every example id (a folder of content/examples with a meta.json), sorted. */
export function exampleIds(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(EXAMPLES_DIR, entry.name, 'meta.json')))
    .map((entry) => entry.name)
    .sort();
}

/** An id given on a command line: exact, or a unique prefix such as "02". */
export function resolveId(given: string): string | undefined {
  const ids = exampleIds();
  if (ids.includes(given)) return given;
  const matches = ids.filter((id) => id.startsWith(given));
  return matches.length === 1 ? matches[0] : undefined;
}

export function exampleDir(id: string): string {
  return path.join(EXAMPLES_DIR, id);
}

function readJson(file: string): unknown {
  const text = readFileSync(file, 'utf8');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path.relative(ROOT, file)} is not valid JSON: ${(error as Error).message}`);
  }
}

/** meta.json, checked against the schema: a wrong field fails here with the file and field named. */
export function readMeta(id: string): ExampleMeta {
  const file = path.join(exampleDir(id), 'meta.json');
  const meta = parseWith(exampleMetaSchema, readJson(file), path.relative(ROOT, file));
  if (meta.id !== id) throw new Error(`${path.relative(ROOT, file)}: id is "${meta.id}" but the folder is "${id}"`);
  return meta;
}

/** The TypeScript files of an example whose text the recording belongs to: main.ts, then client.ts if any. */
export function codeFiles(id: string): string[] {
  return ['main.ts', 'client.ts'].filter((file) => existsSync(path.join(exampleDir(id), file)));
}

/** sha256 (hex) of the exact text of main.ts, followed by client.ts for the server example. */
export function codeHash(id: string): string {
  const hash = createHash('sha256');
  for (const file of codeFiles(id)) hash.update(readFileSync(path.join(exampleDir(id), file)));
  return hash.digest('hex');
}

export function recordingPath(id: string): string {
  return path.join(exampleDir(id), 'recorded.json');
}

export function readRecording(id: string): Recording | undefined {
  const file = recordingPath(id);
  return existsSync(file) ? parseWith(recordingSchema, readJson(file), path.relative(ROOT, file)) : undefined;
}

/** sha256 (hex) of the exact text of main.py: what recorded-python.json belongs to. */
export function pythonCodeHash(id: string): string {
  return createHash('sha256').update(readFileSync(path.join(exampleDir(id), 'main.py'))).digest('hex');
}

export function pythonRecordingPath(id: string): string {
  return path.join(exampleDir(id), 'recorded-python.json');
}

/** recorded-python.json, the Python version's run with CPython, checked against the schema. */
export function readPythonRecording(id: string): PythonRecording | undefined {
  const file = pythonRecordingPath(id);
  return existsSync(file) ? parseWith(pythonRecordingSchema, readJson(file), path.relative(ROOT, file)) : undefined;
}
