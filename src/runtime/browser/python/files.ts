/**
 * Pyodide (the npm package `pyodide`, MPL-2.0: CPython compiled to WebAssembly) as the book serves
 * it: copied from the package into `/pyodide/` of the site at build (src/integrations/pyodide.ts),
 * served from node_modules by the dev server, never from a CDN. Shared by the integration and the page.
 */
import type { Words } from '../../messages.ts';

/** The package's version; test/pyodide.test.ts holds it to node_modules/pyodide/package.json. */
export const PYODIDE_VERSION = '314.0.8';
/** The CPython inside it (Pyodide 314 is CPython 3.14). */
export const PYODIDE_PYTHON = '3.14';

/** The status line's words for a Python run in the page, e.g. "Pyodide 314.0.8 (CPython 3.14) in this page". */
export function pyodideLabel(words: Words): string {
  return words.say('runtime.browser.pythonLabel', { version: PYODIDE_VERSION, python: PYODIDE_PYTHON });
}

/** Where on the site the files are, below the site's base. */
export const PYODIDE_DIR = 'pyodide/';

/**
 * The files a run loads: the loader, the Emscripten module and its WebAssembly, the standard
 * library, and the lock file the loader reads at start (no package of it is loaded: the programs
 * the page runs use the standard library only).
 */
export const PYODIDE_FILES = ['pyodide.mjs', 'pyodide.asm.mjs', 'pyodide.asm.wasm', 'python_stdlib.zip', 'pyodide-lock.json'] as const;
