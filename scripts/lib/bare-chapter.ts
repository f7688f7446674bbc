/**
 * The baseline for `npm run lighthouse`: one of the book's chapters as a bare Starlight site would
 * show it, built with the project's own Astro and Starlight and nothing of the book (no examples'
 * sandbox, diagrams, exercises, offline copy, deferred code blocks). Its text is the chapter's: the
 * same prose and headings, and each example's and exercise's TypeScript and Python code as plain
 * fenced blocks, which Starlight highlights as it does any. So the comparison issue 15 asks for is
 * with a page of similar length, measured in the same run, rather than with the 79-element 404 page.
 *
 * Built into .cache/bare-chapter/ (ignored by git) and served like the book (scripts/serve.ts, with
 * the same brotli and gzip copies).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from '../../src/examples/files.ts';
import { precompress } from '../../src/integrations/precompress.ts';

export const BARE_DIR = path.join(ROOT, '.cache', 'bare-chapter');
/** Where the bare chapter is in its own site. */
export const BARE_PATH = '/chapter/';

/** The chapter's MDX as plain Markdown: the book's components become what they show as text. */
export function bareMarkdown(mdx: string, code: (id: string) => string): string {
  const body = mdx.replace(/^---\n[\s\S]*?\n---\n/, '');
  const title = /^title:\s*(.*)$/m.exec(mdx)?.[1] ?? 'Chapter';
  const lines = body
    .replace(/^import .*$/gm, '')
    .replace(/^<Example id="([^"]+)"\s*\/>$/gm, (_, id: string) => code(id))
    .replace(/^<Exercise program="([^"]+)"[^>]*>$/gm, (_, id: string) => code(id))
    .replace(/^<\/?(Exercise|Fragment)[^>]*>$/gm, '')
    .replace(/^<Diagram [^>]*\/>$/gm, '')
    .replace(/^<SinceLecture title="([^"]*)"[^>]*>$/gm, (_, heading: string) => `**${heading}**`)
    .replace(/^<\/SinceLecture>$/gm, '')
    // `{#id}` after a heading is the book's Markdown extension; Starlight's own makes the ids.
    .replace(/^(#{2,6} .*?)\s*\{#[^}]+\}\s*$/gm, '$1');
  return `---\ntitle: ${title}\n---\n${lines}`;
}

/** An example's two programs as fenced blocks. */
function exampleCode(id: string): string {
  const dir = path.join(ROOT, 'content', 'examples', id);
  const block = (file: string, lang: string) =>
    existsSync(path.join(dir, file)) ? `\`\`\`${lang} title="${file}"\n${readFileSync(path.join(dir, file), 'utf8').replace(/\n+$/, '')}\n\`\`\`\n` : '';
  return `\n${block('main.ts', 'ts')}\n${block('main.py', 'python')}\n`;
}

/** Builds the bare site for `chapter` (a file of content/docs/) and returns its dist directory. */
export async function buildBareChapter(chapter: string): Promise<string> {
  rmSync(BARE_DIR, { recursive: true, force: true });
  mkdirSync(path.join(BARE_DIR, 'src', 'content', 'docs'), { recursive: true });
  writeFileSync(
    path.join(BARE_DIR, 'astro.config.mjs'),
    `import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
export default defineConfig({
  site: 'https://bare.example.org',
  integrations: [starlight({ title: 'Bare Starlight', defaultLocale: 'root', locales: { root: { label: 'Русский', lang: 'ru' } } })],
});
`,
  );
  writeFileSync(
    path.join(BARE_DIR, 'src', 'content.config.ts'),
    `import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
export const collections = { docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }) };
`,
  );
  const mdx = readFileSync(path.join(ROOT, 'content', 'docs', chapter), 'utf8');
  writeFileSync(path.join(BARE_DIR, 'src', 'content', 'docs', 'chapter.md'), bareMarkdown(mdx, exampleCode));
  writeFileSync(path.join(BARE_DIR, 'src', 'content', 'docs', 'index.md'), '---\ntitle: Bare Starlight\n---\n\n[chapter](/chapter/)\n');
  const built = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'astro', 'bin', 'astro.mjs'), 'build', '--root', BARE_DIR], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error(`building the bare chapter failed (${built.status})`);
  const dist = path.join(BARE_DIR, 'dist');
  await precompress(dist);
  return dist;
}
