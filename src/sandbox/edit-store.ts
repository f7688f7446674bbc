/**
 * A reader's edits of an example, kept in localStorage so that a reload, a crash or a closed tab
 * loses nothing. One entry per example and language; the original is never stored (an edit undone is no edit).
 *
 * Several tabs may show the same example. Each tab writes only what the reader typed in it (the
 * controller saves on typing, never a text it merely shows), and follows the others through the
 * `storage` event, which the browser fires in every other tab of the origin. A failed save (storage
 * full, or turned off) is reported to the caller, so that the page can say so and keep the text in
 * the editor.
 *
 * Framework-free: the storage and the event target are handed in, so node:test plays two tabs.
 */

const PREFIX = 'asyncio-book:edits:';
export const editKey = (exampleId: string) => `${PREFIX}${exampleId}`;

/**
 * What an edit is kept under: the example's id for its TypeScript (as it always was, so that edits
 * saved before the Python tab could run survive), `<id>:python` for its Python.
 */
export const editId = (exampleId: string, language: 'typescript' | 'python') => (language === 'python' ? `${exampleId}:python` : exampleId);

export type SaveOutcome = { ok: true } | { ok: false; why: 'quota' | 'unavailable' };

export interface EditStore {
  /** The saved edit, or null when there is none (or storage cannot be read). */
  load(): string | null;
  /** Saves the text, or forgets it when it equals the original. */
  save(text: string): SaveOutcome;
  forget(): SaveOutcome;
  /** Another tab saved (text) or forgot (null) this example's edit. Returns the unsubscribe. */
  onOtherTab(listener: (text: string | null) => void): () => void;
}

/** What the store needs from its page: `localStorage` (null where it is turned off) and `window`. */
export interface StoreEnvironment {
  storage: Storage | null;
  events: EventTarget;
}

/** The page's localStorage, or null where reading it throws (storage turned off by a policy or a setting). */
export function pageStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function createEditStore(exampleId: string, original: string, env: StoreEnvironment): EditStore {
  const key = editKey(exampleId);
  const { storage } = env;

  const write = (change: (storage: Storage) => void): SaveOutcome => {
    if (!storage) return { ok: false, why: 'unavailable' };
    try {
      change(storage);
      return { ok: true };
    } catch (error) {
      return { ok: false, why: isQuotaError(error) ? 'quota' : 'unavailable' };
    }
  };

  return {
    load() {
      return readItem(storage, key);
    },
    save(text) {
      return write((s) => (text === original ? s.removeItem(key) : s.setItem(key, text)));
    },
    forget() {
      return write((s) => s.removeItem(key));
    },
    onOtherTab(listener) {
      return watchItem(env, key, listener);
    },
  };
}

/** An entry of the page's storage, or null when there is none or storage cannot be read. */
export function readItem(storage: Storage | null, key: string): string | null {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/**
 * Calls `listener` with an entry's new value (null: removed) whenever another tab changes it, or
 * clears the whole storage. Returns the unsubscribe. Shared by every store kept in localStorage.
 */
export function watchItem(env: StoreEnvironment, key: string, listener: (value: string | null) => void): () => void {
  const onStorage = (event: Event) => {
    const { key: changed, newValue, storageArea } = event as StorageEvent;
    if (storageArea !== env.storage) return;
    if (changed === key) listener(newValue);
    else if (changed === null) listener(null); // the whole storage was cleared
  };
  env.events.addEventListener('storage', onStorage);
  return () => env.events.removeEventListener('storage', onStorage);
}

/** Whether this example has a saved edit (read once, when the page loads: no store needed). */
export function hasEdit(exampleId: string, storage: Storage | null = pageStorage()): boolean {
  return readItem(storage, editKey(exampleId)) !== null;
}

/** Browsers name a full storage differently: QuotaExceededError, Firefox's NS_ERROR_DOM_QUOTA_REACHED, code 22. */
function isQuotaError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22 || code === 1014;
}
