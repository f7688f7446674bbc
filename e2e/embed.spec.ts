/**
 * The embed pages (/embed/<id>/, /en/embed/<id>/): one example each, for a frame on another site;
 * their headers; the "Copy embed code" action of every example; and an embed framed by a page of
 * another origin, with and without cross-origin isolation of its own.
 */
import http from 'node:http';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import AxeBuilder from '@axe-core/playwright';
import { test as stranger, type Frame, type Page } from '@playwright/test';
import { test, expect } from './support/reader';
import { EXITED_0, example, output, status } from './support/example';
import { bookExampleIds, sitemapPaths } from './support/site';
import { chapterPath, embedPath, embedSnippet, exampleAnchor } from '../src/examples/embed.ts';

interface Meta {
  id: string;
  chapter: string;
  title: Record<Locale, string>;
}
type Locale = 'ru' | 'en';
const locales = ['ru', 'en'] as const;
const examples: Meta[] = bookExampleIds()
  .map((id) => JSON.parse(readFileSync(`content/examples/${id}/meta.json`, 'utf8')) as Meta);
const byId = (id: string) => examples.find((meta) => meta.id === id)!;

/** The configured `site` the build wrote into the sitemap: canonical links and snippets use it. */
function site(): string {
  const loc = /<loc>([^<]+)<\/loc>/.exec(readFileSync('dist/sitemap-0.xml', 'utf8'))?.[1];
  if (!loc) throw new Error('dist/sitemap-0.xml has no <loc>: build the site first');
  return new URL(loc).origin;
}
const inBook = (meta: Meta, locale: Locale) => `${site()}${chapterPath(meta.chapter, locale)}#${exampleAnchor(meta.id)}`;
const bookTitle = { ru: 'asyncio: книга', en: 'asyncio: the book' };
const wcagTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** What a reader with the console open would see as errors (as e2e/pages.spec.ts collects them). */
function trackErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
  });
  return errors;
}

