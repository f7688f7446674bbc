/**
 * The Python tab of every example, in both languages: it shows the run recorded with CPython (its
 * lines, what made it, its timeline) before anything runs; it keeps its own edits, apart from the
 * TypeScript tab's.
 */
import { readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './support/reader';
import { appendCode, example, scrapeAndCancel, typeCode } from './support/example';
import { chapterPath } from '../src/examples/embed.ts';
import { readMeta, readPythonRecording, readRecording } from '../src/examples/files.ts';

const ids = readdirSync('content/examples').filter((name) => /^\d\d-/.test(name));
const chapters = [...new Set(ids.map((id) => readMeta(id).chapter))];

async function showPython(page: Page, id: string): Promise<void> {
  // Brought into view first, and given two frames to settle, so the tab does not move under the click.
  await example(page, id).scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  // Starlight syncs the tabs of one key: one click shows Python in every example of the page.
  await example(page, id).getByRole('tab', { name: 'Python' }).click();
  await expect(example(page, id).getByRole('tab', { name: 'Python' })).toHaveAttribute('aria-selected', 'true');
}

for (const locale of ['ru', 'en'] as const) {
  for (const chapter of chapters) {
    const onPage = ids.filter((id) => readMeta(id).chapter === chapter);
    test(`${locale} ${chapter}: the Python tab of ${onPage.join(', ')} shows the run recorded with CPython`, async ({ page }) => {
      await page.goto(chapterPath(chapter, locale));
      await showPython(page, onPage[0]!);
      for (const id of onPage) {
        const recording = readPythonRecording(id)!;
        const pane = example(page, id).locator('[data-pane="python"]');
        const shown = pane.locator('[data-output]');
        await expect(shown).toHaveText(recording.lines.map((line) => `${line.text}\n`).join(''));
        // Different from the TypeScript run: it is the Python program's own output.
        expect(recording.lines.map((line) => line.text)).not.toEqual(readRecording(id)!.lines.map((line) => line.text));
        await expect(pane.locator('[data-source-note]')).toContainText(`CPython ${recording.python}`);
        await expect(pane.locator('[data-action="run"]')).toBeAttached();
        // Where the TypeScript run draws a timeline, so does the Python one.
        const typescriptTimeline = example(page, id).locator('[data-pane="typescript"] [data-timeline]');
        if (await typescriptTimeline.isVisible()) await expect(pane.locator('[data-timeline]')).toBeVisible();
      }
    });
  }
}

test('the tabs keep their own edits: a Python edit comes back after a reload, and the TypeScript tab stays as it was', async ({ page }) => {
  await page.goto('/en/how-asyncio-works/');
  const box = example(page, '08-async-generator');
  await showPython(page, '08-async-generator');
  await appendCode(box.locator('[data-pane="python"]'), '\n# a Python edit\n');
  await page.waitForTimeout(400); // saved 250 ms after typing stops
  await page.reload();
  // The Python tab is still the shown one (Starlight keeps it), with the edit in its editor (at the
  // end of the file: CodeMirror draws only the lines near the view).
  const editor = box.locator('[data-pane="python"] .cm-content');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+End');
  await expect(editor).toContainText('# a Python edit');
  await expect(box.locator('[data-edited]')).toBeVisible();
  await box.getByRole('tab', { name: /TypeScript/ }).click();
  const typescript = box.locator('[data-pane="typescript"]');
  await expect(typescript.locator('[data-static-code]')).toBeVisible();
  await expect(typescript.locator('[data-editor]')).toBeHidden();
  await expect(typescript).not.toContainText('# a Python edit');
});

test('a Python syntax error is marked in the editor, points at its line, and nothing runs', async ({ page }) => {
  await page.goto('/how-asyncio-works/');
  const box = example(page, '07-execution-order');
  await showPython(page, '07-execution-order');
  const pane = box.locator('[data-pane="python"]');
  await typeCode(pane, 'print("fine")\nbroken = (\n');
  await pane.locator('[data-action="run"]').click();
  await expect(pane.locator('[data-status]')).toContainText(/строке 2/);
  await expect(pane.locator('[data-output]')).toContainText("'(' was never closed");
  await expect(pane.locator('[data-output]')).not.toContainText('fine');
  await expect(pane.locator('.cm-lintRange-error')).toHaveCount(1);
  // The TypeScript tab knows nothing of it.
  await expect(box.locator('[data-pane="typescript"] [data-editor]')).toBeHidden();
});

test('the TypeScript run and the Python run of the concurrent scraper, on one axis', async ({ page }) => {
  await page.goto('/en/what-is-asyncio/');
  const figure = example(page, '02-scraper-async').locator('[data-pane="typescript"] [data-timeline]');
  await figure.locator('[data-action="compare-language"]').click();
  await expect(figure.locator('.tl-section')).toHaveText(['Pinned: recorded at build · Python', 'Recorded run']);
  const [python, typescript] = [figure.locator('[role="list"]').nth(0), figure.locator('[role="list"]').nth(1)];
  await expect(python.locator('.tl-lane--download')).toHaveCount(5);
  await expect(typescript.locator('.tl-lane--download')).toHaveCount(5);
  await expect(figure.locator('.tl-baseline')).toHaveCount(1);
  await expect(figure.locator('[data-timeline-summary]')).toHaveText(/5 downloads, all overlapping.*Recorded run: 5 downloads, all overlapping/);
});

/** A recorded or shown line's message, with its numbers (times, sizes) left out. */
const shape = (text: string) => text.replace(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} /, '').replace(/\d+/g, 'N');

