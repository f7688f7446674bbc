/**
 * The book's headers are defined once (src/runtime/isolation.ts, headersFor); the files that
 * static hosts read cannot import it, so this holds them to the same words, path by path: each
 * file is read the way its host reads it, every rule that matches a path is applied as that host
 * applies it, and what comes out must be exactly what headersFor() says, for every kind of path
 * the site has (pages in both languages, the embed pages, the assets, the 404 page).
 *
 * How each host combines rules that match one path (read from their source, not guessed):
 * - Cloudflare Pages (workers-sdk, pages-shared/asset-server/handler.ts and
 *   workers-shared/utils/configuration/parseHeaders.ts): every matching rule in file order; a rule
 *   first removes the headers its `! Name` lines detach, then sets its own, and a header already
 *   set by an earlier rule gets the new value appended with a comma.
 * - Netlify (netlify/build, packages/headers-parser, and netlify-cli's headersForPath): a line
 *   without a colon is skipped; the matching rules are merged in order, a later rule's value of a
 *   header replacing an earlier one's. Its `/x/*` also matches `/x` itself and `/xyz` (the slash
 *   before a standalone `*` is optional), which no path of the book is.
 * - Vercel (vercel/vercel, the dev router): every matching `source` in order, a later rule's value
 *   of a header replacing an earlier one's.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EMBED_BASES, embedPath } from '../src/examples/embed.ts';
import { ROOT } from '../src/examples/files.ts';
import { EMBED_HEADERS, EMBED_PREFIXES, ISOLATION_HEADERS, headersFor, isEmbedPath } from '../src/runtime/isolation.ts';

type Headers = Record<string, string>;

const lower = (headers: Readonly<Headers>): Headers => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

// --- the paths of the site --------------------------------------------------------------------

const exampleIds = readdirSync(`${ROOT}content/examples`).filter((name) => /^\d\d-/.test(name));
const slugs = readdirSync(`${ROOT}content/docs`)
  .filter((name) => name.endsWith('.mdx') || name.endsWith('.md'))
  .map((name) => name.replace(/\.mdx?$/, ''));
const pagePaths = slugs.flatMap((slug) => {
  const path = slug === 'index' ? '/' : `/${slug}/`;
  return [path, `/en${path}`];
});
const embedPaths = exampleIds.flatMap((id) => [embedPath(id, 'ru'), embedPath(id, 'en'), `${embedPath(id, 'en')}index.html`]);
const otherPaths = ['/404.html', '/en/404/', '/_astro/Example.astro_astro_type_script_index_0_lang.js', '/_astro/common.css', '/pagefind/pagefind.js', '/favicon.svg', '/sitemap-index.xml', '/no-such-chapter/'];
const allPaths = [...pagePaths, ...embedPaths, ...otherPaths];

// --- Cloudflare Pages and Netlify: public/_headers ------------------------------------------

interface FileRule {
  path: string;
  set: [string, string][];
  unset: string[];
}

/** public/_headers as Cloudflare reads it: `! Name` lines detach, `Name: value` lines set. */
function cloudflareRules(text: string): FileRule[] {
  const rules: FileRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('/')) rules.push({ path: line, set: [], unset: [] });
    else if (!line.includes(':')) {
      assert.ok(line.startsWith('! '), `Cloudflare rejects the line "${line}"`);
      rules.at(-1)!.unset.push(line.slice(2).trim().toLowerCase());
    } else {
      const [name, ...value] = line.split(':');
      rules.at(-1)!.set.push([name!.trim().toLowerCase(), value.join(':').trim()]);
    }
  }
  return rules;
}

/** A Cloudflare path pattern: one `*` splat, matched greedily, and `:name` placeholders. */
function cloudflareMatches(pattern: string, pathname: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]\w*/g, '[^/]+'))
    .join('.*');
  return new RegExp(`^${source}$`).test(pathname);
}

function cloudflareHeaders(rules: FileRule[], pathname: string): Headers {
  const headers = new Map<string, string>();
  const setByRules = new Set<string>();
  for (const rule of rules.filter(({ path }) => cloudflareMatches(path, pathname))) {
    for (const name of rule.unset) headers.delete(name);
    for (const [name, value] of rule.set) {
      const previous = headers.get(name);
      headers.set(name, setByRules.has(name) && previous !== undefined ? `${previous}, ${value}` : value);
      setByRules.add(name);
    }
  }
  return Object.fromEntries(headers);
}

/** public/_headers as Netlify reads it: a line without a colon is skipped. */
function netlifyRules(text: string): FileRule[] {
  const rules: FileRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('/')) rules.push({ path: line, set: [], unset: [] });
    else if (line.includes(':')) {
      const [name, ...value] = line.split(':');
      rules.at(-1)!.set.push([name!.trim(), value.join(':').trim()]);
    }
  }
  return rules;
}

/** Netlify's `forRegExp` (packages/headers-parser/src/for_regexp.ts). */
function netlifyMatches(pattern: string, pathname: string): boolean {
  const parts = pattern
    .split('/')
    .map((part) => part.trimEnd())
    .filter(Boolean)
    .map((part) => {
      if (part.startsWith(':')) return '([^/]+)';
      if (part === '*') return '?(.*)';
      if (part.includes('*')) return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '(.*)');
      return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    });
  return new RegExp(`^/${parts.join('/')}/?$`, 'iu').test(pathname);
}

