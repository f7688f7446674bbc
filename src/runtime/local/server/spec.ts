/**
 * Checks a RunSpec that arrived as JSON: anything the page could get wrong (or anything a hostile
 * page could try) is refused here with a message that says what is wrong, before a file is written.
 */
import type { RunSpec } from '../../types.ts';
import { exampleIds } from '../../../examples/files.ts';

/** The variables the runtime sets itself: a spec may not replace them. */
export const RESERVED_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'NODE_NO_WARNINGS', 'NODE_OPTIONS', 'IMAGE_SERVER', 'PORT', 'ASYNCIO_BOOK_RUN'];

/** A plain file name inside the run's folder: no folders, no dot files, so no `..` and no `/`. */
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,99}$/;
const MAX_FILES = 20;
const MAX_ARGS = 100;

export type Checked = { ok: true; spec: RunSpec } | { ok: false; message: string };

export function checkSpec(value: unknown): Checked {
  const fail = (message: string): Checked => ({ ok: false, message });
  if (!isRecord(value)) return fail('The body must be a JSON object (a RunSpec).');
  const { exampleId, language, files, entry, args, env, imageServer, server } = value;

  if (typeof exampleId !== 'string' || !/^[a-z0-9-]+$/.test(exampleId)) {
    return fail('exampleId must be an example id such as "07-execution-order" (lowercase letters, digits and dashes).');
  }
  if (!exampleIds().includes(exampleId)) return fail(`There is no example "${exampleId}".`);

  if (language !== undefined && language !== 'typescript' && language !== 'python') {
    return fail('language must be "typescript" or "python" when given.');
  }

  if (!isRecord(files)) return fail('files must be an object of file name → source (JavaScript, or Python for a Python run).');
  const names = Object.keys(files);
  if (names.length === 0 || names.length > MAX_FILES) return fail(`files must name 1 to ${MAX_FILES} files.`);
  for (const name of names) {
    if (!FILE_NAME.test(name) || name === '__proto__') {
      return fail(`"${name}" is not a plain file name: use names like main.js, without folders, "..", or a leading dot.`);
    }
    if (name === 'package.json') return fail('package.json is written by the runtime itself; leave it out of files.');
    if (typeof files[name] !== 'string') return fail(`The contents of ${name} must be a string.`);
  }
  if (typeof entry !== 'string' || !names.includes(entry)) {
    return fail(`entry must be one of the files (${names.join(', ')}).`);
  }

  if (args !== undefined && (!Array.isArray(args) || args.length > MAX_ARGS || !args.every((arg) => typeof arg === 'string'))) {
    return fail(`args must be a list of at most ${MAX_ARGS} strings.`);
  }

  if (env !== undefined) {
    if (!isRecord(env)) return fail('env must be an object of variable name → string.');
    for (const [name, val] of Object.entries(env)) {
      if (!ENV_NAME.test(name) || name === '__proto__') return fail(`"${name}" is not a valid environment variable name.`);
      if (RESERVED_ENV.includes(name.toUpperCase())) return fail(`env may not set ${name}: the runtime sets it.`);
      if (typeof val !== 'string') return fail(`env.${name} must be a string.`);
    }
  }

  if (typeof imageServer !== 'boolean') return fail('imageServer must be true or false.');
  if (server !== undefined && typeof server !== 'boolean') return fail('server must be true or false when given.');

  return {
    ok: true,
    spec: {
      exampleId,
      ...(language === 'python' ? { language } : {}),
      files: files as Record<string, string>, // every value checked above
      entry,
      args: args as string[] | undefined,
      env: env as Record<string, string> | undefined,
      imageServer,
      server,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
