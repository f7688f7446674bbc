/**
 * The in-page runtime on a plain static host: dist/ served with no COOP/COEP headers and no book
 * server (as GitHub Pages serves it), so every example runs in the page's own Web Workers.
 */
import { readFileSync } from 'node:fs';
import { test, expect } from './support/reader';
import { bookExampleIds } from './support/site';
import { EXITED_0, appendCode, example, output, scrapeAndCancel, status, typeCode } from './support/example';

const origin = process.env.E2E_PLAIN_ORIGIN as string;
const IN_PAGE = /(this page’s JavaScript|JavaScript этой страницы)/;

/** A line of each example's output that shows its lesson, as its recording shows it. */
const lessons: Record<string, RegExp> = {
  '01-scraper-sync': /Results in the order of URLS: \d+, \d+, \d+, \d+, \d+/,
  '02-scraper-async': /Results in the order of URLS: \d+, \d+, \d+, \d+, \d+/,
  '03-fibonacci': /Async Fibonacci in \d+ ms/,
  '04-scraper-server': /Serving on http/,
  '05-cpu-parallel': /Speed-up: [\d.]+x with 4 threads on \d+ CPU cores/,
  '06-blocked-timer': /Timer stopped/,
  '07-execution-order': /10\. setTimeout\(0\)/,
  '08-async-generator': /Consumer: done/,
  '09-collector-styles': /async\/await: collected 3 images, \d+ bytes, sha256 [0-9a-f]{16}/,
  '10-bounded-concurrency': /Downloaded 20 images, at most 4 at a time, in \d+ ms/,
  '11-cancellation-timeouts': /C: Saved \d+ bytes/,
};

const recordedLines = (id: string): string[] => {
  const recorded = JSON.parse(readFileSync(`content/examples/${id}/recorded.json`, 'utf8')) as { lines: { text: string }[] };
  return recorded.lines.map((line) => line.text).filter(Boolean);
};
/** A line without its timestamp and without the figures that change from run to run. */
const shape = (line: string) =>
  line
    .replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '')
    .replace(/\d+ ms/g, 'N ms')
    .replace(/[\d.]+x/g, 'Nx')
    // 10: which download finishes next depends on the machine; the starts and the in-flight counts do not.
    .replace(/^Download \d+ done, size \d+, /, 'Download done, ');

const examples = bookExampleIds()
  .map((id) => ({ id, chapter: (JSON.parse(readFileSync(`content/examples/${id}/meta.json`, 'utf8')) as { chapter: string }).chapter }));

for (const locale of ['ru', 'en'] as const) {
  const prefix = locale === 'en' ? '/en' : '';
  for (const { id, chapter } of examples) {
    test(`${locale}: ${id} runs in the page on a plain static host, and runs the reader's edit`, async ({ page }) => {
      const lesson = lessons[id];
      if (!lesson) throw new Error(`no lesson line for ${id}`);
      await page.goto(`${origin}${prefix}/${chapter}/`);
      expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
      const box = example(page, id);
      await box.locator('[data-action="run"]').click();
      await expect(status(box)).toContainText(IN_PAGE, { timeout: 15_000 });
      if (id === '04-scraper-server') {
        await expect(output(box)).toContainText(lesson, { timeout: 15_000 });
      } else {
        await expect(status(box)).toContainText(EXITED_0, { timeout: 45_000 });
        await expect(output(box)).toContainText(lesson);
        // The lines the recording prints, in its order (figures aside); 05 and 06 print what the
        // machine's cores and timing make of them, so only their lesson line is compared.
        if (!['05-cpu-parallel', '06-blocked-timer', '03-fibonacci'].includes(id)) {
          const printed = (await output(box).innerText()).split('\n').filter(Boolean).map(shape);
          expect(printed).toEqual(recordedLines(id).map(shape));
        }
      }
      const marker = `edited-by-the-reader-${id}`;
      await appendCode(box, `\nconsole.log("${marker}");\n`);
      await box.locator('.cm-content').press('ControlOrMeta+Enter');
      await expect(output(box)).toContainText(marker, { timeout: 45_000 });
      if (id === '04-scraper-server') await box.locator('[data-action="stop"]').click();
      else await expect(status(box)).toContainText(EXITED_0, { timeout: 45_000 });
    });
  }
}

