/**
 * The book's offline copy: after `astro build`, Workbox's generateSW writes dist/sw.js, a service
 * worker that keeps every page of both languages, the build's scripts and styles, and Pagefind's
 * index in a precache, and Pyodide in a cache of its own the first time a Python example runs. The
 * precache's entries carry each file's hash: a new build's worker fetches what changed, and takes
 * over only when the reader says so or every tab of the old one is closed (src/offline/client.ts),
 * so no tab mixes two versions. The embed pages are left out (they live in other sites' pages);
 * the local runtime's requests (`/__local-runtime/…`) are never answered by the worker.
 *
 * Runs after Pagefind and the Pyodide copy, before the precompression (which then compresses
 * sw.js too). Pages get the registration only in a build, never from `astro dev`.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { generateSW } from 'workbox-build';
import { locales, wordsStartingWith } from '../i18n/ui.ts';
import { EMBED_PREFIXES } from '../runtime/isolation.ts';
import { CACHE_ID, PYODIDE_CACHE, PYODIDE_CACHE_PREFIX, PYODIDE_DIR, SERVICE_WORKER } from '../offline/constants.ts';

/** How long after the page's load its worker is registered (see below). */
const REGISTER_AFTER_MS = 3000;

/** Run inside the worker when it takes over: the Pyodide caches of other versions go. */
const CLEANUP = 'sw-cleanup.js';
const cleanupScript = `// Written by src/integrations/offline.ts: when this worker takes over, Pyodide caches of other versions are deleted.
self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((names) => Promise.all(names
    .filter((name) => name.startsWith(${JSON.stringify(PYODIDE_CACHE_PREFIX)}) && name !== ${JSON.stringify(PYODIDE_CACHE)})
    .map((name) => caches.delete(name)))));
});
`;

export interface OfflineCopy {
  files: number;
  bytes: number;
}

/** Writes the service worker for the build in `dir` (the tests run it again over a changed copy). */
export async function writeServiceWorker(dir: string): Promise<OfflineCopy> {
  await writeFile(path.join(dir, CLEANUP), cleanupScript);
  const { count, size, warnings } = await generateSW({
    globDirectory: dir,
    globPatterns: ['**/*.{html,js,mjs,css,svg,png,ico,json,woff2}', 'pagefind/**/*'],
    globIgnores: [...EMBED_PREFIXES.map((prefix) => `${prefix.replace(/^\//, '')}**`), `${PYODIDE_DIR}**`, '**/*.{br,gz}', SERVICE_WORKER, CLEANUP, '404.html'],
    swDest: path.join(dir, SERVICE_WORKER),
    cacheId: CACHE_ID,
    // One file, no workbox-<hash>.js beside it: nothing else for the worker to fetch.
    inlineWorkboxRuntime: true,
    sourcemap: false,
    mode: 'production',
    // The in-page runtime's worker is the largest script (about 1 MB); Pagefind's files are small.
    maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
    // Pagefind asks for its entry file with `?ts=`: the cached copy answers it.
    ignoreURLParametersMatching: [/^utm_/, /^fbclid$/, /^ts$/],
    directoryIndex: 'index.html',
    cleanupOutdatedCaches: true,
    // The new version waits for the reader (or for every tab of the old one to close).
    skipWaiting: false,
    clientsClaim: false,
    importScripts: [CLEANUP],
    runtimeCaching: [
      {
        urlPattern: new RegExp(`/${PYODIDE_DIR.replace(/\/$/, '')}/[^/]+$`),
        handler: 'CacheFirst',
        options: { cacheName: PYODIDE_CACHE, cacheableResponse: { statuses: [200] } },
      },
    ],
  });
  for (const warning of warnings) console.warn(`[offline] ${warning}`);
  return { files: count, bytes: size };
}

export default function offline(): AstroIntegration {
  return {
    name: 'asyncio-book:offline',
    hooks: {
      'astro:config:setup': ({ command, injectScript }) => {
        if (command !== 'build') return;
        const client = fileURLToPath(new URL('../offline/client.ts', import.meta.url));
        // After the page has loaded: the registration and Workbox's window library (3 KB) wait.
        // The note's few words of each language go with the script: not the book's whole table of strings.
        const words = Object.fromEntries(locales.map((locale) => [locale, wordsStartingWith(locale, ['offline.'])]));
        // Registered a few seconds after the load, when the page is idle: the worker's first install
        // downloads the whole book (about 2 MB compressed), which on a 2-core machine slowed the
        // page's own start (Pagefind's set-up, a 0.2 s task, took 0.9 s beside it, phone preset).
        injectScript(
          'page',
          `const idle = (run) => (window.requestIdleCallback ? requestIdleCallback(run, { timeout: 10000 }) : setTimeout(run, 200));
const start = () => setTimeout(() => idle(() => void import(${JSON.stringify(client)}).then((offline) => offline.start(${JSON.stringify(words)}))), ${REGISTER_AFTER_MS});
if (document.readyState === 'complete') start();
else addEventListener('load', start, { once: true });`,
        );
      },
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const { files, bytes } = await writeServiceWorker(fileURLToPath(dir));
        logger.info(`${SERVICE_WORKER}: ${files} files (${Math.round(bytes / 1024).toLocaleString('en')} KB) kept for reading offline, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      },
    },
  };
}
