/**
 * Every exercise is sound in every language (test/lib/languages.ts): a "predict" program prints
 * exactly the lines of its recording, in the same order, so the answer the page checks is what the
 * reader's own run will show; a "fix" program fails its check as given and passes it once fixed
 * (solution.ts / solution.py), so the check tells the flaw from the fix and does not pass anything.
 * And every chapter has at least two exercises, one of each kind, placed on its page in both
 * languages.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startImageServer, type ImageServer } from '../content/examples/_support/image-server.ts';
import { runExample } from '../scripts/lib/run.ts';
import type { Launcher } from '../scripts/lib/launchers.ts';
import { exampleDir, exampleIds, readMeta, readRecording, ROOT } from '../src/examples/files.ts';
import { CHAPTERS } from '../src/examples/schema.ts';
import { runCheck } from '../src/exercises/checks.ts';
import { languages } from './lib/languages.ts';
import { messages, shown } from './lib/output.ts';

const exercises = exampleIds()
  .map((id) => ({ id, meta: readMeta(id) }))
  .filter(({ meta }) => meta.exercise);

describe('exercises in the book', () => {
  it('every chapter has at least two, a "predict" and a "fix", on its page in both languages', () => {
    for (const chapter of CHAPTERS) {
      const own = exercises.filter(({ meta }) => meta.chapter === chapter);
      assert.ok(own.length >= 2, `${chapter} has ${own.length} exercises`);
      assert.deepEqual([...new Set(own.map(({ meta }) => meta.exercise!.kind))].sort(), ['fix', 'predict'], chapter);
      for (const page of [`content/docs/${chapter}.mdx`, `content/docs/en/${chapter}.mdx`]) {
        const text = readFileSync(path.join(ROOT, page), 'utf8');
        for (const { id } of own) assert.match(text, new RegExp(`<Exercise\\s+program="${id}"`), `${page} shows ${id}`);
      }
    }
  });

  it('a "fix" has a solution in both languages, a "predict" prints something to order', () => {
    for (const { id, meta } of exercises) {
      const dir = exampleDir(id);
      if (meta.exercise!.kind === 'fix') {
        for (const file of ['solution.ts', 'solution.py']) assert.ok(existsSync(path.join(dir, file)), `${id}/${file}`);
      } else {
        const lines = readRecording(id)!.lines.filter((line) => line.stream === 'stdout');
        assert.ok(lines.length >= 3 && lines.length <= 12, `${id} prints ${lines.length} lines: between 3 and 12 can be ordered`);
        assert.equal(new Set(lines.map((line) => line.text.replace(/^\S+ \S+ /, ''))).size, lines.length, `${id}: every line differs`);
      }
    }
  });
});

for (const language of languages) {
  describe(`exercises (${language.name})`, { skip: language.skip }, () => {
    let images: ImageServer;
    let runtime: Launcher;
    before(async () => {
      images = await startImageServer({ port: 0 });
      runtime = language.runtime();
    });
    after(() => images?.close());

    for (const { id, meta } of exercises) {
      const spec = meta.exercise!;
      if (spec.kind === 'predict') {
        it(`${id}: prints the recorded lines in the recorded order`, async () => {
          const result = await runExample(id, runtime, { imageServerUrl: images.url });
          assert.equal(result.exitCode, 0, shown(result));
          const recorded = readRecording(id)!.lines.filter((line) => line.stream === 'stdout');
          const expected = messages({ ...result, lines: recorded }).map((line) => line.message);
          assert.deepEqual(messages(result).map((line) => line.message), expected, shown(result));
        });
      } else {
        it(`${id}: the program as given fails its check, the solution passes it`, async () => {
          const given = await runExample(id, runtime, { imageServerUrl: images.url });
          const flawed = runCheck(spec.check, given.lines, given.exitCode);
          assert.equal(flawed.passed, false, `as given it passed (${flawed.key}); ${shown(given)}`);
          assert.notEqual(flawed.key, 'failed', `as given it shows its flaw, it does not crash; ${shown(given)}`);
          const fixed = await runExample(id, runtime, { imageServerUrl: images.url, file: 'solution' });
          const verdict = runCheck(spec.check, fixed.lines, fixed.exitCode);
          assert.equal(verdict.passed, true, `the solution fails: ${verdict.key} ${JSON.stringify(verdict.values)}; ${shown(fixed)}`);
        });
      }
    }
  });
}
