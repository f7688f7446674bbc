/** A reader's progress on an exercise survives reloads, follows other tabs and is never trusted blindly. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createProgressStore, parseProgress, progressKey, type Progress } from '../src/exercises/store.ts';

class MemoryStorage implements Storage {
  private items = new Map<string, string>();
  full = false;
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(index: number) {
    return [...this.items.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    if (this.full) throw new DOMException('full', 'QuotaExceededError');
    this.items.set(key, value);
  }
}

const solved: Progress = { order: [0, 1, 2], attempts: 2, solved: true, revealed: false };

describe('exercise progress', () => {
  it('is kept and read back (a reload)', () => {
    const storage = new MemoryStorage();
    const store = createProgressStore('21-gather-order', 3, { storage, events: new EventTarget() });
    assert.equal(store.load(), null);
    assert.equal(store.save(solved), true);
    assert.deepEqual(createProgressStore('21-gather-order', 3, { storage, events: new EventTarget() }).load(), solved);
    store.forget();
    assert.equal(store.load(), null);
  });

  it('ignores what is not progress: bad JSON, a wrong order, wrong fields', () => {
    assert.equal(parseProgress('{', 3), null);
    assert.equal(parseProgress('null', 3), null);
    assert.equal(parseProgress(JSON.stringify({ ...solved, order: [0, 0, 1] }), 3), null);
    assert.equal(parseProgress(JSON.stringify({ ...solved, order: [0, 1] }), 3), null, 'the program now prints another number of lines');
    assert.equal(parseProgress(JSON.stringify({ ...solved, attempts: -1 }), 3), null);
    const verdict = { passed: false, key: 'ticks.late', values: { gap: '<b>' }, edited: true, recorded: false, runtime: 'Node' };
    assert.deepEqual(parseProgress(JSON.stringify({ attempts: 1, solved: false, revealed: false, verdict }), 0)?.verdict, verdict);
    assert.equal(parseProgress(JSON.stringify({ attempts: 1, solved: false, revealed: false, verdict: { ...verdict, values: { gap: {} } } }), 0)?.verdict, undefined);
  });

  it('says when the browser refuses, and works without storage', () => {
    const storage = new MemoryStorage();
    storage.full = true;
    assert.equal(createProgressStore('a', 3, { storage, events: new EventTarget() }).save(solved), false);
    const none = createProgressStore('a', 3, { storage: null, events: new EventTarget() });
    assert.equal(none.save(solved), false);
    assert.equal(none.load(), null);
  });

  it('follows another tab through storage events for its own key only', () => {
    const events = new EventTarget();
    const storage = new MemoryStorage();
    const store = createProgressStore('21-gather-order', 3, { storage, events });
    const seen: (Progress | null)[] = [];
    const stop = store.onOtherTab((progress) => seen.push(progress));
    const fire = (key: string, newValue: string | null) => events.dispatchEvent(Object.assign(new Event('storage'), { key, newValue, storageArea: storage }));
    fire(progressKey('21-gather-order'), JSON.stringify(solved));
    fire(progressKey('23-yield-points'), JSON.stringify(solved));
    fire(progressKey('21-gather-order'), null);
    stop();
    fire(progressKey('21-gather-order'), JSON.stringify(solved));
    assert.deepEqual(seen, [solved, null]);
  });
});
