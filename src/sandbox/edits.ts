/**
 * A reader's edits of an example, kept in localStorage as they type so that a reload, a crash or
 * a closed tab loses nothing. One entry per example; the original is never stored.
 */
const key = (exampleId: string) => `asyncio-book:edits:${exampleId}`;

export function loadEdit(exampleId: string): string | null {
  try {
    return localStorage.getItem(key(exampleId));
  } catch {
    return null; // storage disabled (private mode, policy): the book still works, edits are not kept
  }
}

/** Saves the text, or forgets it when it equals the original (an edit undone is no edit). */
export function saveEdit(exampleId: string, text: string, original: string): void {
  try {
    if (text === original) localStorage.removeItem(key(exampleId));
    else localStorage.setItem(key(exampleId), text);
  } catch {
    // quota or disabled storage: nothing better to do than keep the text in the editor
  }
}

export function forgetEdit(exampleId: string): void {
  try {
    localStorage.removeItem(key(exampleId));
  } catch {
    // see loadEdit
  }
}

export function hasEdit(exampleId: string): boolean {
  return loadEdit(exampleId) !== null;
}
