/**
 * Exercises as a student uses them, in both languages: a "predict" answered wrong, then right with
 * the buttons and the keyboard, kept over a reload, confirmed by a live run; a "fix" run as given
 * (not fixed), then with the solution typed in (fixed), kept over a reload; with the recording only,
 * the verdict says it judged the recording. Each exercise of the book works in the page on a plain
 * static host. axe checks an exercise after it was answered, explanation open.
 */
import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './support/reader';
import { EXITED_0, status, typeCode } from './support/example';

interface Meta {
  id: string;
  chapter: string;
  exercise?: { kind: 'predict' | 'fix' };
}
const exercises = readdirSync('content/examples')
  .filter((name) => /^\d\d-/.test(name))
  .map((id) => JSON.parse(readFileSync(`content/examples/${id}/meta.json`, 'utf8')) as Meta)
  .filter((meta) => meta.exercise);
const predict = exercises.find((meta) => meta.exercise?.kind === 'predict')!;
const fix = exercises.find((meta) => meta.exercise?.kind === 'fix')!;
// Written out, not imported: the anchor is a published address that must not change with the code.
const anchor = (id: string) => `exercise-${id.replace(/^\d+-/, '')}`;
const box = (page: Page, id: string) => page.locator(`#${anchor(id)}`);
const plainOrigin = process.env.E2E_PLAIN_ORIGIN as string;

const words = {
  ru: { wrong: 'Пока нет', right: 'Верно', matches: 'в том же порядке', notFixed: 'Пока не исправлено', fixed: 'Исправлено', asGiven: 'без изменений', recorded: 'записанный запуск', explanation: 'Разбор' },
  en: { wrong: 'Not yet', right: 'Right', matches: 'in the same order', notFixed: 'Not fixed yet', fixed: 'Fixed', asGiven: 'as given', recorded: 'recorded run', explanation: 'Explanation' },
};

/** The lines' order as shown: the recorded place of the line at each place. */
const shownOrder = async (exercise: Locator) =>
  (await exercise.locator('[data-lines] li').evaluateAll((items) => items.map((item) => Number((item as HTMLElement).dataset.line))));

/** Puts the lines in their recorded order: odd moves by button clicks, even ones by Alt+↑ on the focused button. */
async function solve(exercise: Locator): Promise<void> {
  const page = exercise.page();
  let order = await shownOrder(exercise);
  for (let target = 0; target < order.length; target++) {
    let place = order.indexOf(target);
    const up = exercise.locator(`[data-line="${target}"] [data-move="-1"]`);
    while (place > target) {
      if (place % 2) await up.click();
      else {
        await up.focus();
        await page.keyboard.press('Alt+ArrowUp');
        // The moved line keeps the focus, so the next press moves it again.
        await expect(up).toBeFocused();
      }
      place--;
      await expect.poll(() => shownOrder(exercise).then((now) => now.indexOf(target))).toBe(place);
    }
    order = await shownOrder(exercise);
  }
  expect(order).toEqual(order.map((_, i) => i));
}

async function expectAccessible(page: Page, selector: string): Promise<void> {
  // The editor's scroller is CodeMirror's (checked on the example pages); the rest is ours.
  const results = await new AxeBuilder({ page }).include(selector).exclude('.cm-scroller').withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)).toEqual([]);
}

