/**
 * The examples of the book, read from `content/examples/<id>/` at build time. Chapters refer to an
 * example by id only; everything shown about it (code, Python version, recorded run) comes from here.
 */

// The shapes of meta.json and recorded.json are defined once, beside the recorder that writes them.
import type { ExampleMeta, Recording } from '../../scripts/lib/examples.ts';
export type { ExampleMeta, Recording };

export interface Example {
  meta: ExampleMeta;
  typescript: string;
  python: string;
  recording: Recording | undefined;
}

const metas = import.meta.glob<ExampleMeta>('/content/examples/*/meta.json', { eager: true, import: 'default' });
const sources = import.meta.glob<string>('/content/examples/*/main.{ts,py}', { eager: true, query: '?raw', import: 'default' });
const clients = import.meta.glob<string>('/content/examples/*/client.ts', { eager: true, query: '?raw', import: 'default' });
const recordings = import.meta.glob<Recording>('/content/examples/*/recorded.json', { eager: true, import: 'default' });

const folder = (id: string) => `/content/examples/${id}`;

export function exampleIds(): string[] {
  return Object.values(metas).map((meta) => meta.id).sort();
}

/** The example with this id; an unknown id fails the build, so a typo in a chapter cannot ship. */
export function getExample(id: string): Example {
  const meta = metas[`${folder(id)}/meta.json`];
  const typescript = sources[`${folder(id)}/main.ts`];
  const python = sources[`${folder(id)}/main.py`];
  if (!meta || typescript === undefined || python === undefined) {
    throw new Error(`Example "${id}" needs content/examples/${id}/ with meta.json, main.ts and main.py (known: ${exampleIds().join(', ') || 'none'})`);
  }
  return { meta, typescript, python, recording: recordings[`${folder(id)}/recorded.json`] };
}

/** The client program of a server example (run by the reader's "scrape"/"cancel" buttons), if it has one. */
export function getClientSource(id: string): string | null {
  return clients[`${folder(id)}/client.ts`] ?? null;
}
