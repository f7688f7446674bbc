/**
 * The book's own script for Expressive Code's blocks on every page: which of them scroll sideways
 * and so must be focusable (src/code-blocks/focusable-scrollers.ts). Expressive Code's module for the
 * same job is taken out in ec.config.mjs; the two go together.
 */
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';

const module = fileURLToPath(new URL('../code-blocks/focusable-scrollers.ts', import.meta.url));

export default function codeBlocks(): AstroIntegration {
  return {
    name: 'asyncio-book:code-blocks',
    hooks: {
      'astro:config:setup': ({ injectScript }) => {
        injectScript('page', `import { watchScrollers } from ${JSON.stringify(module)}; watchScrollers(document);`);
      },
    },
  };
}