test.describe('reader mistakes in the in-page runtime', () => {
  const open = async (page: import('@playwright/test').Page, locale: 'en' | 'ru' = 'en') => {
    await page.goto(`${origin}${locale === 'en' ? '/en' : ''}/how-asyncio-works/`);
    return example(page, '07-execution-order');
  };

  test('Stop ends a hot loop at once', async ({ page }) => {
    const box = await open(page);
    await typeCode(box, 'console.log("spinning");\nwhile (true) {}\n');
    await box.locator('[data-action="run"]').click();
    await expect(output(box)).toContainText('spinning', { timeout: 15_000 });
    const stoppedIn = await page.evaluate(async () => {
      const root = document.querySelector('#example-07-execution-order') as HTMLElement;
      const status = root.querySelector('[data-status]') as HTMLElement;
      const started = performance.now();
      (root.querySelector('[data-action="stop"]') as HTMLElement).click();
      while (!/Stopped|Остановлена/.test(status.textContent ?? '')) {
        if (performance.now() - started > 5_000) return -1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return performance.now() - started;
    });
    expect(stoppedIn).toBeGreaterThanOrEqual(0);
    expect(stoppedIn).toBeLessThan(200);
  });

  test('an uncaught exception shows its stack with the line of the reader’s file, and exit code 1', async ({ page }) => {
    const box = await open(page);
    await typeCode(box, 'const a = 1;\nfunction fail(): never {\n  throw new Error("broken on purpose");\n}\nfail();\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Exited with code 1/, { timeout: 15_000 });
    const text = await output(box).innerText();
    expect(text).toContain('Error: broken on purpose');
    expect(text).toMatch(/at fail \(file:\/\/\/book\/07-execution-order\/main\.js:3:\d+\)/);
    expect(text).toContain('  throw new Error("broken on purpose");');
    expect(text).not.toMatch(/blob:|\/_astro\//);
  });

  test('console.log prints values and errors as Node does; positions on the first line are the reader’s', async ({ page }) => {
    const box = await open(page);
    await typeCode(box, 'console.log({ a: 1, b: [2, 3] }, "text", 4);\nconsole.log(new Error("shown"));\nthrow new Error("on line 3");\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Exited with code 1/, { timeout: 15_000 });
    await expect(output(box)).toContainText('{ a: 1, b: [ 2, 3 ] } text 4');
    await expect(output(box)).toContainText(/Error: shown\s+at file:\/\/\/book\/07-execution-order\/main\.js:2:13/);
    await typeCode(box, 'throw new Error("on the first line");\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Exited with code 1/, { timeout: 15_000 });
    // The layer puts a line of its own before the program's first line; columns there are still the reader's.
    await expect(output(box)).toContainText('main.js:1:7');
  });

  test('an unhandled rejection ends the program as in Node, with its stack', async ({ page }) => {
    const box = await open(page);
    await typeCode(box, 'async function later() {\n  await null;\n  throw new TypeError("nobody caught me");\n}\nlater();\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Exited with code 1/, { timeout: 15_000 });
    await expect(output(box)).toContainText('TypeError: nobody caught me');
    await expect(output(box)).toContainText(/main\.js:3:\d+/);
  });

  test('an import the layer does not have fails with one line naming it, in the page’s language', async ({ page }) => {
    const box = await open(page, 'ru');
    await typeCode(box, 'import { readFileSync } from "node:fs/promises";\nconsole.log(readFileSync);\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Завершилась с кодом 1/, { timeout: 15_000 });
    await expect(output(box)).toContainText('node:fs/promises нет в среде выполнения этой страницы');
    await expect(output(box)).toContainText('npm start');
  });

  test('process.exit ends the program with its code, and nothing after it prints', async ({ page }) => {
    const box = await open(page);
    await typeCode(box, 'console.log("before");\nprocess.exit(3);\nconsole.log("after");\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Exited with code 3/, { timeout: 15_000 });
    await expect(output(box)).toContainText('before');
    await expect(output(box)).not.toContainText('after');
  });

  test('a million lines leave the page answering, and output stays text', async ({ page }) => {
    const box = await open(page);
    await typeCode(box, 'console.log("<b>not bold</b>");\nfor (let i = 0; i < 1_000_000; i++) console.log(`line ${i}`);\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Exited with code 0/, { timeout: 60_000 });
    await expect(output(box)).toContainText('line 999999');
    expect(await box.locator('[data-output] b').count()).toBe(0);
    // The page still answers at once: a click on another tab of the example switches it.
    const answered = await page.evaluate(() => new Promise<number>((resolve) => {
      const started = performance.now();
      requestAnimationFrame(() => resolve(performance.now() - started));
    }));
    expect(answered).toBeLessThan(1_000);
  });
});

test('in the page, the server example scrapes for one user and cancels another', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto(`${origin}/en/history/`);
  const box = example(page, '04-scraper-server');
  await box.locator('[data-action="run"]').click();
  await expect(output(box)).toContainText('Serving on', { timeout: 15_000 });
  await expect(status(box)).toContainText(IN_PAGE);
  // The same PNGs as the real image server's: the same sizes as under Node.
  await scrapeAndCancel(box, 'scrape alice: 200 {"images": [3 PNGs: 8053, 30211, 40661 bytes]}');

  await box.locator('[data-action="stop"]').click();
  await expect(status(box)).toContainText('Stopped');
});

test('the reader picks a runtime by the status line; the pick holds for the page and after a reload', async ({ browser }) => {
  // A reader of a plain host: no book server's token in the tab (the other tests' tabs carry one).
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${origin}/en/how-asyncio-works/`);
  const box = example(page, '07-execution-order');
  const picker = box.locator('[data-runtime-picker]');
  // A plain host has no book server and no isolation: only the page and the recording are offered.
  await expect(picker.locator('option:not([hidden])')).toHaveText(['the book’s choice', 'this page', 'recording only']);
  await picker.selectOption('recorded');
  await expect(example(page, '06-blocked-timer').locator('[data-runtime-picker]')).toHaveValue('recorded');
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText('No live run here: you chose “recording only”.');
  await page.reload();
  await expect(example(page, '07-execution-order').locator('[data-runtime-picker]')).toHaveValue('recorded');
  await example(page, '07-execution-order').locator('[data-runtime-picker]').selectOption('browser');
  await example(page, '07-execution-order').locator('[data-action="run"]').click();
  await expect(status(example(page, '07-execution-order'))).toContainText(IN_PAGE, { timeout: 15_000 });
  await expect(status(example(page, '07-execution-order'))).toContainText(EXITED_0, { timeout: 15_000 });
  await context.close();
});
