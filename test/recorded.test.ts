/** Every example's recorded outputs (recorded.json, recorded-python.json) belong to its current code. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeHash, exampleIds, pythonCodeHash, readPythonRecording, readRecording } from '../src/examples/files.ts';
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

  for (const id of exampleIds()) {
    it(`${id}: recorded-python.json matches the current main.py`, () => {
      const recording = readPythonRecording(id);
      assert.ok(recording, `${id} has no recorded-python.json: run \`npm run record -- --python\` with a CPython that has aiohttp and requests`);
      assert.equal(
        recording.codeHash,
        pythonCodeHash(id),
        `${id}/recorded-python.json was recorded for other code (main.py changed since): run \`npm run record -- --python\``,
      );
      assert.equal(recording.exitCode, 0);
      assert.match(recording.python, /^3\.\d+\.\d+$/);
      assert.ok(recording.lines.length > 0);
      let previous = 0;
      for (const line of recording.lines) {
        assert.ok(Number.isInteger(line.t) && line.t >= previous, 'times are integers, in order');
        previous = line.t;
        assert.match(line.text.replace(/^\[client\] (\$ .*)?/, ''), new RegExp(`${ASCTIME.source}|^$`));
      }
    });
  }
});