for (const locale of ['ru', 'en'] as const) {
  const prefix = locale === 'en' ? '/en' : '';
  const say = words[locale];

  test(`${locale}: a prediction answered wrong, then right, kept over a reload and confirmed by a run`, async ({ page }) => {
    await page.goto(`${prefix}/${predict.chapter}/#${anchor(predict.id)}`);
    const exercise = box(page, predict.id);
    const program = exercise.locator('book-example');
    // The program's recorded output would give the answer away: hidden until an attempt.
    await expect(program.locator('[data-output]')).toBeHidden();
    await expect(exercise.locator('[data-explanation]')).toBeHidden();

    await exercise.locator('[data-exercise-action="check"]').click();
    await expect(exercise.locator('[data-verdict]')).toContainText(say.wrong);
    await expect(exercise.locator('[data-verdict]')).toHaveAttribute('data-outcome', 'wrong');
    await expect(exercise.locator('[data-explanation]')).toBeVisible();
    await expect(program.locator('[data-output]')).toBeVisible();

    await solve(exercise);
    await expect(exercise.locator('[data-verdict]')).toHaveText('', { useInnerText: true }); // a move clears the old verdict
    await exercise.locator('[data-exercise-action="check"]').click();
    await expect(exercise.locator('[data-verdict]')).toContainText(say.right);
    await expect(exercise.locator('[data-exercise-action="check"]')).toHaveAttribute('aria-disabled', 'true');
    await exercise.locator('[data-explanation] summary').click();
    await expectAccessible(page, `#${anchor(predict.id)}`);

    await page.reload();
    await expect(exercise.locator('[data-verdict]')).toContainText(say.right);
    expect(await shownOrder(exercise)).toEqual((await shownOrder(exercise)).map((_, i) => i));

    await program.locator('[data-action="run"]').click();
    await expect(status(program)).toContainText(EXITED_0, { timeout: 30_000 });
    await expect(exercise.locator('[data-run-verdict]')).toContainText(say.matches);

    // Once solved the lines stay put.
    await expect(exercise.locator('[data-move]:not([aria-disabled="true"])')).toHaveCount(0);
    await exercise.locator('[data-exercise-action="reset"]').click();
    await expect(exercise.locator('[data-exercise-action="check"]')).toHaveAttribute('aria-disabled', 'false');
    // A fresh start hides the output again: it is the answer.
    await expect(program.locator('[data-output]')).toBeHidden();
    await expect(exercise.locator('[data-verdict]')).not.toContainText(say.right);
    expect(await shownOrder(exercise)).not.toEqual((await shownOrder(exercise)).map((_, i) => i));
  });

  test(`${locale}: a program to fix, run as given, then fixed, with the verdict kept over a reload`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto(`${prefix}/${fix.chapter}/#${anchor(fix.id)}`);
    const exercise = box(page, fix.id);
    const program = exercise.locator('book-example');
    const verdict = exercise.locator('[data-run-verdict]');
    await program.locator('[data-action="run"]').click();
    await expect(status(program)).toContainText(EXITED_0, { timeout: 45_000 });
    await expect(verdict).toContainText(say.notFixed);
    await expect(verdict).toContainText(say.asGiven);
    await expect(verdict).toHaveAttribute('data-outcome', 'wrong');
    await expect(exercise.locator('[data-explanation]')).toBeVisible();

    await typeCode(program, readFileSync(`content/examples/${fix.id}/solution.ts`, 'utf8'));
    await program.locator('[data-action="run"]').click();
    await expect(verdict).toBeEmpty();
    await expect(status(program)).toContainText(EXITED_0, { timeout: 45_000 });
    await expect(verdict).toContainText(say.fixed);
    await expect(verdict).toHaveAttribute('data-outcome', 'right');
    await expectAccessible(page, `#${anchor(fix.id)}`);

    await page.reload();
    await expect(verdict).toContainText(say.fixed);
  });

  test(`${locale}: with the recording only, a fix's verdict says it judged the recording`, async ({ page }) => {
    await page.goto(`${prefix}/${fix.chapter}/?runtime=recorded#${anchor(fix.id)}`);
    const exercise = box(page, fix.id);
    await exercise.locator('book-example [data-action="run"]').click();
    await expect(exercise.locator('[data-run-verdict]')).toContainText(say.recorded);
    await expect(exercise.locator('[data-run-verdict]')).toHaveAttribute('data-outcome', 'wrong');
  });
}

test('every exercise runs in the page on a plain static host and gets a verdict', async ({ page }) => {
  test.setTimeout(60_000 + exercises.length * 30_000);
  for (const meta of exercises) {
    await page.goto(`${plainOrigin}/en/${meta.chapter}/#${anchor(meta.id)}`);
    const exercise = box(page, meta.id);
    const program = exercise.locator('book-example');
    await program.locator('[data-action="run"]').click();
    await expect(status(program), meta.id).toContainText(EXITED_0, { timeout: 45_000 });
    const verdict = exercise.locator('[data-run-verdict]');
    if (meta.exercise?.kind === 'fix') await expect(verdict, meta.id).toContainText(words.en.notFixed);
    else await expect(verdict, meta.id).toContainText(words.en.matches);
  }
});