test.describe('embed pages', () => {
  for (const locale of locales) {
    for (const meta of examples) {
      const path = embedPath(meta.id, locale);
      test(`${path} shows its example alone, points to it in the book, and asks not to be indexed`, async ({ page }) => {
        const errors = trackErrors(page);
        const response = await page.goto(path);
        expect(response?.status()).toBe(200);
        await expect(page.locator('html')).toHaveAttribute('lang', locale);
        await expect(page).toHaveTitle(`${meta.title[locale]} | ${bookTitle[locale]}`);
        await expect(page.locator('meta[name="robots"]')).toHaveAttribute('content', 'noindex');
        await expect(page.locator('link[rel="canonical"]')).toHaveAttribute('href', inBook(meta, locale));

        // One example, the whole of it, and nothing of the site around it.
        await expect(page.locator('book-example')).toHaveCount(1);
        const box = example(page, meta.id);
        await expect(box.locator('[data-action="run"]')).toBeVisible(); // its script ran
        await expect(box.getByRole('tab')).toHaveText([/TypeScript/, 'Python']);
        await expect(box.locator('[data-output]')).not.toBeEmpty();
        for (const chrome of ['header.header', '#starlight__sidebar', 'starlight-toc', 'mobile-starlight-toc', 'starlight-menu-button', 'site-search', 'starlight-lang-select', 'starlight-theme-select', 'footer', '.sl-markdown-content', '[data-pagefind-body]']) {
          await expect(page.locator(chrome), chrome).toHaveCount(0);
        }
        // Nothing on it refers to another example (the chapter's "Compare with…" needs the other one beside it).
        await expect(page.locator('[data-action="compare"]')).toHaveCount(0);

        const open = page.getByRole('link', { name: locale === 'en' ? 'Open in the book' : 'Открыть в книге' });
        await expect(open).toHaveAttribute('href', inBook(meta, locale));
        await expect(open).toHaveAttribute('target', '_blank');
        await expect(open).toHaveAttribute('rel', 'noopener');

        // The canonical address is a real place: the chapter has the example at that anchor.
        await page.goto(chapterPath(meta.chapter, locale));
        await expect(example(page, meta.id)).toHaveCount(1);
        expect(errors).toEqual([]);
      });
    }
  }

  for (const width of [320, 390, 1280]) {
    test(`fits a frame ${width} px wide: no margins around the example, nothing wider than the frame`, async ({ page }) => {
      await page.setViewportSize({ width, height: 720 });
      await page.goto('/embed/04-scraper-server/'); // the widest controls of all the examples
      await expect(example(page, '04-scraper-server').locator('[data-action="run"]')).toBeVisible();
      const fit = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        clientWidth: document.documentElement.clientWidth,
        boxLeft: document.querySelector('book-example')!.getBoundingClientRect().left,
        boxRight: document.querySelector('book-example')!.getBoundingClientRect().right,
      }));
      expect(fit.scrollWidth).toBeLessThanOrEqual(fit.clientWidth);
      expect(fit.boxLeft).toBeLessThanOrEqual(8);
      expect(fit.clientWidth - fit.boxRight).toBeLessThanOrEqual(8);
    });
  }

  test('are in neither the sitemap nor the search index', () => {
    const paths = sitemapPaths();
    expect(paths.filter((path) => path.includes('/embed/'))).toEqual([]);
    expect(paths).toContain('/how-asyncio-works/');
    const indexed = readdirSync('dist/pagefind/fragment').map((file) => {
      const bytes = gunzipSync(readFileSync(`dist/pagefind/fragment/${file}`));
      return (JSON.parse(bytes.subarray(bytes.indexOf('{')).toString('utf8')) as { url: string }).url;
    });
    expect(indexed).toContain('/en/how-asyncio-works/');
    expect(indexed.filter((url) => url.includes('/embed/'))).toEqual([]);
  });

  for (const scheme of ['light', 'dark'] as const) {
    test(`follows the reader's ${scheme} preference, not the theme picked on the book's site, and passes axe`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      // Starlight's stored choice is the other theme: a frame on another site does not share it.
      await page.addInitScript((stored) => localStorage.setItem('starlight-theme', stored), scheme === 'light' ? 'dark' : 'light');
      await page.goto('/en/embed/07-execution-order/');
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      await expect(example(page, '07-execution-order').locator('[data-action="run"]')).toBeVisible();
      await page.waitForFunction(() =>
        [...document.querySelectorAll('.expressive-code pre')].every((pre) => pre.scrollWidth <= pre.clientWidth || pre.hasAttribute('tabindex')),
      );
      const results = await new AxeBuilder({ page }).withTags(wcagTags).analyze();
      expect(results.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
      // And the other way round: the preference changes while the page is open.
      await page.emulateMedia({ colorScheme: scheme === 'light' ? 'dark' : 'light' });
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme === 'light' ? 'dark' : 'light');
    });
  }
});

test.describe('the headers of an embed page', () => {
  test('embed pages may be loaded by any site, also a cross-origin-isolated one; chapters and assets stay the book’s own', async ({ request, page }) => {
    for (const path of ['/embed/07-execution-order/', '/en/embed/07-execution-order/']) {
      const headers = (await request.get(path)).headers();
      expect(headers['cross-origin-resource-policy'], path).toBe('cross-origin');
      expect(headers['cross-origin-embedder-policy'], path).toBe('require-corp');
      expect(headers['cross-origin-opener-policy'], path).toBe('same-origin');
      expect(headers['x-frame-options'], path).toBeUndefined();
      expect(headers['content-security-policy'], path).toBeUndefined();
    }
    for (const path of ['/how-asyncio-works/', '/en/how-asyncio-works/', '/']) {
      const headers = (await request.get(path)).headers();
      expect(headers['cross-origin-resource-policy'], path).toBe('same-origin');
      expect(headers['cross-origin-embedder-policy'], path).toBe('require-corp');
    }
    // What the embed page itself loads is same-origin to it.
    const scripts: string[] = [];
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.push(response.url());
    });
    await page.goto('/en/embed/07-execution-order/');
    await expect(example(page, '07-execution-order').locator('[data-action="run"]')).toBeVisible();
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) expect((await request.get(url)).headers()['cross-origin-resource-policy'], url).toBe('same-origin');
  });
});

