/**
 * The local runtime's token, as Jupyter does it: `npm start` and `npm run dev` print the book's
 * address with `?token=…`; the first page opened with it keeps the token for the tab (sessionStorage)
 * and removes it from the address bar, so it is neither bookmarked nor shared with the address.
 * Nothing ever hands the token out: a page, a program on this machine or another site that does not
 * have it cannot run code through the book's server.
 *
 * `captureToken` runs as an inline script in the head of every page (astro.config.mjs), before
 * anything else, so that a reader who opens the printed address on a page without examples keeps
 * the token for the chapters they go on to. It is written to run on its own once stringified:
 * everything it uses comes in through its parameters.
 */

export const TOKEN_PARAM = 'token';
export const TOKEN_STORAGE_KEY = 'asyncio-book:local-runtime-token';

/**
 * Moves `?token=` from the address into the tab's sessionStorage. Where storage is turned off the
 * token stays in the address, and the tab cannot run examples without it. (No comments inside the
 * body: it is squeezed onto one line for the page.)
 */
export function captureToken(param: string, key: string): void {
  try {
    const url = new URL(location.href);
    const token = url.searchParams.get(param);
    if (token === null) return;
    sessionStorage.setItem(key, token);
    url.searchParams.delete(param);
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  } catch {
    return;
  }
}

/** The inline script for the head of every page (its source has no strings with spaces to keep). */
export const CAPTURE_SCRIPT = `(${captureToken.toString().replace(/\s+/g, ' ')})(${JSON.stringify(TOKEN_PARAM)},${JSON.stringify(TOKEN_STORAGE_KEY)});`;

/** This tab's token, or null. */
export function tabToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_STORAGE_KEY);
  } catch {
    return null;
  }
}
