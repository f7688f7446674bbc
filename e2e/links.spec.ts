import { test, expect } from '@playwright/test';
import { sitemapPaths, counterpart, contentPaths } from './support/site';

test('no internal link or anchor is broken', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const origin = new URL(baseURL!).origin;
  // target page path -> ids on it (null when the page does not load)
  const idsByPath = new Map<string, Set<string> | null>();
  const idsOf = async (path: string): Promise<Set<string> | null> => {
    if (!idsByPath.has(path)) {
      const response = await page.goto(path);
      idsByPath.set(
        path,
        response?.ok() ? new Set(await page.$$eval('[id]', (els) => els.map((el) => el.id))) : null,
      );
    }
    return idsByPath.get(path)!;
  };

  const broken: string[] = [];
  for (const path of sitemapPaths()) {
    await page.goto(path);
    const hrefs = await page.$$eval('a[href]', (links) => links.map((a) => (a as HTMLAnchorElement).href));
    for (const href of new Set(hrefs)) {
      const url = new URL(href);
      if (url.origin !== origin) continue;
      const ids = await idsOf(url.pathname);
      if (ids === null) broken.push(`${path} → ${url.pathname} (page missing)`);
      else if (url.hash && !ids.has(decodeURIComponent(url.hash.slice(1)))) broken.push(`${path} → ${url.pathname}${url.hash} (anchor missing)`);
    }
  }
  expect(broken).toEqual([]);
});

test('headings have the same stable ids in both languages', async ({ page }) => {
  const headingIds = async (path: string) => {
    await page.goto(path);
    return page.$$eval('.sl-markdown-content :is(h2, h3)[id]', (hs) => hs.map((h) => h.id));
  };
  for (const path of contentPaths().filter((p) => !p.startsWith('/en/'))) {
    const ru = await headingIds(path);
    expect(ru.length, `${path} has headings`).toBeGreaterThan(0);
    expect(await headingIds(counterpart(path)), `${path} and its English version`).toEqual(ru);
  }
});

test('the language picker keeps the reader on the same page', async ({ page }) => {
  for (const path of sitemapPaths()) {
    await page.goto(path);
    const target = counterpart(path);
    const label = path.startsWith('/en/') ? 'Русский' : 'English';
    await page.locator('starlight-lang-select select').first().selectOption({ label });
    await expect(page, `picker on ${path}`).toHaveURL((url) => url.pathname === target);
  }
});
