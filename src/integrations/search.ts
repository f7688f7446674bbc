/**
 * Search as Starlight draws it, with Pagefind's interface built when the dialog first opens rather
 * than in the first idle moment of every page (src/search/pagefind-on-open.ts says why). Starlight's
 * component stays as it is; only its import of `@pagefind/default-ui` resolves to the book's module,
 * which imports the real one by its file path (so the alias does not catch it).
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const onOpen = fileURLToPath(new URL('../search/pagefind-on-open.ts', import.meta.url));

export default function search(): AstroIntegration {
  return {
    name: 'asyncio-book:search',
    hooks: {
      'astro:config:setup': ({ updateConfig }) => {
        updateConfig({ vite: { resolve: { alias: [{ find: /^@pagefind\/default-ui$/, replacement: onOpen }] } } });
      },
    },
  };
}
