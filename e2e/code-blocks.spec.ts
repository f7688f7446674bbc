/**
 * Code blocks that scroll sideways are focusable, so a keyboard can scroll them: measured when a
 * block comes near the screen (src/code-blocks/focusable-scrollers.ts), again when the window's
 * width changes, and for a Python pane when its tab first shows it. An example's TypeScript code is
 * plain text until it comes near the screen, then highlighted in place without moving anything
 * (src/components/ExampleCode.astro).
 */
import { test, expect, type Locator, type Page } from '@playwright/test';
import { example } from './support/example';

const overflows = (pre: Locator) => pre.evaluate((element) => element.scrollWidth > element.clientWidth);

/** For each code block on the screen: whether it is focusable and whether it overflows, which must agree. */
const onScreen = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.expressive-code pre')]
      .filter((pre) => {
        const box = pre.getBoundingClientRect();
        return box.height > 0 && box.bottom > 0 && box.top < innerHeight;
      })
      .map((pre) => ({ focusable: pre.getAttribute('tabindex') === '0', overflows: pre.scrollWidth > pre.clientWidth })),
  );

test('a code block too wide for the screen becomes focusable, and scrolls from the keyboard', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/en/what-is-asyncio/');
  const box = example(page, '02-scraper-async');
  const pre = box.locator('[data-pane="typescript"] .expressive-code pre');
  await box.scrollIntoViewIfNeeded();
  expect(await overflows(pre)).toBe(true);
  await expect(pre).toHaveAttribute('tabindex', '0');
  await expect(pre).toHaveAttribute('role', 'region');
  await pre.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => pre.evaluate((element) => element.scrollLeft)).toBeGreaterThan(0);

  // The Python pane is stamped when its tab is first shown; its code is measured then.
  await box.getByRole('tab', { name: 'Python' }).click();
  const python = box.locator('[data-pane="python"] .expressive-code pre');
  await expect(python).toBeVisible();
  expect(await overflows(python)).toBe(true);
  await expect(python).toHaveAttribute('tabindex', '0');
});

test('after the window’s width changes, the blocks on screen are focusable exactly when they overflow', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto('/en/python-and-node/');
  // The glossary's first pair of blocks: too wide for a phone, narrow enough for a desktop.
  const pair = page.locator('.sl-markdown-content > starlight-tabs').first();
  await pair.scrollIntoViewIfNeeded();
  await expect.poll(async () => (await onScreen(page)).some((block) => block.overflows)).toBe(true);
  await expect.poll(async () => (await onScreen(page)).every((block) => block.focusable === block.overflows)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });
  await pair.scrollIntoViewIfNeeded();
  // Most of the glossary's short blocks fit a desktop's width: they must have let go of the Tab key.
  await expect.poll(async () => (await onScreen(page)).some((block) => !block.overflows)).toBe(true);
  await expect.poll(async () => (await onScreen(page)).every((block) => block.focusable === block.overflows)).toBe(true);
});

const farBlocks = [
  // The chapter's last example is screens away from the top.
  { name: 'an example', path: '/en/history/', code: (page: Page) => page.locator('book-example').last().locator('[data-pane="typescript"] .expressive-code pre > code') },
  // A block of the prose near the end of the longest chapter.
  { name: 'a prose block', path: '/en/how-asyncio-works/', code: (page: Page) => page.locator('.sl-markdown-content > .expressive-code pre > code').last() },
];

for (const width of [390, 1280]) {
  for (const { name, path, code: find } of farBlocks) {
    test(`${name}'s code is highlighted as it comes near, at the same height and with the same text (${width} px)`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(path);
      const code = find(page);
      await expect(code).toHaveClass('book-code-plain');
      const before = await code.evaluate((element) => ({
        height: element.getBoundingClientRect().height,
        text: element.textContent,
        overflows: element.parentElement!.scrollWidth > element.parentElement!.clientWidth,
      }));
      expect(before.text?.split('\n').length).toBeGreaterThan(3);
      await code.scrollIntoViewIfNeeded();
      await expect(code.locator('.ec-line').first()).toBeVisible();
      const after = await code.evaluate((element) => ({
        height: element.getBoundingClientRect().height,
        // Expressive Code's empty lines hold a newline of their own.
        text: [...element.querySelectorAll('.ec-line')].map((line) => line.textContent?.replace(/\n$/, '')).join('\n'),
        colours: new Set([...element.querySelectorAll('span[style]')].map((span) => span.getAttribute('style'))).size,
        overflows: element.parentElement!.scrollWidth > element.parentElement!.clientWidth,
      }));
      expect(after.height).toBe(before.height);
      // Scrolling sideways or not, both alike: a scrollbar that came or went would change the height
      // in a browser whose scrollbars take room (Firefox's).
      expect(after.overflows).toBe(before.overflows);
      expect(after.text).toBe(before.text);
      expect(after.colours).toBeGreaterThan(2);
    });
  }
}

test('printing shows every block highlighted', async ({ page }) => {
  await page.goto('/en/how-asyncio-works/');
  await expect(page.locator('code.book-code-plain').last()).toBeAttached();
  await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
  await expect(page.locator('code.book-code-plain')).toHaveCount(0);
});

for (const width of [390, 1280]) {
  test(`every block's plain text is as wide as its highlighted lines, so it scrolls sideways exactly when they do (${width} px)`, async ({ page }) => {
    await page.setViewportSize({ width, height: 800 });
    await page.goto('/en/how-asyncio-works/');
    const widths = () =>
      page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.sl-markdown-content pre')].filter((pre) => pre.offsetParent).map((pre) => pre.scrollWidth));
    const plain = await widths();
    expect(await page.locator('code.book-code-plain').count()).toBeGreaterThan(10);
    await page.evaluate(() => dispatchEvent(new Event('beforeprint')));
    const highlighted = await widths();
    expect(highlighted.length).toBe(plain.length);
    // The same text in one run or in a span per token may round a pixel apart.
    highlighted.forEach((w, index) => expect(Math.abs(w - plain[index]!), `block ${index}: ${plain[index]} → ${w}`).toBeLessThanOrEqual(1));
  });
}
