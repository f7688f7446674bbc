/** A reader's edits across tabs and when the browser cannot keep them. */
import type { Page } from '@playwright/test';
import { test, expect } from './support/reader';
import { appendCode, example } from './support/example';

const PAGE = '/en/how-asyncio-works/';
const ID = '08-async-generator';
const SAVED_AFTER_MS = 400; // the edit is saved 250 ms after typing stops

const code = (page: Page) => example(page, ID).locator('.cm-content');

test('a second tab that opened the editor and is closed loses no edit, and the tabs follow each other’s saves', async ({ context }) => {
  const a = await context.newPage();
  const b = await context.newPage();
  await a.goto(PAGE);
  await b.goto(PAGE);
  // B opens the editor first, on the original…
  await example(b, ID).locator('[data-action="edit"]').click();
  await expect(code(b)).toBeVisible();
  // …then the reader edits in A.
  await appendCode(example(a, ID), '\n// typed in tab A\n');
  await a.waitForTimeout(SAVED_AFTER_MS);
  await expect(code(b)).toContainText('// typed in tab A'); // B shows A's save
  await expect(example(b, ID).locator('[data-edited]')).toBeVisible();

  await b.close({ runBeforeUnload: true }); // B goes away (pagehide) without the reader typing there
  await a.reload();
  await expect(code(a)).toContainText('// typed in tab A');

  // A tab opened later shows the edit too; a Reset in one tab reaches the other.
  const c = await context.newPage();
  await c.goto(PAGE);
  await expect(code(c)).toContainText('// typed in tab A');
  await example(c, ID).locator('[data-action="reset"]').click();
  await expect(code(a)).not.toContainText('// typed in tab A');
  await expect(example(a, ID).locator('[data-edited]')).toBeHidden();
});

for (const locale of ['en', 'ru'] as const) {
  test(`${locale}: when the browser’s storage is full, the reader is told next to the editor and the edit stays in it`, async ({ page }) => {
    await page.goto(`${locale === 'en' ? '/en' : ''}/how-asyncio-works/`);
    // Fill the origin's localStorage to its quota, as years of other pages of a site could.
    await page.evaluate(() => {
      let size = 1 << 20;
      for (let i = 0; size >= 16; i++) {
        try {
          localStorage.setItem(`filler-${i}`, 'x'.repeat(size));
        } catch {
          size >>= 1;
        }
      }
    });
    const box = example(page, ID);
    await appendCode(box, '\n// an edit with nowhere to go\n');
    const note = box.locator('[data-save-error]');
    await expect(note).toBeVisible({ timeout: 2_000 });
    await expect(note).toContainText(locale === 'en' ? 'could not be saved in this browser (the site’s storage is full)' : 'не сохранилась в этом браузере (хранилище сайта переполнено)');
    await expect(code(page)).toContainText('// an edit with nowhere to go');

    // Room again: the next save works and the note goes.
    await page.evaluate(() => {
      for (const key of Object.keys(localStorage)) if (key.startsWith('filler-')) localStorage.removeItem(key);
    });
    await appendCode(box, '// and now it fits\n');
    await expect(note).toBeHidden({ timeout: 2_000 });
    await page.reload();
    await expect(code(page)).toContainText('// and now it fits');
  });
}