test.describe('Copy embed code', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  for (const locale of locales) {
    test(`${locale}: copies the example's iframe to the clipboard and says so, from the keyboard too`, async ({ page }) => {
      const meta = byId('02-scraper-async');
      await page.goto(chapterPath(meta.chapter, locale));
      const box = example(page, meta.id);
      const button = box.getByRole('button', { name: `${locale === 'en' ? 'Copy embed code' : 'Скопировать код для встраивания'}: ${meta.title[locale]}` });
      if (locale === 'en') await button.click();
      else {
        await button.focus();
        await page.keyboard.press('Enter');
      }
      const expected = embedSnippet({ src: `${site()}${embedPath(meta.id, locale)}`, title: meta.title[locale] });
      await expect(box.getByRole('status').filter({ hasText: /./ })).toHaveText(
        locale === 'en' ? 'Embed code copied: paste it into the HTML of your page.' : 'Код для встраивания скопирован: вставьте его в HTML своей страницы.',
      );
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
      await expect(box.locator('[data-embed-panel]')).toBeHidden();
      // Copying does not load the example's sandbox: nothing else changed.
      await expect(status(box)).toHaveText(locale === 'en' ? 'Showing the output recorded when the site was built.' : 'Показан вывод, записанный при сборке сайта.');
    });
  }

  test('when the browser refuses the clipboard, the code is selected in a field to copy by hand; Escape puts it away', async ({ page }) => {
    await page.addInitScript(() => {
      Object.defineProperty(navigator.clipboard, 'writeText', { value: () => Promise.reject(new DOMException('Write permission denied.', 'NotAllowedError')) });
    });
    const meta = byId('07-execution-order');
    await page.goto('/en/how-asyncio-works/');
    const box = example(page, meta.id);
    const button = box.getByRole('button', { name: `Copy embed code: ${meta.title.en}` });
    await button.click();
    const field = box.getByRole('textbox', { name: 'Embed code' });
    await expect(field).toBeVisible();
    await expect(field).toBeFocused();
    const expected = embedSnippet({ src: `${site()}${embedPath(meta.id, 'en')}`, title: meta.title.en });
    await expect(field).toHaveValue(expected);
    expect(await field.evaluate((element: HTMLTextAreaElement) => [element.selectionStart, element.selectionEnd])).toEqual([0, expected.length]);
    await expect(box.locator('[data-embed-status]')).toHaveText(/did not let the page copy the code: it is selected in the field below/);
    const results = await new AxeBuilder({ page }).include(`#${exampleAnchor(meta.id)} header`).include(`#${exampleAnchor(meta.id)} [data-embed-panel]`).withTags(wcagTags).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);
    await field.press('Escape');
    await expect(field).toBeHidden();
    await expect(button).toBeFocused();
  });

  test('an embed page has it too, and copies its own snippet', async ({ page }) => {
    const meta = byId('06-blocked-timer');
    await page.goto(embedPath(meta.id, 'ru'));
    await example(page, meta.id).getByRole('button', { name: new RegExp(`^Скопировать код для встраивания: ${meta.title.ru}`) }).click();
    await expect(example(page, meta.id).locator('[data-embed-status]')).toHaveText(/скопирован/);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(embedSnippet({ src: `${site()}${embedPath(meta.id, 'ru')}`, title: meta.title.ru }));
  });
});

/**
 * A teacher's page on another origin (another port is another origin) with the snippet pasted in,
 * once cross-origin isolated itself (COOP same-origin + COEP require-corp) and once a plain page.
 * Its reader is a student of the course, not the one who started the book's server: these tests
 * use Playwright's own `test`, without the local runtime's token that ./support/reader puts in
 * every frame of the tab (it would reach the frame too, which no reader of a course site has).
 */
