/**
 * The offline copy (src/integrations/offline.ts, src/offline/client.ts) on a plain static host:
 * after one visit, with the network cut (Playwright's offline mode), chapters of both languages
 * open, search answers, examples run in the page (Pyodide too, once it was loaded); after a new
 * build, the new version replaces the old one in every tab, when the reader says so.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { writeServiceWorker } from '../src/integrations/offline.ts';
import { EXITED_0, example, output, status } from './support/example';

test.use({ serviceWorkers: 'allow' });

const origin = process.env.E2E_PLAIN_ORIGIN as string;
const IN_PAGE = /(this page’s JavaScript|JavaScript этой страницы)/;
const OFFLINE_NOTE = /Offline: this is the copy of the book kept in your browser|Нет сети: это копия книги, сохранённая в браузере/;

/** Waits until the worker has kept the book (its install, which fetches every file, is over). */
async function kept(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (!registration.active) throw new Error('no active worker');
  });
}

test('after one visit, chapters, search and an in-page example work with the network cut', async ({ page, context }) => {
  test.setTimeout(120_000);
  await page.goto(`${origin}/en/history/`);
  await kept(page);
  await context.setOffline(true);

  await page.reload();
  await expect(page.locator('h1')).toContainText('How asyncio came about');
  await expect(page.locator('[data-offline-note]')).toContainText(OFFLINE_NOTE);
  const axe = await new AxeBuilder({ page }).include('[data-offline-note]').withTags(['wcag2a', 'wcag2aa', 'wcag21aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  // Another chapter, in the other language, never opened before.
  await page.goto(`${origin}/how-asyncio-works/`);
  await expect(page.locator('h1')).toContainText('Как работает asyncio');
  await expect(page.locator('[data-offline-note]')).toContainText(OFFLINE_NOTE);

  // Search: Pagefind's index and its code come from the kept copy.
  await page.locator('button[data-open-modal]').first().click();
  await page.locator('dialog[open] input').fill('корутина');
  await expect(page.locator('dialog[open] .pagefind-ui__result-link').first()).toBeVisible({ timeout: 15_000 });
  await page.keyboard.press('Escape');

  // The recorded output is there before a run, and a run in the page works.
  const box = example(page, '07-execution-order');
  await expect(output(box)).not.toBeEmpty();
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText(IN_PAGE, { timeout: 15_000 });
  await expect(status(box)).toContainText(EXITED_0, { timeout: 45_000 });

  // The network comes back: the note goes.
  await context.setOffline(false);
  await expect(page.locator('[data-offline-note]')).toBeHidden();
});

test('Pyodide, once loaded by a Python run, runs offline too', async ({ page, context }) => {
  test.setTimeout(180_000);
  await page.goto(`${origin}/en/how-asyncio-works/`);
  await kept(page);
  const run = async () => {
    const box = example(page, '07-execution-order');
    await box.getByRole('tab', { name: 'Python' }).click();
    const pane = box.locator('[data-pane="python"]');
    await pane.locator('[data-action="run"]').click();
    await expect(status(pane)).toContainText(EXITED_0, { timeout: 90_000 });
    await expect(status(pane)).toContainText(/Pyodide/);
  };
  await run();
  await context.setOffline(true);
  await page.reload();
  await expect(page.locator('[data-offline-note]')).toContainText(OFFLINE_NOTE);
  await run();
});

test.describe('a new build', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  // A server of its own, over a copy of dist/: the test changes a page and builds the worker again.
  const port = Number(new URL(origin).port) + 20;
  const copyOrigin = `http://127.0.0.1:${port}`;

  const serve = async () => {
    server = spawn(process.execPath, ['scripts/serve.ts', '--plain-host', '--host', '127.0.0.1', '--port', String(port), '--dist', dir], { stdio: 'ignore' });
    await expect.poll(async () => (await fetch(copyOrigin).catch(() => null))?.status ?? 0, { timeout: 20_000 }).toBe(200);
  };
  const stop = async () => {
    if (!server) return;
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill();
    await exited;
    server = undefined;
  };

  test.beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'book-offline-'));
    await cp('dist', dir, { recursive: true });
  });
  test.afterAll(async () => {
    await stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('replaces the old one in every open tab when the reader reloads, and not before', async ({ context }) => {
    test.setTimeout(120_000);
    await serve();
    const first = await context.newPage();
    await first.goto(`${copyOrigin}/en/history/`);
    await kept(first);
    // A reader who has been here before: both tabs are served by the worker of this build.
    await first.reload();
    expect(await first.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    const second = await context.newPage();
    await second.goto(`${copyOrigin}/en/libraries/`);
    await expect(second.locator('h1')).toBeVisible();
    expect(await second.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

    // The deploy: a changed chapter, a new worker (the compressed copies of both go, as a build
    // would rewrite them), the server restarted on the same address.
    await stop();
    const page = path.join(dir, 'en/history/index.html');
    const html = await readFile(page, 'utf8');
    await writeFile(page, html.replace('How asyncio came about</h1>', 'How asyncio came about (second edition)</h1>'));
    await writeServiceWorker(dir);
    for (const file of [page, path.join(dir, 'sw.js')]) for (const suffix of ['.br', '.gz']) await rm(file + suffix, { force: true });
    await serve();

    // The browser looks for a new worker on navigations; here the test asks at once.
    await first.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const note = first.locator('[data-offline-note]');
    await expect(note).toContainText('A new version of the book is out.', { timeout: 30_000 });
    await expect(second.locator('[data-offline-note]')).toContainText('A new version of the book is out.');
    // Until the reader says so, each tab keeps its version, page and scripts.
    await first.reload();
    await expect(first.locator('h1')).toHaveText('III. How asyncio came about');

    await expect(note.getByRole('button', { name: 'Reload the page' })).toBeVisible();
    const reloaded = second.waitForEvent('load');
    await note.getByRole('button', { name: 'Reload the page' }).click();
    await expect(first.locator('h1')).toHaveText('III. How asyncio came about (second edition)', { timeout: 30_000 });
    await reloaded;
    await second.goto(`${copyOrigin}/en/history/`);
    await expect(second.locator('h1')).toHaveText('III. How asyncio came about (second edition)');
  });
});
