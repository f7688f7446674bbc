/** Every example's recorded output (recorded.json) belongs to its current code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeHash, exampleIds, readRecording } from '../src/examples/files.ts';
import { ASCTIME } from './lib/output.ts';

describe('recorded outputs', () => {
  for (const id of exampleIds()) {
    it(`${id}: recorded.json matches the current code`, () => {
      const recording = readRecording(id);
      assert.ok(recording, `${id} has no recorded.json: run \`npm run record\``);
      assert.equal(
        recording.codeHash,
        codeHash(id),
        `${id}/recorded.json was recorded for other code (main.ts or client.ts changed since): run \`npm run record\``,
      );
      assert.equal(recording.exitCode, 0);
      assert.match(recording.node, /^v\d+\./);
      assert.ok(!Number.isNaN(Date.parse(recording.recordedAt)));
      assert.ok(Number.isInteger(recording.durationMs) && recording.durationMs > 0);
      assert.ok(recording.lines.length > 0);
      let previous = 0;
      for (const line of recording.lines) {
        assert.ok(Number.isInteger(line.t) && line.t >= previous, 'times are integers, in order');
        previous = line.t;
        assert.ok(line.stream === 'stdout' || line.stream === 'stderr');
        assert.match(line.text.replace(/^\[client\] (\$ .*)?/, ''), new RegExp(`${ASCTIME.source}|^$`));
      }
    });
  }
});