stranger.describe('an embed in a page of another origin', () => {
  stranger.describe.configure({ mode: 'serial' }); // one worker, one parent server on its port
  const port = Number(process.env.E2E_PORT ?? 4391) + 1;
  const parentOrigin = `http://127.0.0.1:${port}`;
  let server: http.Server;

  stranger.beforeAll(async ({ baseURL }) => {
    const meta = byId('07-execution-order');
    const snippet = (path: string) => embedSnippet({ src: `${baseURL}${path}`, title: meta.title.en });
    server = http.createServer((req, res) => {
      const isolated = req.url?.startsWith('/isolated');
      // The control: a chapter of the book (CORP same-origin) framed where only embeds may be.
      const framed = req.url?.endsWith('/chapter') ? snippet('/en/how-asyncio-works/') : snippet(embedPath(meta.id, 'en'));
      res.writeHead(200, {
        'Content-Type': 'text/html; charset=utf-8',
        ...(isolated ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {}),
      });
      res.end(`<!doctype html><html lang="en"><title>Week 3 of a course</title><h1>Week 3: the event loop</h1>${framed}</html>`);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
  });
  stranger.afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** The frame of the embed page, once its document has loaded. */
  async function embedFrame(page: Page): Promise<Frame> {
    await expect.poll(() => page.frames().find((frame) => frame.url().includes('/embed/'))?.url()).toContain('/en/embed/07-execution-order/');
    return page.frames().find((frame) => frame.url().includes('/embed/'))!;
  }

  for (const isolated of [true, false]) {
    const parent = isolated ? 'a cross-origin-isolated page' : 'a plain page';
    const path = isolated ? '/isolated' : '/plain';

    stranger(`${parent} of another origin frames the embed: it loads, and Run runs the example in the page`, async ({ page }) => {
      const errors = trackErrors(page);
      await page.goto(`${parentOrigin}${path}`);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(isolated);
      const frame = await embedFrame(page);
      const box = frame.locator('#example-07-execution-order');
      const recorded = await box.locator('[data-output]').textContent();
      await expect(box.locator('[data-action="run"]')).toBeVisible(); // its scripts and styles loaded in the frame
      // The TypeScript code; the Python pane's is stamped from its template when its tab is shown.
      await expect(box.locator('.expressive-code')).toHaveCount(1);
      expect(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
      expect(recorded).toContain('10. setTimeout(0)');
      // In a frame, where no WebContainer can run and the tab has no book server's token, the
      // example runs in the page itself: what a student on the course page gets.
      await box.locator('[data-action="run"]').click();
      await expect(box.locator('[data-status]')).toContainText(EXITED_0, { timeout: 30_000 });
      await expect(box.locator('[data-status]')).toContainText('this page’s JavaScript (Web Worker)');
      await expect(box.locator('[data-source-note]')).toContainText('Live run');
      await expect(box.locator('[data-output]')).toContainText('10. setTimeout(0)');
      expect(await box.locator('[data-output]').textContent()).not.toBe(recorded);
      // The book's server refuses its local runtime to a tab without the token (401), which is how
      // the page learns it has none: the browser logs that refusal, and nothing else may fail.
      const refusal = /401 .*\/__local-runtime\/session$|status of 401 \(Unauthorized\)/;
      expect(errors.filter((error) => !refusal.test(error))).toEqual([]);
    });
  }

  stranger('the control: a chapter of the book, which only the book may load, is refused in the cross-origin-isolated page', async ({ page }) => {
    await page.goto(`${parentOrigin}/isolated/chapter`);
    await expect.poll(() => page.frames().length).toBe(2);
    const frame = page.frames()[1]!;
    // Chromium blocks the document (CORP same-origin under the parent's COEP) and shows its error page.
    await expect.poll(() => frame.url()).toMatch(/^chrome-error:/);
    await expect(frame.locator('book-example')).toHaveCount(0);
  });
});

test('an embed page opened on its own runs its example as the chapter does', async ({ page }) => {
  // The reader who opened the book's printed address: the local runtime runs it, at the top of the
  // tab (inside a frame, the test above gets the in-page runtime).
  await page.goto('/en/embed/07-execution-order/');
  const box = example(page, '07-execution-order');
  await expect(output(box)).toContainText('10. setTimeout(0)');
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText(EXITED_0, { timeout: 15_000 });
  await expect(status(box)).toContainText(/local Node v\d+/);
  await expect(output(box)).toContainText('10. setTimeout(0)');
});
