import { test, expect } from './support/reader';
import { bookExampleIds } from './support/site';
import { EXITED_0, RUNNING, appendCode, example, output, scrapeAndCancel, status, typeCode } from './support/example';
import { readFileSync } from 'node:fs';

/** Every example, where it lives, and a line of its output that shows its lesson. */
interface ExampleCase {
  id: string;
  chapter: string;
  lesson: RegExp;
}
const lessons: Record<string, RegExp> = {
  '01-scraper-sync': /Downloaded in \d+ ms/,
  '02-scraper-async': /Downloaded in \d+ ms/,
  '03-fibonacci': /Async Fibonacci in \d+ ms/,
  '05-cpu-parallel': /Speed-up: [\d.]+x/,
  '06-blocked-timer': /Timer stopped/,
  '07-execution-order': /10\. setTimeout\(0\)/,
  '08-async-generator': /Consumer: done/,
  '09-collector-styles': /async\/await: collected 3 images/,
  '10-bounded-concurrency': /Downloaded 20 images, at most 4 at a time/,
  '11-cancellation-timeouts': /C: Saved \d+ bytes/,
  '04-scraper-server': /Serving on http/,
};
const examples: ExampleCase[] = bookExampleIds()
  .map((id) => {
    const meta = JSON.parse(readFileSync(`content/examples/${id}/meta.json`, 'utf8')) as { chapter: string };
    const lesson = lessons[id];
    if (!lesson) throw new Error(`e2e/sandbox.spec.ts has no lesson line for example ${id}`);
    return { id, chapter: meta.chapter, lesson };
  });

for (const locale of ['ru', 'en'] as const) {
  for (const { id, chapter, lesson } of examples) {
    test(`${locale}: ${id} runs with local Node, and runs the reader's edit`, async ({ page }) => {
      const prefix = locale === 'en' ? '/en' : '';
      await page.goto(`${prefix}/${chapter}/`);
      const box = example(page, id);
      await box.locator('[data-action="run"]').click();
      await expect(status(box)).toContainText(locale === "en" ? /local Node v\d+/ : /локальный Node v\d+/, { timeout: 15_000 });
      if (id === '04-scraper-server') {
        await expect(output(box)).toContainText(lesson, { timeout: 15_000 });
        await box.locator('[data-action="stop"]').click();
        await expect(status(box)).toContainText(/(Stopped|Остановлена)/);
      } else {
        await expect(status(box)).toContainText(EXITED_0, { timeout: 30_000 });
        await expect(output(box)).toContainText(lesson);
      }

      const marker = `edited-by-the-reader-${id}`;
      await appendCode(box, `\nconsole.log("${marker}");\n`);
      await expect(box.locator('[data-edited]')).toBeVisible();
      await box.locator('.cm-content').press('ControlOrMeta+Enter');
      await expect(output(box)).toContainText(marker, { timeout: 30_000 });
      if (id === '04-scraper-server') await box.locator('[data-action="stop"]').click();
      else await expect(status(box)).toContainText(EXITED_0, { timeout: 30_000 });
    });
  }
}

