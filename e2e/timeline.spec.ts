// The timeline under an example, drawn from real runs through the local runtime.
import type { Locator } from '@playwright/test';
import { test, expect } from './support/reader';
import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { EXITED_0, RUNNING, example, status, typeCode } from './support/example';

interface Box {
  left: number;
  right: number;
}

function timeline(box: Locator): Locator {
  return box.locator('[data-timeline]');
}

/** Where each matching shape is drawn, in pixels, in document order. */
function boxes(shapes: Locator): Promise<Box[]> {
  return shapes.evaluateAll((elements) =>
    elements.map((element) => {
      const rect = element.getBoundingClientRect();
      return { left: rect.left, right: rect.right };
    }));
}

/** Where each download's bar is drawn, in the order of the lanes. */
function bars(scope: Locator): Promise<Box[]> {
  return boxes(scope.locator('.tl-lane--download .tl-bar'));
}

/** Bars overlap when they share more than a pixel (touching end to start is not overlapping). */
const overlap = (a: Box, b: Box) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1;

function pairs<T>(items: T[]): [T, T][] {
  return items.flatMap((a, i) => items.slice(i + 1).map((b) => [a, b] as [T, T]));
}

async function runToEnd(box: Locator): Promise<void> {
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText(EXITED_0, { timeout: 30_000 });
  await expect(timeline(box)).toContainText('from the output of your run');
}

test('after the sequential scraper runs, no two of its bars overlap', async ({ page }) => {
  await page.goto('/en/what-is-asyncio/');
  const box = example(page, '01-scraper-sync');
  await runToEnd(box);
  const drawn = await bars(timeline(box));
  expect(drawn).toHaveLength(5);
  for (const [a, b] of pairs(drawn)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(false);
  // Each starts where the previous one ended, left to right.
  for (let i = 1; i < drawn.length; i++) expect(drawn[i]!.left).toBeGreaterThanOrEqual(drawn[i - 1]!.right - 1);
  await expect(timeline(box).locator('[data-timeline-summary]')).toHaveText(/^5 downloads, one after another, none overlapping, [\d,]+ ms in total\.$/);
});

test('after the concurrent scraper runs, every bar overlaps every other', async ({ page }) => {
  await page.goto('/en/what-is-asyncio/');
  const box = example(page, '02-scraper-async');
  await runToEnd(box);
  const drawn = await bars(timeline(box));
  expect(drawn).toHaveLength(5);
  for (const [a, b] of pairs(drawn)) expect(overlap(a, b), JSON.stringify([a, b])).toBe(true);
  await expect(timeline(box).locator('[data-timeline-summary]')).toHaveText(/^5 downloads, all overlapping, [\d,]+ ms in total\.$/);
});

test('one click sets the sequential run beside the concurrent one, on one axis', async ({ page }) => {
  await page.goto('/what-is-asyncio/');
  const box = example(page, '02-scraper-async');
  const figure = timeline(box);
  await box.locator('[data-action="compare"]').click();
  const sections = figure.locator('[role="list"]');
  await expect(sections.nth(0)).toHaveAttribute('aria-label', 'Закреплено: записан при сборке · Синхронная загрузка картинок');
  await expect(figure.locator('.tl-section')).toHaveText([/^Закреплено: записан при сборке · Синхронн/, 'Записанный запуск']);

  // Now a live run of the concurrent scraper beside the pinned sequential one.
  await box.locator('[data-action="run"]').click();
  await expect(status(box)).toContainText(EXITED_0, { timeout: 30_000 });
  await expect(figure.locator('.tl-section')).toHaveText([/^Закреплено: записан при сборке · Синхронн/, 'Этот запуск']);
  await expect(figure.locator('.tl-baseline')).toHaveCount(1);
  const [pinned, current] = [figure.locator('[role="list"]').nth(0), figure.locator('[role="list"]').nth(1)];
  const sequential = await bars(pinned);
  const concurrent = await bars(current);
  expect(sequential).toHaveLength(5);
  expect(concurrent).toHaveLength(5);
  // Same scale: both start at the left edge, and the sequential run reaches much further right.
  const left = Math.min(...sequential.map((bar) => bar.left));
  expect(Math.abs(Math.min(...concurrent.map((bar) => bar.left)) - left)).toBeLessThan(60);
  const sequentialEnd = Math.max(...sequential.map((bar) => bar.right)) - left;
  const concurrentEnd = Math.max(...concurrent.map((bar) => bar.right)) - left;
  expect(concurrentEnd).toBeLessThan(sequentialEnd * 0.7);
  await expect(figure.locator('[data-timeline-summary]')).toHaveText(/5 загрузок, одна за другой.*Этот запуск: 5 загрузок, все идут одновременно/);

  const results = await new AxeBuilder({ page }).include('#example-02-scraper-async [data-timeline]').withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations).toEqual([]);

  await box.locator('[data-action="unpin"]').click();
  await expect(figure.locator('.tl-section')).toHaveCount(0);
  await expect(figure.locator('.tl-lane--download')).toHaveCount(5);

  // Pinning the example's own run keeps it while the next run is drawn beside it.
  await box.locator('[data-action="pin"]').click();
  await expect(sections).toHaveCount(2);
  await expect(sections.nth(0)).toHaveAttribute('aria-label', 'Закреплено: ваш запуск · Асинхронная загрузка картинок');
  await expect(figure.locator('.tl-section').nth(1)).toHaveText('Этот запуск');
});

