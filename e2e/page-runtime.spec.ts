/**
 * The in-page runtime on a plain static host: dist/ served with no COOP/COEP headers and no book
 * server (as GitHub Pages serves it), so every example runs in the page's own Web Workers.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { test, expect } from './support/reader';
import { EXITED_0, appendCode, example, output, status, typeCode } from './support/example';

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
};

const recordedLines = (id: string): string[] => {
  const recorded = JSON.parse(readFileSync(`content/examples/${id}/recorded.json`, 'utf8')) as { lines: { text: string }[] };
  return recorded.lines.map((line) => line.text).filter(Boolean);
};
/** A line without its timestamp and without the figures that change from run to run. */
const shape = (line: string) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '').replace(/\d+ ms/g, 'N ms').replace(/[\d.]+x/g, 'Nx');

const examples = readdirSync('content/examples')
  .filter((name) => /^\d\d-/.test(name))
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
