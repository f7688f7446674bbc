/**
 * `npm start` sends the build's precompressed copies (src/integrations/precompress.ts), as
 * production hosts do: brotli or gzip as the browser asks, the same page either way, with the
 * page's own headers kept.
 */
import { test, expect } from '@playwright/test';

test('pages and scripts come brotli- or gzip-compressed as asked, and uncompressed when not', async ({ page, request }) => {
  await page.goto('/en/how-asyncio-works/');
  const script = await page.locator('script[type="module"][src]').first().getAttribute('src');
  expect(script).toBeTruthy();
  for (const path of ['/en/how-asyncio-works/', script!]) {
    const plain = await request.get(path, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers()['content-encoding'], path).toBeUndefined();
    const text = await plain.text();
    for (const encoding of ['br', 'gzip']) {
      const response = await request.get(path, { headers: { 'accept-encoding': encoding } });
      expect(response.status(), path).toBe(200);
      expect(response.headers()['content-encoding'], path).toBe(encoding);
      expect(Number(response.headers()['content-length']), `${path} ${encoding}`).toBeLessThan(text.length / 2);
      expect(response.headers()['content-type'], path).toBe(plain.headers()['content-type']);
      expect(await response.text(), `${path} ${encoding}`).toBe(text);
    }
  }
  // The isolation headers a chapter page gets from the book's server stay on a compressed response.
  const chapter = await request.get('/en/how-asyncio-works/', { headers: { 'accept-encoding': 'br' } });
  const plain = await request.get('/en/how-asyncio-works/', { headers: { 'accept-encoding': 'identity' } });
  expect(chapter.headers()['cross-origin-opener-policy']).toBe(plain.headers()['cross-origin-opener-policy']);
});

test('the build’s hashed files are kept a year by the browser; pages are asked for again each time', async ({ page, request }) => {
  await page.goto('/en/history/');
  const script = await page.locator('script[type="module"][src^="/_astro/"]').first().getAttribute('src');
  const hashed = await request.get(script!);
  expect(hashed.headers()['cache-control']).toBe('public, max-age=31536000, immutable');
  const chapter = await request.get('/en/history/');
  expect(chapter.headers()['cache-control']).toBe('no-cache');
  // "Asked again" is cheap: the ETag answers 304 when nothing changed.
  const again = await request.get('/en/history/', { headers: { 'if-none-match': chapter.headers().etag! } });
  expect(again.status()).toBe(304);
});
