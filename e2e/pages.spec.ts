import { test, expect } from './support/reader';
import type { Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { sitemapPaths } from './support/site';

const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** Collects what a reader with the developer console open would see as errors. */
function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  // The console's "Failed to load resource" does not say which; the response does.
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
}

/** Scrolls to the bottom a screen at a time, letting each screen render, and back to the top. */
async function scrollThrough(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight) {
      scrollTo(0, y);
      await frame();
    }
    scrollTo(0, 0);
    await frame();
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    for (const path of sitemapPaths()) {
      test(`${path} loads cleanly and passes axe`, async ({ page }) => {
        // axe over a long chapter (examples, timelines, exercises) takes 20-50 s on a busy 2-core machine.
        test.setTimeout(150_000);
        const errors = trackErrors(page);
        const response = await page.goto(path);
        expect(response?.status()).toBe(200);
        await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
        // Overflowing code blocks are made focusable from a script when they come near the screen
        // (src/code-blocks/focusable-scrollers.ts); axe must see the page as a reader's keyboard
        // does once the reader has scrolled through it.
        await scrollThrough(page);
        await page.waitForFunction(() =>
          [...document.querySelectorAll('.expressive-code pre')].every(
            (pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex'),
          ),
        );

        const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
        const violations = results.violations.map(
          (v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`,
        );
        expect(violations).toEqual([]);
        expect(errors).toEqual([]);
      });
    }
  });
}

test('every page has a canonical link and Open Graph URL on the configured site', async ({ page }) => {
  for (const path of sitemapPaths()) {
    await page.goto(path);
    const canonical = await page.locator('link[rel="canonical"]').getAttribute('href');
    expect(canonical, path).not.toBeNull();
    expect(new URL(canonical!).pathname).toBe(path);
    await expect(page.locator('meta[property="og:url"]')).toHaveAttribute('content', canonical!);
    await expect(page.locator('meta[property="og:title"]')).toHaveAttribute('content', /\S/);
  }
});

test('an unknown address shows the 404 page with a way back', async ({ page }) => {
  const response = await page.goto('/no-such-chapter/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toBeVisible();
  await expect(page.locator('main a[href="/"]').first()).toBeVisible();
});

test('a link in the table of contents lands on its heading, the last one of a long chapter too', async ({ page }) => {
  // Lands where it should even on the longest page, whatever is laid out lazily below the fold.
  await page.goto('/en/how-asyncio-works/');
  const links = page.locator('starlight-toc a');
  for (const hash of ['#exercises', '#cancellation', '#handing-over-control']) {
    await page.evaluate(() => scrollTo(0, 0));
    await links.and(page.locator(`[href="${hash}"]`)).click();
    await expect(page).toHaveURL(new RegExp(`${hash}$`));
    const heading = page.locator(hash);
    await expect(async () => {
      const top = await heading.evaluate((element) => element.getBoundingClientRect().top);
      expect(top).toBeGreaterThanOrEqual(0);
      expect(top).toBeLessThan(200);
    }).toPass({ timeout: 5000 });
  }
});

test('on a desktop the table of contents is drawn where it stays, even before the main pane has arrived', async ({ page }) => {
  // A long page may be painted while its HTML is still coming: the right sidebar, which comes first,
  // is then laid out without the main pane beside it (src/styles/book.css says why this matters).
  await page.setViewportSize({ width: 1350, height: 940 });
  await page.goto('/en/history/');
  const sidebar = page.locator('.right-sidebar');
  const final = await sidebar.boundingBox();
  expect(final!.x).toBeGreaterThan(900);
  await page.evaluate(() => document.querySelector('.main-pane')?.remove());
  expect((await sidebar.boundingBox())!.x).toBe(final!.x);
});
