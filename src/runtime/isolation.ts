/**
 * The headers that make a page of the book cross-origin isolated, which a WebContainer needs
 * (SharedArrayBuffer). Defined once: `npm start` (scripts/serve.ts) and `npm run dev`
 * (src/integrations/local-runtime.ts) send them, and test/isolation-headers.test.ts checks that the
 * deploy files for static hosts (public/_headers, vercel.json) say exactly the same.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  // The book's files are for the book's pages: no other site may embed them as resources.
  'Cross-Origin-Resource-Policy': 'same-origin',
});
