/**
 * The output under an example, flooded as a reader's edit can flood it: one line of tens of
 * megabytes without a newline, hundreds of thousands of lines, lines full of escape sequences.
 * The page must stay usable and show what a terminal would: the beginning of the long line with
 * a note of how much more there was, the last lines with a count of the rest, the printable text.
 */
import type { Locator } from '@playwright/test';
import { test, expect } from './support/reader';
import { EXITED_0, example, output, status, typeCode } from './support/example';

const MB = 1 << 20;
/** Kept of a line too long to keep (src/sandbox/output-buffer.ts MAX_LINE_CHARS). */
const KEPT = 10_000;
/** The local runtime stops a run after this much output (src/runtime/local/server/handler.ts). */
const OUTPUT_LIMIT = 64 * MB;

/** A program that prints one line of `megabytes` MB in 1 MB writes, then a newline and a last line. */
const longLine = (megabytes: number) =>
  `const chunk = "x".repeat(${MB});\n` +
  `for (let i = 0; i < ${megabytes}; i++) process.stdout.write(chunk);\n` +
  'process.stdout.write("\\n");\n' +
  'console.log("the line after the flood");\n';

/** A number as the page writes it: "62,904,560" in English, "62 904 560" (no-break spaces) in Russian. */
const grouped = (count: number, locale: 'ru' | 'en') => count.toLocaleString(locale);

async function firstRowKeepsTheBeginning(box: Locator): Promise<void> {
  const first = output(box).locator('.out-line').first();
  const kept = await first.evaluate((row) => row.firstChild?.textContent ?? '');
  expect(kept).toBe('x'.repeat(KEPT));
}

test.describe('output floods (local runtime)', () => {
  test.describe.configure({ timeout: 90_000 });

  test('ru: a 60 MB line without a newline shows its beginning, how much more it had, and the next line', async ({ page }) => {
    await page.goto('/how-asyncio-works/');
    const box = example(page, '07-execution-order');
    await typeCode(box, longLine(60));
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(EXITED_0, { timeout: 60_000 });
    await firstRowKeepsTheBeginning(box);
    await expect(output(box).locator('.out-cut')).toHaveText(
      `… и ещё ${grouped(60 * MB - KEPT, 'ru')} символов этой строки не показано`,
    );
    await expect(output(box).locator('.out-line').last()).toHaveText('the line after the flood');
    await expect(output(box).locator('.out-line')).toHaveCount(2);
  });

  test('en: a 100 MB line is stopped at the output limit of the runtime, after its beginning and a count of the rest', async ({ page }) => {
    await page.goto('/en/how-asyncio-works/');
    const box = example(page, '07-execution-order');
    await typeCode(box, longLine(100));
    await box.locator('[data-action="run"]').click();
    // The runtime kills the program once it has printed OUTPUT_LIMIT bytes: exactly that much arrived.
    await expect(status(box)).toContainText('Exited with code 137', { timeout: 60_000 });
    await firstRowKeepsTheBeginning(box);
    await expect(output(box).locator('.out-cut')).toHaveText(
      `… and ${grouped(OUTPUT_LIMIT - KEPT, 'en')} more characters of this line not shown`,
    );
    // The sandbox's words come after the line they are about, not before it.
    await expect(output(box).locator('.out-line').last()).toContainText('The program printed more than 64 MB, the limit of local Node');
    await expect(output(box).locator('.out-line')).toHaveCount(2);
  });

  test('200,000 lines show the last 2000 with a count of the dropped ones', async ({ page }) => {
    await page.goto('/en/how-asyncio-works/');
    const box = example(page, '07-execution-order');
    await typeCode(box, 'for (let i = 1; i <= 200_000; i++) console.log("line " + i);\n');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(EXITED_0, { timeout: 60_000 });
    await expect(box.locator('[data-dropped]')).toHaveText('Showing the last lines; 198,000 earlier lines were dropped.');
    await expect(output(box).locator('.out-line').last()).toHaveText('line 200000');
    await expect(output(box).locator('.out-line').first()).toHaveText('line 198001');
    await expect(output(box).locator('.out-line')).toHaveCount(2000);
  });

  for (const locale of ['ru', 'en'] as const) {
    test(`${locale}: escape sequences that are not colours vanish and leave their text`, async ({ page }) => {
      await page.goto(`${locale === 'en' ? '/en' : ''}/how-asyncio-works/`);
      const box = example(page, '07-execution-order');
      await typeCode(
        box,
        'console.log("\\u001b[2Khello \\u001b[1mbold\\u001b[0m");\n' +
          'console.log("see \\u001b]8;;http://x\\u001b\\\\link\\u001b]8;;\\u001b\\\\ here");\n' +
          'console.log("\\u001b[?25l\\u001b[1A\\u001b[2Kprogress 100%\\u001b[?25h");\n',
      );
      await box.locator('[data-action="run"]').click();
      await expect(status(box)).toContainText(EXITED_0, { timeout: 15_000 });
      const rows = output(box).locator('.out-line');
      await expect(rows).toHaveText(['hello bold', 'see link here', 'progress 100%']);
      await expect(rows.first().locator('.ansi-bold')).toHaveText('bold');
      const raw = await output(box).evaluate((pre) => pre.textContent ?? '');
      expect(raw).not.toContain('\u001b');
    });
  }
});
