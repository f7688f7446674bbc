/**
 * What the page and the build share about the book's offline copy (src/integrations/offline.ts
 * writes the service worker, src/offline/client.ts registers it and speaks for it).
 */
import { PYODIDE_DIR, PYODIDE_VERSION } from '../runtime/browser/python/files.ts';

/** The service worker, at the site's root so that its scope is the whole book. */
export const SERVICE_WORKER = 'sw.js';

/** Workbox's prefix for the book's caches (its precache is `<id>-precache-v2-<scope>`). */
export const CACHE_ID = 'asyncio-book';

/**
 * Pyodide's files are cached the first time a Python example runs (13 MB unpacked: too much to
 * fetch for every reader on the first visit), in a cache named for its version, since its files
 * keep their names from one version to the next.
 */
export const PYODIDE_CACHE = `${CACHE_ID}-pyodide-${PYODIDE_VERSION}`;
export const PYODIDE_CACHE_PREFIX = `${CACHE_ID}-pyodide-`;
export { PYODIDE_DIR };
