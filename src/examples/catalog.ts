/**
 * The examples of the book, read from `content/examples/<id>/` at build time. Chapters refer to an
 * example by id only; everything shown about it (code, Python version, recorded run) comes from here.
 * meta.json, recorded.json and recorded-python.json are checked against ./schema.ts, so a wrong
 * field fails the build with the file and the field named.
 */
import {
  exampleMetaSchema,
  parseWith,
  pythonRecordingSchema,
  recordingSchema,
  type ExampleMeta,
  type PythonRecording,
  type Recording,
} from './schema.ts';
export type { ExampleMeta, PythonRecording, Recording };

export interface Example {
  meta: ExampleMeta;
  typescript: string;
  python: string;
  /** The TypeScript port's run, recorded with Node (recorded.json). */
  recording: Recording | undefined;
  /** The Python version's run, recorded with CPython (recorded-python.json). */
  pythonRecording: PythonRecording | undefined;
}

const rawMetas = import.meta.glob<unknown>('/content/examples/*/meta.json', { eager: true, import: 'default' });
const sources = import.meta.glob<string>('/content/examples/*/main.{ts,py}', { eager: true, query: '?raw', import: 'default' });
const solutions = import.meta.glob<string>('/content/examples/*/solution.{ts,py}', { eager: true, query: '?raw', import: 'default' });
const clients = import.meta.glob<string>('/content/examples/*/client.ts', { eager: true, query: '?raw', import: 'default' });
const rawRecordings = import.meta.glob<unknown>('/content/examples/*/recorded.json', { eager: true, import: 'default' });
const rawPythonRecordings = import.meta.glob<unknown>('/content/examples/*/recorded-python.json', { eager: true, import: 'default' });

const folder = (id: string) => `/content/examples/${id}`;
const file = (path: string) => path.slice(1); // "content/examples/…", as the writer knows it

const metas = new Map<string, ExampleMeta>();
for (const [path, raw] of Object.entries(rawMetas)) {
  const meta = parseWith(exampleMetaSchema, raw, file(path));
  if (`${folder(meta.id)}/meta.json` !== path) throw new Error(`${file(path)}: id is "${meta.id}", which is not its folder's name`);
  metas.set(meta.id, meta);
}

export function exampleIds(): string[] {
  return [...metas.keys()].sort();
}

/** The example with this id; an unknown id fails the build, so a typo in a chapter cannot ship. */
export function getExample(id: string): Example {
  const meta = metas.get(id);
  const typescript = sources[`${folder(id)}/main.ts`];
  const python = sources[`${folder(id)}/main.py`];
  if (!meta || typescript === undefined || python === undefined) {
    throw new Error(`Example "${id}" needs content/examples/${id}/ with meta.json, main.ts and main.py (known: ${exampleIds().join(', ') || 'none'})`);
  }
  const recordingPath = `${folder(id)}/recorded.json`;
  const raw = rawRecordings[recordingPath];
  const pythonRecordingPath = `${folder(id)}/recorded-python.json`;
  const rawPython = rawPythonRecordings[pythonRecordingPath];
  return {
    meta,
    typescript,
    python,
    recording: raw === undefined ? undefined : parseWith(recordingSchema, raw, file(recordingPath)),
    pythonRecording: rawPython === undefined ? undefined : parseWith(pythonRecordingSchema, rawPython, file(pythonRecordingPath)),
  };
}

/** The client program of a server example (run by the reader's "scrape"/"cancel" buttons), if it has one. */
export function getClientSource(id: string): string | null {
  return clients[`${folder(id)}/client.ts`] ?? null;
}

/** A "fix" exercise's solution in both languages; a fix exercise without one fails the build. */
export function getSolution(id: string): { typescript: string; python: string } {
  const typescript = solutions[`${folder(id)}/solution.ts`];
  const python = solutions[`${folder(id)}/solution.py`];
  if (typescript === undefined || python === undefined) throw new Error(`Exercise "${id}" needs content/examples/${id}/solution.ts and solution.py`);
  return { typescript, python };
}

/**
 * The examples a course page may embed: the book's examples, not the exercises' programs (an
 * embedded exercise program would come without its question, its check and its explanation).
 */
export function embeddableIds(): string[] {
  return exampleIds().filter((id) => !metas.get(id)?.exercise);
}
