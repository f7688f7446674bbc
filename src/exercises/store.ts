/**
 * A reader's progress on an exercise, kept in localStorage like their edits
 * (src/sandbox/edit-store.ts), so that a reload or another tab shows the same order, verdict and
 * explanation. What is read back is validated: a hand-edited or old entry is ignored, never trusted.
 * Framework-free: the storage and the event target are handed in, so node:test plays two tabs.
 */
import { readItem, watchItem, type StoreEnvironment } from '../sandbox/edit-store.ts';
import type { Verdict } from './checks.ts';
import { isOrderOf } from './predict.ts';

const PREFIX = 'asyncio-book:exercise:';
export const progressKey = (exerciseId: string) => `${PREFIX}${exerciseId}`;

/** The verdict of a "fix" run, with what the sentence about it needs. */
export interface SavedVerdict extends Verdict {
  edited: boolean;
  recorded: boolean;
  /** The runtime's name, or the reason nothing could run. */
  runtime: string;
}

export interface Progress {
  /** predict: the reader's order of the lines. */
  order?: number[];
  /** Answers checked (predict) or runs judged (fix). */
  attempts: number;
  solved: boolean;
  /** The reader asked for the answer. */
  revealed: boolean;
  /** fix: the last run's verdict. */
  verdict?: SavedVerdict;
}

export const NO_PROGRESS: Progress = { attempts: 0, solved: false, revealed: false };

/** A stored value as Progress, or null when it is not one (`lines`: the predict puzzle's size). */
export function parseProgress(text: string | null, lines: number): Progress | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  const { attempts, solved, revealed, order, verdict } = record;
  if (!Number.isInteger(attempts) || (attempts as number) < 0 || typeof solved !== 'boolean' || typeof revealed !== 'boolean') return null;
  const progress: Progress = { attempts: attempts as number, solved, revealed };
  if (order !== undefined) {
    if (!isOrderOf(order, lines)) return null;
    progress.order = order;
  }
  if (verdict !== undefined) {
    const v = verdict as Record<string, unknown>;
    const valid =
      typeof v === 'object' && v !== null &&
      typeof v.passed === 'boolean' && typeof v.key === 'string' && typeof v.values === 'object' && v.values !== null &&
      typeof v.edited === 'boolean' && typeof v.recorded === 'boolean' && typeof v.runtime === 'string' &&
      Object.values(v.values as object).every((figure) => typeof figure === 'string' || typeof figure === 'number');
    if (valid) progress.verdict = verdict as SavedVerdict;
  }
  return progress;
}

export interface ProgressStore {
  load(): Progress | null;
  /** false when the browser refused (storage full or turned off): the page still shows the state. */
  save(progress: Progress): boolean;
  forget(): void;
  /** Another tab saved (progress) or forgot (null) this exercise. Returns the unsubscribe. */
  onOtherTab(listener: (progress: Progress | null) => void): () => void;
}

export function createProgressStore(exerciseId: string, lines: number, env: StoreEnvironment): ProgressStore {
  const key = progressKey(exerciseId);
  const { storage } = env;
  return {
    load() {
      return parseProgress(readItem(storage, key), lines);
    },
    save(progress) {
      try {
        if (!storage) return false;
        storage.setItem(key, JSON.stringify(progress));
        return true;
      } catch {
        return false;
      }
    },
    forget() {
      try {
        storage?.removeItem(key);
      } catch {
        // turned off: nothing was kept either
      }
    },
    onOtherTab(listener) {
      return watchItem(env, key, (value) => listener(parseProgress(value, lines)));
    },
  };
}
