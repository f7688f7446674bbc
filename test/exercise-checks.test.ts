/** The checks of "fix the program" exercises, on output shaped like the examples' log lines. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mostAtOnce, printedMessages, runCheck, type OutputLine } from '../src/exercises/checks.ts';
import { fillSlots } from '../src/i18n/fill.ts';

/** A log line at `ms` milliseconds after 12:00:00. */
const at = (ms: number, message: string): OutputLine => {
  const s = Math.floor(ms / 1000);
  const stamp = `2026-12-02 12:${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')},${String(ms % 1000).padStart(3, '0')}`;
  return { text: `${stamp} ${message}`, stream: 'stdout' };
};

describe('exercise checks', () => {
  const ticks = { kind: 'ticks', prefix: 'Tick', maxGapMs: 150, minTicks: 3 } as const;

  it('ticks: a gap over the limit is named with its size, before a short run', () => {
    const late = runCheck(ticks, [at(0, 'Tick 1'), at(100, 'Tick 2'), at(900, 'Tick 3')]);
    assert.deepEqual(late, { passed: false, key: 'ticks.late', values: { gap: 800, limit: 150 } });
    assert.equal(runCheck(ticks, [at(0, 'Tick 1'), at(900, 'Tick 2')]).key, 'ticks.late');
    assert.deepEqual(runCheck(ticks, [at(0, 'Tick 1'), at(100, 'Tick 2')]).values, { count: 2, need: 3 });
    const ok = runCheck(ticks, [at(0, 'Tick 1'), at(100, 'Tick 2'), at(210, 'Tick 3'), at(220, 'Other')]);
    assert.equal(ok.passed, true);
    assert.equal(ok.values.gap, 110);
  });

  it('ticks: work moved after the last tick blocks the loop too, and is caught', () => {
    const after = [at(0, 'Tick 1'), at(100, 'Tick 2'), at(200, 'Tick 3'), at(210, 'Heartbeat stopped'), at(1400, 'There are 9592 primes')];
    assert.deepEqual(runCheck(ticks, after), { passed: false, key: 'ticks.late', values: { gap: 1200, limit: 150 } });
  });

  it('a run that ended with an error fails first, whatever it printed', () => {
    assert.deepEqual(runCheck(ticks, [at(0, 'Tick 1'), at(100, 'Tick 2'), at(200, 'Tick 3')], 1), { passed: false, key: 'failed', values: { code: 1 } });
  });

  it('inFlight: counts the most running at once from start and end lines', () => {
    const serial = ['Start 1', 'End 1', 'Start 2', 'End 2', 'Start 3', 'End 3'].map((text, i) => at(i * 10, text));
    const parallel = ['Start 1', 'Start 2', 'Start 3', 'End 2', 'End 1', 'End 3'].map((text, i) => at(i * 10, text));
    const overlap = { kind: 'inFlight', start: 'Start', end: 'End', count: 3, min: 3 } as const;
    assert.deepEqual(runCheck(overlap, serial), { passed: false, key: 'inFlight.serial', values: { most: 1, min: 3 } });
    assert.equal(runCheck(overlap, parallel).passed, true);
    assert.deepEqual(runCheck(overlap, parallel.slice(0, 4)).values, { ended: 1, count: 3 });
    const bound = { kind: 'inFlight', start: 'Start', end: 'End', count: 3, max: 2 } as const;
    assert.deepEqual(runCheck(bound, parallel), { passed: false, key: 'inFlight.tooMany', values: { most: 3, max: 2 } });
    assert.equal(runCheck(bound, serial).passed, true);
    assert.deepEqual(mostAtOnce([{ text: 'End' }, { text: 'Start' }], 'Start', 'End'), { most: 1, ended: 1 });
  });

  it('before: every line must come, and come before the closing line', () => {
    const check = { kind: 'before', each: 'Saved ', count: 2, before: 'Main done' } as const;
    assert.equal(runCheck(check, [at(0, 'Saved a'), at(1, 'Main done')]).key, 'before.missing');
    assert.equal(runCheck(check, [at(0, 'Saved a'), at(1, 'Main done'), at(2, 'Saved b')]).key, 'before.late');
    assert.equal(runCheck(check, [at(0, 'Saved a'), at(1, 'Saved b')]).key, 'before.late');
    assert.equal(runCheck(check, [at(0, 'Saved a'), at(1, 'Saved b'), at(2, 'Main done')]).passed, true);
  });

  it('line: the value after the prefix must be exactly the expected one; stderr is not read', () => {
    const check = { kind: 'line', prefix: 'Final balance: ', expected: '100' } as const;
    assert.deepEqual(runCheck(check, [at(0, 'Final balance: 40')]).values, { value: '40', expected: '100', prefix: 'Final balance:' });
    assert.equal(runCheck(check, [at(0, 'Final balance: 1000')]).passed, false);
    assert.equal(runCheck(check, [{ text: 'Final balance: 100', stream: 'stderr' }]).key, 'line.missing');
    assert.equal(runCheck(check, [{ text: 'Final balance: 100' }]).passed, true);
  });

  it('reads the messages printed on stdout, without timestamps and blank lines', () => {
    const lines = [at(1500, 'Tick 1'), { text: '  ', stream: 'stdout' as const }, { text: 'oops', stream: 'stderr' as const }, { text: 'plain' }];
    assert.deepEqual(printedMessages(lines).map(({ text }) => text), ['Tick 1', 'plain']);
    assert.equal(printedMessages(lines)[1]!.time, null);
  });

  it('sentences take the figures by name and leave unknown slots visible', () => {
    assert.equal(fillSlots('a tick {gap} ms late (limit {limit}, {x})', { gap: 800, limit: 150 }), 'a tick 800 ms late (limit 150, {x})');
  });
});
