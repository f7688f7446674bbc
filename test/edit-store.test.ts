/**
 * The edit store (src/sandbox/edit-store.ts) as two tabs of one browser use it: one localStorage,
 * and a `storage` event in every tab but the one that wrote, as browsers deliver it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createEditStore, editKey, hasEdit, type EditStore } from '../src/sandbox/edit-store.ts';

/** localStorage with a size limit, that tells the other tabs of each change as a browser does. */
class SharedStorage implements Storage {
  private readonly items = new Map<string, string>();
  readonly tabs: EventTarget[] = [];
  /** The tab whose code is calling: it gets no event for its own writes. */
  writer: EventTarget | undefined;
  private readonly quotaChars: number;
  constructor(quotaChars = Infinity) {
    this.quotaChars = quotaChars;
  }
  get length(): number {
    return this.items.size;
  }
  key(index: number): string | null {
    return [...this.items.keys()][index] ?? null;
  }
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    const used = [...this.items].reduce((sum, [k, v]) => sum + (k === key ? 0 : k.length + v.length), 0);
    if (used + key.length + value.length > this.quotaChars) {
      throw Object.assign(new Error('The quota has been exceeded.'), { name: 'QuotaExceededError', code: 22 });
    }
    const old = this.getItem(key);
    this.items.set(key, value);
    this.tell(key, old, value);
  }
  removeItem(key: string): void {
    const old = this.getItem(key);
    if (old === null) return;
    this.items.delete(key);
    this.tell(key, old, null);
  }
  clear(): void {
    this.items.clear();
    this.tell(null, null, null);
  }
  private tell(key: string | null, oldValue: string | null, newValue: string | null): void {
    for (const tab of this.tabs) {
      if (tab === this.writer) continue;
      tab.dispatchEvent(Object.assign(new Event('storage'), { key, oldValue, newValue, storageArea: this }));
    }
  }
}

const ORIGINAL = 'console.log("original");\n';

/** A tab: its own window (event target) on the shared storage, and its store for one example. */
function tab(storage: SharedStorage, id = '07-execution-order'): { store: EditStore; as<T>(action: () => T): T; heard: (string | null)[] } {
  const window = new EventTarget();
  storage.tabs.push(window);
  const store = createEditStore(id, ORIGINAL, { storage, events: window });
  const heard: (string | null)[] = [];
  store.onOtherTab((text) => void heard.push(text));
  return {
    store,
    heard,
    as(action) {
      storage.writer = window;
      try {
        return action();
      } finally {
        storage.writer = undefined;
      }
    },
  };
}

describe('edit store', () => {
  it('keeps an edit, and forgets it when the text is the original again', () => {
    const storage = new SharedStorage();
    const a = tab(storage);
    assert.equal(a.store.load(), null);
    assert.deepEqual(a.as(() => a.store.save('console.log("mine");\n')), { ok: true });
    assert.equal(a.store.load(), 'console.log("mine");\n');
    assert.equal(hasEdit('07-execution-order', storage), true);
    a.as(() => a.store.save(ORIGINAL));
    assert.equal(a.store.load(), null, 'an edit undone is no edit');
    assert.equal(hasEdit('07-execution-order', storage), false);
  });

  it('two tabs: each hears the other’s saves and resets, never its own, and only for its example', () => {
    const storage = new SharedStorage();
    const a = tab(storage);
    const b = tab(storage);
    const other = tab(storage, '02-scraper-async');
    a.as(() => a.store.save('edit in A\n'));
    assert.deepEqual(b.heard, ['edit in A\n']);
    assert.deepEqual(a.heard, [], 'a tab is not told of its own save');
    b.as(() => b.store.forget());
    assert.deepEqual(a.heard, [null], 'a reset in B reaches A');
    assert.deepEqual(other.heard, [], 'another example’s store hears nothing');
    storage.clear();
    assert.deepEqual(a.heard, [null, null], 'clearing the site’s storage counts as a reset');
  });

  it('a full storage: the save says so (quota) and the old edit stays as it was', () => {
    const storage = new SharedStorage(200);
    const a = tab(storage);
    assert.deepEqual(a.as(() => a.store.save('small edit\n')), { ok: true });
    const outcome = a.as(() => a.store.save('x'.repeat(1000)));
    assert.deepEqual(outcome, { ok: false, why: 'quota' });
    assert.equal(a.store.load(), 'small edit\n');
  });

  it('storage turned off: every save says so (unavailable), loading finds nothing, nothing throws', () => {
    const store = createEditStore('07-execution-order', ORIGINAL, { storage: null, events: new EventTarget() });
    assert.equal(store.load(), null);
    assert.deepEqual(store.save('edit\n'), { ok: false, why: 'unavailable' });
    assert.deepEqual(store.forget(), { ok: false, why: 'unavailable' });
    assert.equal(hasEdit('07-execution-order', null), false);
  });

  it('a storage that throws on every call (a browser policy) counts as turned off', () => {
    const hostile = new Proxy({} as Storage, {
      get() {
        return () => {
          throw Object.assign(new Error('The operation is insecure.'), { name: 'SecurityError' });
        };
      },
    });
    const store = createEditStore('07-execution-order', ORIGINAL, { storage: hostile, events: new EventTarget() });
    assert.equal(store.load(), null);
    assert.deepEqual(store.save('edit\n'), { ok: false, why: 'unavailable' });
    assert.equal(hasEdit('07-execution-order', hostile), false);
  });

  it('keeps each example under its own key', () => {
    assert.equal(editKey('07-execution-order'), 'asyncio-book:edits:07-execution-order');
  });
});
