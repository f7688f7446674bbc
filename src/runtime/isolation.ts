/**
 * The headers every response of the book carries, defined once: `npm start` (scripts/serve.ts) and
 * `npm run dev` (src/integrations/local-runtime.ts) send what headersFor() says, and
 * test/isolation-headers.test.ts checks that the deploy files for static hosts (public/_headers,
 * vercel.json) make each host send exactly the same, path by path.
 *
 * Every page is cross-origin isolated (COOP/COEP), which a WebContainer needs (SharedArrayBuffer).
 * The embed pages (/embed/<id>/, /en/embed/<id>/) are meant to be framed by any other site, also a
 * cross-origin-isolated one: a document nested in a page with COEP require-corp must itself send
 * COEP and allow being loaded cross-origin (CORP cross-origin). What they load (/_astro/*, fonts,
 * workers) is same-origin to them and keeps CORP same-origin. Nothing forbids framing: no
 * X-Frame-Options and no frame-ancestors, on any page.
 */
import { EMBED_BASES } from '../examples/embed.ts';

export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // The book's files are for the book's pages: no other site may embed them as resources.
  'Cross-Origin-Resource-Policy': 'same-origin',
});

/** Where the embed pages live, in each language (src/examples/embed.ts): one page per example below each. */
export const EMBED_PREFIXES: readonly string[] = Object.freeze(Object.values(EMBED_BASES));

/**
 * An embed page's headers: the isolation headers, and its document may be loaded by any site.
 * (COOP matters only when an embed is opened in a tab of its own, where it isolates it as any page.)
 */
export const EMBED_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...ISOLATION_HEADERS,
  'Cross-Origin-Resource-Policy': 'cross-origin',
});

/** True for a path at or below an embed prefix (`/embed/07-execution-order/`, `/en/embed/…`). */
export function isEmbedPath(pathname: string): boolean {
  return EMBED_PREFIXES.some((prefix) => pathname.startsWith(prefix));
}

/** The headers for a response to this path (a pathname, without the query). */
export function headersFor(pathname: string): Readonly<Record<string, string>> {
  return isEmbedPath(pathname) ? EMBED_HEADERS : ISOLATION_HEADERS;
}