test('the timeline follows an edit that adds URLs, and draws while the program runs', async ({ page }) => {
  await page.goto('/en/what-is-asyncio/');
  const box = example(page, '02-scraper-async');
  const original = readFileSync('content/examples/02-scraper-async/main.ts', 'utf8');
  const last = '`${IMAGE_SERVER}/img/5.png?delay=400`,';
  expect(original).toContain(last);
  // Three more images (the image server has five, so 9 is missing: a failed bar), one of them slow.
  const added = ['1.png?delay=600', '2.png?delay=650', '3.png?delay=2500', '9.png?delay=100']
    .map((file) => `  \`\${IMAGE_SERVER}/img/${file}\`,`).join('\n');
  await typeCode(box, original.replace(last, `${last}\n${added}`));
  await box.locator('[data-action="run"]').click();

  // While the slowest download still waits, its bar is already there and still growing.
  await expect(status(box)).toContainText(RUNNING, { timeout: 15_000 });
  const slow = timeline(box).locator('.tl-lane--download', { hasText: 'img/3.png?delay=2500' });
  await expect(slow).toHaveClass(/tl-state--running/, { timeout: 5_000 });
  const early = Number(await slow.getAttribute('data-end'));
  await expect.poll(async () => Number(await slow.getAttribute('data-end')), { timeout: 5_000 }).toBeGreaterThan(early + 200);

  await expect(status(box)).toContainText(EXITED_0, { timeout: 30_000 });
  await expect(timeline(box).locator('.tl-lane--download')).toHaveCount(9);
  await expect(slow).toHaveClass(/tl-state--done/);
  const missing = timeline(box).locator('.tl-lane--download', { hasText: 'img/9.png' });
  await expect(missing).toHaveClass(/tl-state--failed/);
  await expect(missing.locator('.tl-value')).toHaveText(/^failed: status 404 · [\d,]+ ms$/);
  for (const [a, b] of pairs(await bars(timeline(box)))) expect(overlap(a, b)).toBe(true);
  await expect(timeline(box).locator('[data-timeline-summary]')).toHaveText(/^9 downloads, all overlapping, 1 failed, [\d,]+ ms in total\.$/);
});

test('every bar can be reached with the keyboard and tells its start, end and duration', async ({ page }) => {
  await page.goto('/en/what-is-asyncio/');
  const box = example(page, '01-scraper-sync');
  // The last of the timeline's tools (the next, Unpin, is hidden until something is pinned).
  await box.locator('[data-pane="typescript"] [data-action="compare-language"]').focus();
  await page.keyboard.press('Tab');
  const first = timeline(box).locator('.tl-lane').first();
  await expect(first).toBeFocused();
  await expect(first).toHaveAttribute('aria-label', /^http:\/\/127\.0\.0\.1:\d+\/img\/1\.png\?delay=300: finished, from 0 to [\d,]+ ms, [\d,]+ ms/);
  await expect(first.locator('.tl-detail')).toBeVisible();
  await expect(first.locator('.tl-detail')).toHaveText(/^0–[\d,]+ ms · [\d,]+ ms$/);
  await page.keyboard.press('Tab');
  await expect(timeline(box).locator('.tl-lane').nth(1)).toBeFocused();
});

test('the blocked timer: its late ticks are gaps over the time the one thread was busy', async ({ page }) => {
  await page.goto('/en/how-asyncio-works/');
  const figure = timeline(example(page, '06-blocked-timer'));
  const late = await boxes(figure.locator('.tl-lane .tl-late'));
  const busy = await boxes(figure.locator('.tl-lane--phase .tl-bar'));
  expect(late).toHaveLength(2);
  expect(busy).toHaveLength(2);
  late.forEach((gap, i) => expect(overlap(gap, busy[i]!)).toBe(true));
  await expect(figure.locator('[data-timeline-summary]')).toContainText(/Timer: 13 ticks, 2 late/);
});

test('examples whose output has nothing to draw show no timeline', async ({ page }) => {
  await page.goto('/en/how-asyncio-works/');
  await expect(timeline(example(page, '07-execution-order'))).toBeHidden();
  await expect(timeline(example(page, '08-async-generator'))).toBeHidden();
});