function netlifyHeaders(rules: FileRule[], pathname: string): Headers {
  const headers: Headers = {};
  for (const rule of rules.filter(({ path }) => netlifyMatches(path, pathname))) {
    const values: Headers = {};
    for (const [name, value] of rule.set) values[name] = values[name] === undefined ? value : `${values[name]}, ${value}`;
    Object.assign(headers, values);
  }
  return lower(headers);
}

// --- Vercel: vercel.json ------------------------------------------------------------------

interface VercelRule {
  source: string;
  headers: { key: string; value: string }[];
}

/**
 * A `source` as path-to-regexp reads the forms this file uses: literal text and `(…)` groups of
 * regular expression; an optional trailing slash; not case-sensitive.
 */
function vercelMatches(source: string, pathname: string): boolean {
  assert.ok(!/:\w/.test(source), `${source}: named parameters are not read by this test`);
  let pattern = '';
  let depth = 0;
  for (const char of source) {
    if (char === '(') depth += 1;
    pattern += depth > 0 ? char : char.replace(/[.+?^${}|[\]\\/*]/g, '\\$&');
    if (char === ')') depth -= 1;
  }
  return new RegExp(`^${pattern}\\/?$`, 'i').test(pathname);
}

function vercelHeaders(rules: VercelRule[], pathname: string): Headers {
  const headers: Headers = {};
  for (const rule of rules.filter(({ source }) => vercelMatches(source, pathname))) {
    for (const { key, value } of rule.headers) headers[key.toLowerCase()] = value;
  }
  return headers;
}

// --- the tests ------------------------------------------------------------------------------

const headersFile = readFileSync(`${ROOT}public/_headers`, 'utf8');
const vercel = JSON.parse(readFileSync(`${ROOT}vercel.json`, 'utf8')) as { headers: VercelRule[] };

describe('the headers of the book (src/runtime/isolation.ts)', () => {
  it('pages, assets and the 404 page are cross-origin isolated and for the book only; embed pages may be loaded by any site', () => {
    assert.deepEqual(headersFor('/how-asyncio-works/'), ISOLATION_HEADERS);
    assert.deepEqual(headersFor('/_astro/common.css'), ISOLATION_HEADERS);
    assert.equal(ISOLATION_HEADERS['Cross-Origin-Resource-Policy'], 'same-origin');
    for (const id of exampleIds) {
      for (const locale of ['ru', 'en'] as const) assert.deepEqual(headersFor(embedPath(id, locale)), EMBED_HEADERS, embedPath(id, locale));
    }
    assert.deepEqual(lower(EMBED_HEADERS), {
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
      'cross-origin-resource-policy': 'cross-origin',
    });
  });

  it('the embed prefixes are the embed pages’ folders, and only paths below them are embeds', () => {
    assert.deepEqual([...EMBED_PREFIXES].sort(), Object.values(EMBED_BASES).sort());
    for (const locale of ['ru', 'en'] as const) {
      const folder = `${ROOT}src/pages${EMBED_BASES[locale]}`;
      assert.ok(readdirSync(folder).includes('[id].astro'), `${folder}[id].astro makes the embed pages`);
    }
    for (const path of ['/', '/en/', '/embedded/', '/en/embedding/', '/what-is-asyncio/', '/en/what-is-asyncio/embed/']) assert.equal(isEmbedPath(path), false, path);
  });

  it('nothing forbids framing: no X-Frame-Options and no frame-ancestors, in any of the definitions', () => {
    for (const text of [headersFile, JSON.stringify(vercel), JSON.stringify(ISOLATION_HEADERS), JSON.stringify(EMBED_HEADERS)]) {
      assert.doesNotMatch(text, /x-frame-options|frame-ancestors/i);
    }
  });
});

describe('the deploy files say exactly what src/runtime/isolation.ts says, path by path', () => {
  it('public/_headers as Cloudflare Pages applies it', () => {
    const rules = cloudflareRules(headersFile);
    for (const path of allPaths) assert.deepEqual(cloudflareHeaders(rules, path), lower(headersFor(path)), path);
  });

  it('public/_headers as Netlify applies it', () => {
    const rules = netlifyRules(headersFile);
    for (const path of allPaths) assert.deepEqual(netlifyHeaders(rules, path), lower(headersFor(path)), path);
  });

  it('vercel.json as Vercel applies it', () => {
    for (const path of allPaths) assert.deepEqual(vercelHeaders(vercel.headers, path), lower(headersFor(path)), path);
  });

  it('the readers of the host files see what the hosts see: a broken file fails', () => {
    // Without the detach line, Cloudflare joins the two policies, which a browser reads as none.
    const undetached = cloudflareRules(headersFile.replace(/^\s*! .*$/gm, ''));
    assert.equal(cloudflareHeaders(undetached, '/embed/07-execution-order/')['cross-origin-resource-policy'], 'same-origin, cross-origin');
    // With the embed rule first, the site-wide rule wins on Netlify and Vercel.
    const [first, ...rest] = netlifyRules(headersFile);
    assert.equal(netlifyHeaders([...rest, first!], '/embed/07-execution-order/')['cross-origin-resource-policy'], 'same-origin');
    const [everywhere, ...embeds] = vercel.headers;
    assert.equal(vercelHeaders([...embeds, everywhere!], '/en/embed/07-execution-order/')['cross-origin-resource-policy'], 'same-origin');
    assert.equal(vercelMatches('/embed/(.*)', '/embedded/'), false);
    assert.equal(cloudflareMatches('/embed/*', '/embedded/'), false);
  });
});
