import { test, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/** Opens Starlight's search dialog, types the query, and returns the pages of the results. */
async function search(page: Page, start: string, query: string): Promise<string[]> {
  await page.goto(start);
  await page.locator('button[data-open-modal]').first().click();
  const input = page.locator('dialog[open] input');
  await input.fill(query);
  const results = page.locator('dialog[open] .pagefind-ui__result-link');
  await expect(results.first()).toBeVisible({ timeout: 10_000 });
  return results.evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
}

/** True when the word appears as it is written on the built page, so a hit must come from stemming. */
function appearsLiterally(path: string, word: string): boolean {
  const html = readFileSync(`dist${path}index.html`, 'utf8').toLowerCase();
  return new RegExp(`[^\\p{L}]${word.toLowerCase()}[^\\p{L}]`, 'u').test(html);
}

test('search finds a Russian word in another of its forms', async ({ page }) => {
  // The dative plural «корутинам» is not written in chapter IV; «корутина», «корутины»… are.
  const word = 'корутинам';
  expect(appearsLiterally('/how-asyncio-works/', word)).toBe(false);
  const pages = await search(page, '/', word);
  expect(pages).toContain('/how-asyncio-works/');
  expect(pages.every((p) => !p.startsWith('/en/'))).toBe(true);
});

test('search finds an English term on the English pages', async ({ page }) => {
  const pages = await search(page, '/en/', 'subinterpreters');
  expect(pages).toContain('/en/libraries/');
  expect(pages.every((p) => p.startsWith('/en/'))).toBe(true);
});

test('search is built when it is first opened: Ctrl+K opens it, the field takes the typing, results come', async ({ page }) => {
  await page.goto('/en/how-asyncio-works/');
  // Nothing of Pagefind's interface is on the page before the reader asks for it (src/search/pagefind-on-open.ts).
  await page.waitForLoadState('load');
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve)));
  await expect(page.locator('#starlight__search .pagefind-ui')).toHaveCount(0);
  await page.keyboard.press('Control+k');
  const input = page.locator('dialog[open] input');
  await expect(input).toBeFocused();
  await page.keyboard.type('subinterpreters');
  await expect(page.locator('dialog[open] .pagefind-ui__result-link').first()).toBeVisible({ timeout: 10_000 });
});
