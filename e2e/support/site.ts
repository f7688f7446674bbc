import { readdirSync, readFileSync, existsSync } from 'node:fs';

/** Every page path of the built site, read from the sitemap the build wrote (so new pages are tested without listing them). */
export function sitemapPaths(): string[] {
  const file = 'dist/sitemap-0.xml';
  if (!existsSync(file)) throw new Error(`${file} is missing: build the site first (npm run build)`);
  const xml = readFileSync(file, 'utf8');
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
  if (paths.length === 0) throw new Error(`${file} lists no pages`);
  return paths;
}

/** The other language's path for a page: Russian lives at the root, English under /en/. */
export function counterpart(path: string): string {
  return path.startsWith('/en/') ? path.slice(3) : `/en${path}`;
}

/** The chapters and the glossary, i.e. every page but the start pages and the 404. */
export function contentPaths(): string[] {
  return sitemapPaths().filter((p) => p !== '/' && p !== '/en/');
}

/**
 * The ids of the book's own examples, the folders of content/examples that are not an exercise's
 * program (those are tested as exercises, in e2e/exercises.spec.ts).
 */
export function bookExampleIds(): string[] {
  return readdirSync('content/examples')
    .filter((name) => /^\d\d-/.test(name))
    .filter((id) => !(JSON.parse(readFileSync(`content/examples/${id}/meta.json`, 'utf8')) as { exercise?: unknown }).exercise);
}