test.describe('through npm start, every Python version runs with the local CPython', () => {
  for (const id of ids.filter((id) => readMeta(id).kind !== 'server')) {
    test(`${id}`, async ({ page }) => {
      test.setTimeout(60_000);
      const meta = readMeta(id);
      await page.goto(chapterPath(meta.chapter, 'en'));
      await showPython(page, id);
      const pane = example(page, id).locator('[data-pane="python"]');
      await pane.locator('[data-action="run"]').click();
      const recording = readPythonRecording(id)!;
      await expect(pane.locator('[data-status]')).toContainText(`Exited with code ${recording.exitCode}`, { timeout: 45_000 });
      await expect(pane.locator('[data-status]')).toContainText(/local CPython 3\.\d+\.\d+/);
      const lines = (await pane.locator('[data-output]').innerText()).split('\n').filter((line) => line !== '');
      // The same lines as the recording, in any order (concurrent downloads may end in another). A
      // ticker's lines (06, 24) count only once: how many ticks fit into the run depends on the machine's load.
      const tally = (texts: string[]) => [...new Set(texts.map(shape).map((kind, i, all) => (kind.startsWith('Tick ') ? kind : `${kind} #${all.slice(0, i + 1).filter((k) => k === kind).length}`)))].sort();
      expect(tally(lines)).toEqual(tally(recording.lines.map((line) => line.text)));
    });
  }

  test('04-scraper-server: the Python server answers the page’s clients and cancels a user’s downloads', async ({ page }) => {
    test.setTimeout(90_000);
    await page.goto('/en/history/');
    await showPython(page, '04-scraper-server');
    const pane = example(page, '04-scraper-server').locator('[data-pane="python"]');
    await pane.locator('[data-action="run"]').click();
    await expect(pane.locator('[data-output]')).toContainText('Serving on', { timeout: 15_000 });
    await expect(pane.locator('[data-status]')).toContainText(/local CPython 3\.\d+\.\d+/);
    await scrapeAndCancel(pane, /scrape alice: 200 \{"images": \[3 PNGs/);
    await pane.locator('[data-action="stop"]').click();
    await expect(pane.locator('[data-status]')).toContainText('Stopped');
  });
});
