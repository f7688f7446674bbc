/**
 * The book's own work on Expressive Code's blocks:
 * - in the built pages, each block's highlighted lines wait in a template beside its plain text
 *   (src/code-blocks/plain-until-near.ts), and every page's script puts them back as the block comes
 *   near (src/code-blocks/highlight-near.ts);
 * - which of them scroll sideways and so must be focusable (src/code-blocks/focusable-scrollers.ts).
 *   Expressive Code's module for that job is taken out in ec.config.mjs; the two go together.
 * Listed after Starlight (whose Pagefind reads the pages with their highlighting) and before the
 * offline copy and the compressed copies, which must see the final pages.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { deferHighlighting } from '../code-blocks/plain-until-near.ts';

const scrollers = fileURLToPath(new URL('../code-blocks/focusable-scrollers.ts', import.meta.url));
const near = fileURLToPath(new URL('../code-blocks/highlight-near.ts', import.meta.url));

export default function codeBlocks(): AstroIntegration {
  return {
    name: 'asyncio-book:code-blocks',
    hooks: {
      'astro:config:setup': ({ injectScript }) => {
        injectScript(
          'page',
          `import { highlightNear } from ${JSON.stringify(near)}; import { watchScrollers } from ${JSON.stringify(scrollers)}; highlightNear(document); watchScrollers(document);`,
        );
      },
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        let pages = 0;
        let blocks = 0;
        for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
          if (!entry.isFile() || !entry.name.endsWith('.html')) continue;
          const file = path.join(entry.parentPath, entry.name);
          const result = deferHighlighting(await readFile(file, 'utf8'));
          if (result.blocks === 0) continue;
          await writeFile(file, result.html);
          pages++;
          blocks += result.blocks;
        }
        logger.info(`${blocks} code blocks in ${pages} pages: plain text until they come near`);
      },
    },
  };
}
