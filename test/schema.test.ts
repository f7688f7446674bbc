/**
 * meta.json and recorded.json are validated wherever they are read (src/examples/schema.ts): a
 * writer's mistake fails with the file and the field named, before anything is built or run.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { EXAMPLES_DIR, exampleIds, readMeta, readRecording } from '../src/examples/files.ts';
import { exampleMetaSchema, parseWith, recordingSchema } from '../src/examples/schema.ts';

const good = JSON.parse(readFileSync(path.join(EXAMPLES_DIR, '01-scraper-sync', 'meta.json'), 'utf8')) as Record<string, unknown>;
const FILE = 'content/examples/01-scraper-sync/meta.json';

function problems(value: unknown): string {
  try {
    parseWith(exampleMetaSchema, value, FILE);
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('the wrong meta.json was accepted');
}

describe('example schema', () => {
  it('accepts every meta.json and recorded.json of the book', () => {
    for (const id of exampleIds()) {
      assert.equal(readMeta(id).id, id);
      assert.ok(readRecording(id), `${id} has a recording`);
    }
  });

  it('names the file and each wrong field', () => {
    const message = problems({ ...good, title: { ru: 'Только по-русски' }, timeoutMs: '20 s' });
    assert.match(message, /^content\/examples\/01-scraper-sync\/meta\.json is not valid:/);
    assert.match(message, /- title\.en: /);
    assert.match(message, /- timeoutMs: .*number/);
  });

  it('refuses an unknown chapter, an unknown kind and a field it does not know (a typo)', () => {
    assert.match(problems({ ...good, chapter: 'what-is-async' }), /- chapter: /);
    assert.match(problems({ ...good, kind: 'daemon' }), /- kind: /);
    assert.match(problems({ ...good, imageSever: true }), /imageSever/);
  });

  it('checks a recording too: a stale or hand-made one with a wrong shape is refused', () => {
    const recording = readRecording('07-execution-order')!;
    assert.throws(() => parseWith(recordingSchema, { ...recording, codeHash: 'abc' }, 'recorded.json'), /- codeHash: /);
    assert.throws(() => parseWith(recordingSchema, { ...recording, lines: [{ t: 1, stream: 'stdin', text: 'x' }] }, 'recorded.json'), /- lines\.0\.stream: /);
  });
});
