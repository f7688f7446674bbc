/**
 * The shapes of an example's meta.json, recorded.json and recorded-python.json, defined once and
 * validated wherever they are read: by the catalog (the build), the recorder and the local
 * runtime's server. A wrong file fails with its path and the field named (see describeIssues), not deep inside a page.
 *
 * `astro/zod` is the zod that Astro ships, so the schema adds no dependency of its own.
 */
import { z } from 'astro/zod';

/** The chapters an example can belong to: the slugs of content/docs/<slug>.mdx with an example. */
export const CHAPTERS = ['what-is-asyncio', 'concurrency-and-parallelism', 'history', 'how-asyncio-works', 'libraries'] as const;
export type Chapter = (typeof CHAPTERS)[number];

const words = z.object({ ru: z.string().min(1), en: z.string().min(1) }).strict();

/** The start of a printed message (the text after the log line's timestamp). */
const prefix = z.string().min(1);

/**
 * What a "fix the program" exercise checks in the output of a run (src/exercises/checks.ts reads
 * it). Each kind is a property of asyncio a reader can see in the log, never a text to copy:
 * - `ticks`: lines starting with `prefix` come at least `minTicks` times, never more than
 *   `maxGapMs` apart (the event loop was never blocked for longer);
 * - `inFlight`: `count` jobs logged by `start`/`end` lines all end, and the most running at once
 *   is at least `min` (they overlap) and at most `max` (a bound on concurrency);
 * - `before`: `count` lines starting with `each` are printed before the line starting with `before`
 *   (no task was lost or left behind);
 * - `line`: the line starting with `prefix` ends with exactly `expected` (a computed result).
 */
export const exerciseCheckSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ticks'), prefix, maxGapMs: z.number().int().positive(), minTicks: z.number().int().min(2) }).strict(),
  z
    .object({
      kind: z.literal('inFlight'),
      start: prefix,
      end: prefix,
      count: z.number().int().positive(),
      min: z.number().int().positive().optional(),
      max: z.number().int().positive().optional(),
    })
    .strict(),
  z.object({ kind: z.literal('before'), each: prefix, count: z.number().int().positive(), before: prefix }).strict(),
  z.object({ kind: z.literal('line'), prefix, expected: z.string().min(1) }).strict(),
]);
export type ExerciseCheck = z.infer<typeof exerciseCheckSchema>;

/**
 * An example folder that is an exercise. `predict`: the reader puts the lines main.ts prints in
 * order; the answer is its recording. `fix`: main.ts has a flaw, solution.ts and solution.py are a
 * fix, and `check` tells a fixed run from a flawed one.
 */
export const exerciseSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('predict') }).strict(),
  z.object({ kind: z.literal('fix'), check: exerciseCheckSchema }).strict(),
]);
export type ExerciseSpec = z.infer<typeof exerciseSchema>;

export const exampleMetaSchema = z
  .object({
    id: z.string().regex(/^\d\d-[a-z0-9-]+$/, 'an id like "07-execution-order"'),
    title: words,
    chapter: z.enum(CHAPTERS),
    teaches: words,
    /** The program downloads from the book's image server (its URL comes in IMAGE_SERVER). */
    imageServer: z.boolean(),
    /** `server`: the program listens on PORT and the reader drives it with client.ts. */
    kind: z.enum(['program', 'server']),
    /** How long a run may take before the runtime stops it. */
    timeoutMs: z.number().int().positive().max(60 * 60_000),
    /** An example on the same page whose run this one's timeline offers to show beside its own. */
    compareWith: z.string().optional(),
    /**
     * What a run may do beyond reading and writing its own folder, for the local runtime, which
     * runs every program under Node's permission model: `worker`, start worker threads
     * (node:worker_threads). Left out: nothing more. There is deliberately no way to allow child
     * processes: no example of the book needs them.
     */
    permissions: z.array(z.enum(['worker'])).optional(),
    /**
     * The lesson is the order in which the event loop runs callbacks: beside a live run in a runtime
     * whose loop has been seen to order them otherwise (a WebContainer), the page says so.
     */
    eventLoopOrder: z.boolean().optional(),
    /** The program is an exercise's (see exerciseSchema): it is shown by <Exercise>, not <Example>. */
    exercise: exerciseSchema.optional(),
  })
  .strict();
export type ExampleMeta = z.infer<typeof exampleMetaSchema>;

export const recordedLineSchema = z
  .object({
    /** Milliseconds since the start of the run. */
    t: z.number().int().nonnegative(),
    stream: z.enum(['stdout', 'stderr']),
    text: z.string(),
  })
  .strict();
export type RecordedLine = z.infer<typeof recordedLineSchema>;

/** What every recording holds, whichever language ran: the code it belongs to and the run. */
const recordedRun = {
  /** SHA-256 (hex) of the code the run was made from: a mismatch means the recording is stale. */
  codeHash: z.string().regex(/^[0-9a-f]{64}$/),
  recordedAt: z.iso.datetime(),
  exitCode: z.number().int(),
  durationMs: z.number().int().nonnegative(),
  lines: z.array(recordedLineSchema),
};

/** recorded.json: the TypeScript port's run with this Node (codeHash: main.ts, then client.ts). */
export const recordingSchema = z
  .object({ ...recordedRun, node: z.string().regex(/^v\d+\.\d+\.\d+/) })
  .strict();
export type Recording = z.infer<typeof recordingSchema>;

/**
 * recorded-python.json: the Python version's run with CPython (codeHash: main.py; the server
 * example's clients are client.ts on Node, as in recorded.json). `python` is the interpreter's
 * version, "3.11.2".
 */
export const pythonRecordingSchema = z
  .object({ ...recordedRun, python: z.string().regex(/^\d+\.\d+\.\d+/) })
  .strict();
export type PythonRecording = z.infer<typeof pythonRecordingSchema>;

/** Parses `value` as `schema`, or throws an error that names the file and each wrong field. */
export function parseWith<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new Error(`${file} is not valid:\n${describeIssues(result.error)}`);
}

/** "  - title.en: Invalid input: expected string, received undefined", one line per issue. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `  - ${issue.path.length ? issue.path.join('.') : '(the whole file)'}: ${issue.message}`).join('\n');
}
