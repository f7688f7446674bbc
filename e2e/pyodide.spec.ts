/**
 * The Python versions in the page itself (Pyodide) on a plain static host: dist/ served with no
 * COOP/COEP headers and no book server, as GitHub Pages serves it.
 */
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/reader';
import { EXITED_0, appendCode, example, output, status, typeCode } from './support/example';
import { readMeta, readPythonRecording } from '../src/examples/files.ts';

const origin = process.env.E2E_PLAIN_ORIGIN as string;
const PYODIDE = /Pyodide 314\.\d+\.\d+ \(CPython 3\.14\) (in this page|в этой странице)/;

/** A line without its timestamp. */
const message = (line: string) => line.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /, '');
const printed = async (pane: Locator) => (await output(pane).innerText()).split('\n').filter(Boolean).map(message);

async function pythonPane(page: Page, id: string, locale: 'ru' | 'en'): Promise<Locator> {
  await page.goto(`${origin}${locale === 'en' ? '/en' : ''}/${readMeta(id).chapter}/`);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  // In view and settled first, so the tab does not move under the click.
  await example(page, id).scrollIntoViewIfNeeded();
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  await example(page, id).getByRole('tab', { name: 'Python' }).click();
  return example(page, id).locator('[data-pane="python"]');
}

/** What each example shows, checked against the real Pyodide run. */
const checks: Record<string, (lines: string[]) => void> = {
  '03-fibonacci': (lines) => {
    expect(lines).toContain('Sync fib(20) = 6765');
    expect(lines).toContain('Async fib(20) = 6765');
  },
  // CPython's order, line for line: the book's event loop in Pyodide is CPython's own.
  '07-execution-order': (lines) => expect(lines).toEqual(readPythonRecording('07-execution-order')!.lines.map((line) => message(line.text))),
  '08-async-generator': (lines) => {
    expect(lines.filter((line) => line.startsWith('Consumer: got '))).toHaveLength(5);
    expect(lines.at(-1)).toBe('Consumer: done');
  },
  '06-blocked-timer': (lines) => {
    // The tick after time.sleep(0.5) comes about 0.5 s late: time.sleep() blocks the loop, as in CPython.
    const after = lines.indexOf('Synchronous sleep ends');
    expect(after).toBeGreaterThan(0);
    const late = Number(/Tick \d+: (\d+) ms since the previous tick/.exec(lines[after + 1] ?? '')?.[1]);
    expect(late).toBeGreaterThanOrEqual(500);
    // Before the CPU loop the ticks can come on time; on a loaded machine one of them may be late too,
    // so this asks for one on-time tick, not three (the figures themselves belong to npm run bench).
    const beforeBusy = lines.filter((line) => /^Tick \d+: /.test(line)).slice(0, 3).map((line) => Number(/: (\d+) ms/.exec(line)?.[1]));
    expect(Math.min(...beforeBusy)).toBeLessThan(400);
  },
};

for (const locale of ['ru', 'en'] as const) {
  for (const id of Object.keys(checks)) {
    test(`${locale}: ${id}'s Python version runs in the page with Pyodide`, async ({ page }) => {
      test.setTimeout(90_000);
      const pane = await pythonPane(page, id, locale);
      await pane.locator('[data-action="run"]').click();
      await expect(status(pane)).toContainText(PYODIDE, { timeout: 15_000 });
      await expect(status(pane)).toContainText(EXITED_0, { timeout: 60_000 });
      checks[id]!(await printed(pane));
    });
  }
}

test('a reader’s Python edit runs, a traceback names main.py, and the next run finds Pyodide loaded', async ({ page }) => {
  test.setTimeout(90_000);
  const pane = await pythonPane(page, '07-execution-order', 'en');
  await appendCode(pane, '\nprint("edited by the reader")\n');
  await pane.locator('[data-action="run"]').click();
  await expect(status(pane)).toContainText(EXITED_0, { timeout: 60_000 });
  await expect(output(pane)).toContainText('edited by the reader');
  await typeCode(pane, 'def fail():\n    raise ValueError("broken on purpose")\n\nfail()\n');
  const started = Date.now();
  await pane.locator('[data-action="run"]').click();
  await expect(status(pane)).toContainText(/Exited with code 1/, { timeout: 30_000 });
  test.info().annotations.push({ type: 'warm run', description: `${Date.now() - started} ms to the exit` });
  await expect(output(pane)).toContainText('File "main.py", line 4, in <module>');
  await expect(output(pane)).toContainText('File "main.py", line 2, in fail');
  await expect(output(pane)).toContainText('ValueError: broken on purpose');
  await expect(output(pane)).not.toContainText('book-driver');
});

test('Stop ends `while True: pass` in the page', async ({ page }) => {
  test.setTimeout(90_000);
  const pane = await pythonPane(page, '07-execution-order', 'en');
  await typeCode(pane, 'print("spinning", flush=True)\nwhile True:\n    pass\n');
  await pane.locator('[data-action="run"]').click();
  await expect(output(pane)).toContainText('spinning', { timeout: 60_000 });
  await pane.locator('[data-action="stop"]').click();
  await expect(status(pane)).toContainText('Stopped', { timeout: 2_000 });
});

test('a Python version that needs sockets shows the CPython recording, and says why and what runs it (ru)', async ({ page }) => {
  const pane = await pythonPane(page, '02-scraper-async', 'ru');
  await pane.locator('[data-action="run"]').click();
  await expect(status(pane)).toContainText(/нужна сеть \(aiohttp\).*npm start/, { timeout: 15_000 });
  await expect(output(pane)).toContainText(message(readPythonRecording('02-scraper-async')!.lines.at(-1)!.text));
});
