/**
 * The reader's pick of a runtime (the control by each example's status line), shared by the
 * page's tiny sandbox element (which shows and saves it) and ./choice.ts (which obeys it).
 * `?runtime=` in the address wins over the saved pick, for teachers' links and for tests.
 */
import type { RuntimeName } from './types.ts';

export type RuntimePreference = 'auto' | RuntimeName;
export const PREFERENCES: readonly RuntimePreference[] = ['auto', 'local', 'webcontainer', 'browser', 'recorded'];
export const PREFERENCE_KEY = 'asyncio-book:runtime';
/** Dispatched on window when the reader picks another runtime; `detail` is the pick. */
export const PREFERENCE_EVENT = 'asyncio-book:runtime-preference';

const known = (value: string | null): value is RuntimePreference => value !== null && (PREFERENCES as readonly string[]).includes(value);

/** Whether the address fixes the runtime (`?runtime=…`). */
export function preferenceFromAddress(): RuntimePreference | null {
  const wanted = new URLSearchParams(location.search).get('runtime');
  return known(wanted) ? wanted : null;
}

export function savedPreference(): RuntimePreference {
  try {
    const saved = localStorage.getItem(PREFERENCE_KEY);
    return known(saved) ? saved : 'auto';
  } catch {
    return 'auto'; // storage turned off: the book chooses
  }
}

/** What the page runs with: the address's pick, else the saved one. */
export function runtimePreference(): RuntimePreference {
  return preferenceFromAddress() ?? savedPreference();
}

/** Saves a pick and tells the page (every example's control, and the runtime choice). */
export function pickRuntime(preference: RuntimePreference): void {
  try {
    if (preference === 'auto') localStorage.removeItem(PREFERENCE_KEY);
    else localStorage.setItem(PREFERENCE_KEY, preference);
  } catch {
    // storage turned off: the pick holds for this page only, through the event
  }
  dispatchEvent(new CustomEvent<RuntimePreference>(PREFERENCE_EVENT, { detail: preference }));
}