test.describe('reader mistakes and edge cases (local runtime)', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/how-asyncio-works/');
  });

  test('a syntax error names its line and column, is marked in the editor, and nothing runs', async ({ page }) => {
    const box = example(page, '07-execution-order');
    await typeCode(box, 'console.log("fine");\nconst broken = (;\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/строке 2, столбце 17/);
    await expect(output(box)).toContainText('main.ts:2:17');
    await expect(output(box)).not.toContainText('fine');
    await expect(box.locator('.cm-lintRange-error')).toHaveCount(1);
  });

  test('an exception shows its stack and a non-zero exit code', async ({ page }) => {
    const box = example(page, '07-execution-order');
    await typeCode(box, 'function deep() { throw new Error("boom in deep"); }\ndeep();\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(/Завершилась с кодом 1/, { timeout: 15_000 });
    await expect(output(box)).toContainText('Error: boom in deep');
    await expect(output(box)).toContainText(/at deep \(.*main\.js:1/);
  });

  test('Stop ends an endless loop within a second, and Run while running replaces the run', async ({ page }) => {
    const box = example(page, '07-execution-order');
    await typeCode(box, 'console.log("looping");\nwhile (true) {}\n');
    await box.locator('[data-action="run"]').click();
    await expect(output(box)).toContainText('looping', { timeout: 15_000 });
    await box.locator('[data-action="run"]').click(); // the old loop must be stopped first
    await expect(status(box)).toContainText(RUNNING, { timeout: 15_000 });
    const clicked = Date.now();
    await box.locator('[data-action="stop"]').click();
    await expect(status(box)).toContainText(/Остановлена/, { timeout: 1_000 });
    expect(Date.now() - clicked).toBeLessThan(1_500);
    await expect(box.locator('[data-action="stop"]')).toBeDisabled();
  });

  test('a million lines keep the page responsive and show the last lines with a count of the rest', async ({ page }) => {
    test.setTimeout(120_000);
    const box = example(page, '07-execution-order');
    await typeCode(box, 'for (let i = 1; i <= 1_000_000; i++) console.log("line " + i);\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(RUNNING, { timeout: 15_000 });
    // While the flood arrives, the page still answers at once.
    const asked = Date.now();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    expect(Date.now() - asked).toBeLessThan(1_000);
    await expect(status(box)).toContainText(EXITED_0, { timeout: 90_000 });
    await expect(output(box)).toContainText('line 1000000');
    await expect(box.locator('[data-dropped]')).toContainText(/998[\s\u00a0,]?000/);
    expect(await output(box).locator('.out-line').count()).toBe(2000);
  });

  test('output is text: markup printed by a program is shown, never run', async ({ page }) => {
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss();
    });
    const box = example(page, '07-execution-order');
    await typeCode(box, 'console.log("<img src=x onerror=alert(1)>");\nconsole.log("\\u001b[31mred\\u001b[0m plain");\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(EXITED_0, { timeout: 15_000 });
    await expect(output(box)).toContainText('<img src=x onerror=alert(1)>');
    await expect(output(box).locator('img')).toHaveCount(0);
    await expect(output(box).locator('.ansi-red')).toHaveText('red');
    expect(dialogs).toBe(0);
  });

  test('edits survive a reload, Reset brings the original back, and Undo reset restores the edit', async ({ page }) => {
    const box = example(page, '08-async-generator');
    await appendCode(box, '\n// my note\n');
    await expect(box.locator('[data-edited]')).toBeVisible();
    await page.waitForTimeout(400); // the edit is saved a moment after typing stops
    await page.reload();
    await expect(box.locator('.cm-content')).toContainText('// my note');
    await expect(box.locator('[data-edited]')).toBeVisible();

    await box.locator('[data-action="reset"]').click();
    await expect(box.locator('.cm-content')).not.toContainText('// my note');
    await expect(box.locator('[data-edited]')).toBeHidden();
    await box.locator('[data-action="undo-reset"]').click();
    await expect(box.locator('.cm-content')).toContainText('// my note');

    await box.locator('[data-action="reset"]').click();
    await page.reload();
    await expect(box.locator('[data-pane="typescript"] [data-static-code]')).toBeVisible();
    await expect(box.locator('[data-editor]')).toBeHidden();
    await expect(box.locator('[data-edited]')).toBeHidden();
  });
});

test('the server example scrapes for one user and cancels another from the page', async ({ page }) => {
  test.setTimeout(90_000);
  await page.goto('/en/history/');
  const box = example(page, '04-scraper-server');
  await box.locator('[data-action="run"]').click();
  await expect(output(box)).toContainText('Serving on', { timeout: 15_000 });
  await scrapeAndCancel(box, /scrape alice: 200 \{"images": \[3 PNGs/);

  // The timeline draws each request as a group: alice's bars finished, bob's cut off by the cancel.
  const figure = box.locator('[data-timeline]');
  await expect(figure.locator('.tl-lane--group')).toHaveText([/^alice/, /^bob/]);
  await expect(figure.locator('.tl-lane--group').nth(1)).toHaveClass(/tl-state--cancelled/);
  await expect(figure.locator('.tl-lane--download.tl-state--done')).toHaveCount(3);
  await expect(figure.locator('.tl-lane--download.tl-state--cancelled')).toHaveCount(3);
  await expect(figure.locator('[data-timeline-summary]')).toContainText(/bob: 3 downloads, all overlapping, 3 cancelled, cancelled after [\d,]+ ms/);

  await box.locator('[data-action="stop"]').click();
  await expect(status(box)).toContainText('Stopped');
});

test('a deep link to an example scrolls to it and highlights it', async ({ page }) => {
  await page.goto('/en/what-is-asyncio/#example-02-scraper-async');
  const box = example(page, '02-scraper-async');
  await expect(box).toBeInViewport();
  const outline = await box.evaluate((element) => getComputedStyle(element).outlineStyle);
  expect(outline).toBe('solid');
});

test('with ?runtime=recorded the recorded output stays, with the reason', async ({ page }) => {
  await page.goto('/what-is-asyncio/?runtime=recorded');
  const box = example(page, '01-scraper-sync');
  const recorded = await output(box).textContent();
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText('?runtime=recorded');
  expect(await output(box).textContent()).toBe(`${recorded}`);
});

test('the real WebContainer package, with its host unreachable: "starting the sandbox" while it boots, then the recording with the reason', async ({ page }) => {
  test.setTimeout(90_000);
  const loaded = Date.now();
  await page.goto('/en/what-is-asyncio/?runtime=webcontainer');
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  const box = example(page, '02-scraper-async');
  const recorded = await output(box).textContent();
  const clicked = Date.now();
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText('Starting · WebContainer: starting the sandbox… the first start can take up to 30 s');
  // The boot began when the first example came into view, or at the click: 30 s after that, it gives up.
  await expect(status(box)).toContainText('the WebContainer did not start within 30 s', { timeout: 45_000 });
  await expect(status(box)).toContainText('blocked (by a browser extension, by blocked third-party cookies, or in a private window), or this browser is offline');
  expect(Date.now() - loaded).toBeGreaterThan(29_000);
  expect(Date.now() - clicked).toBeLessThan(40_000);
  expect(await output(box).textContent()).toBe(recorded);
  await expect(box.locator('[data-source-note]')).toContainText('Recorded when the site was built');
});

test('the WebContainer starts booting when the first example comes into view, before any Run', async ({ page }) => {
  await page.goto('/en/how-asyncio-works/?runtime=webcontainer');
  await example(page, '06-blocked-timer').scrollIntoViewIfNeeded();
  // WebContainer.boot() puts the service's hidden iframe into the page: the boot has begun.
  await expect(page.locator('iframe[allow="cross-origin-isolated"]')).toHaveCount(1, { timeout: 10_000 });
  await expect(example(page, '06-blocked-timer').locator('[data-status]')).toHaveText('Showing the output recorded when the site was built.');
});

test('a page inside a frame gets no WebContainer: the reason, the recording, and a link that opens the page in a new tab', async ({ page }) => {
  await page.goto('/en/');
  await page.evaluate(() => {
    const frame = document.createElement('iframe');
    frame.src = '/en/how-asyncio-works/?runtime=webcontainer';
    frame.style.cssText = 'width: 1000px; height: 800px';
    document.body.prepend(frame);
  });
  const framed = page.frameLocator('iframe[src*="how-asyncio-works"]');
  const box = framed.locator('#example-07-execution-order');
  const recorded = await box.locator('[data-output]').textContent();
  await box.locator('[data-action="run"]').click();
  await expect(box.locator('[data-status]')).toContainText('this page is shown inside another page (in a frame), where a WebContainer cannot work: open it on its own.');
  const link = box.locator('[data-status-action]');
  await expect(link).toHaveText('Open this page in a new tab');
  await expect(link).toHaveAttribute('target', '_blank');
  const href = new URL((await link.getAttribute('href')) ?? '');
  expect(`${href.pathname}${href.search}${href.hash}`).toBe('/en/how-asyncio-works/?runtime=webcontainer#example-07-execution-order');
  expect(await box.locator('[data-output]').textContent()).toBe(recorded);
});
