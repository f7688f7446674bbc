// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import sitemap from '@astrojs/sitemap';
import { satteri } from '@astrojs/markdown-satteri';
import localRuntime from './src/integrations/local-runtime.ts';
import precompress from './src/integrations/precompress.ts';
import codeBlocks from './src/integrations/code-blocks.ts';
import offline from './src/integrations/offline.ts';
import pyodide from './src/integrations/pyodide.ts';
import search from './src/integrations/search.ts';
import { CAPTURE_SCRIPT } from './src/runtime/local/token.ts';
import { isEmbedPath } from './src/runtime/isolation.ts';

// The public URL of the book: canonical links, Open Graph tags and the sitemap are built from it.
const site = process.env.SITE_URL ?? 'https://asyncio-book.example.org';

/**
 * A chapter's sidebar entry: the same slug in both languages, the label translated.
 * @param {string} slug @param {string} ru @param {string} en
 */
const chapter = (slug, ru, en) => ({ slug, label: ru, translations: { en } });

export default defineConfig({
  site,
  trailingSlash: 'ignore',
  vite: {
    // The in-page runtime's worker is a module worker that loads parts of itself on demand.
    worker: { format: 'es' },
  },
  markdown: {
    // `## Heading {#stable-id}` keeps anchors fixed across languages and rewordings.
    processor: satteri({ features: { headingAttributes: true } }),
  },
  integrations: [
    // `astro dev` only: runs examples with this machine's Node and sends COOP/COEP headers.
    localRuntime(),
    // The sitemap Starlight would add by itself (the same languages), without the embed pages: each
    // stands for an example whose address is its chapter (src/components/EmbedPage.astro).
    sitemap({
      i18n: { defaultLocale: 'root', locales: { root: 'ru', en: 'en' } },
      filter: (page) => !isEmbedPath(new URL(page).pathname),
    }),
    starlight({
      title: { ru: 'asyncio: книга', en: 'asyncio: the book' },
      description: 'Advanced Python: asyncio',
      defaultLocale: 'root',
      locales: {
        root: { label: 'Русский', lang: 'ru' },
        en: { label: 'English', lang: 'en' },
      },
      markdown: { processedDirs: ['./content/'] },
      customCss: ['./src/styles/book.css', './src/styles/timeline.css'],
      // The local runtime's token leaves the address bar for the tab's storage on whichever page the
      // reader opens first (src/runtime/local/token.ts); a few hundred bytes, and nothing else runs.
      head: [{ tag: 'script', content: CAPTURE_SCRIPT }],
      sidebar: [
        chapter('index', 'О книге', 'About the book'),
        {
          label: 'Лекция',
          translations: { en: 'The lecture' },
          items: [
            chapter('what-is-asyncio', 'I. Что такое asyncio', 'I. What asyncio is'),
            chapter('concurrency-and-parallelism', 'II. Асинхронность, конкурентность, параллелизм', 'II. Asynchrony, concurrency, parallelism'),
            chapter('history', 'III. Как появился asyncio', 'III. How asyncio came about'),
            chapter('how-asyncio-works', 'IV. Как работает asyncio', 'IV. How asyncio works'),
            chapter('libraries', 'V. Асинхронные библиотеки в питоне', 'V. Asynchronous libraries in Python'),
          ],
        },
        chapter('python-and-node', 'Python и Node: словарь', 'Python and Node: a glossary'),
      ],
    }),
    // Starlight's search, its Pagefind interface built when the dialog first opens.
    search(),
    // Which code blocks scroll sideways, measured where the reader is (replaces Expressive Code's module).
    codeBlocks(),
    // Pyodide's files, from the npm package into /pyodide/ (served from node_modules by `astro dev`).
    pyodide(),
    // The offline copy: a service worker by Workbox over the finished pages, Pagefind's index included.
    offline(),
    // Last: brotli and gzip copies of the finished files (Pagefind's index and the sitemap included).
    precompress(),
  ],
});
