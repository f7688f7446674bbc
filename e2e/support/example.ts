/** Finding an example on a page and using it as a reader would. */
import type { Locator, Page } from '@playwright/test';

export const EXITED_0 = /(Exited with code 0|Завершилась с кодом 0)/;
export const RUNNING = /(Running ·|Выполняется ·)/;

export function example(page: Page, id: string): Locator {
  return page.locator(`#example-${id}`);
}

/** Opens the editor of an example and replaces its whole text, as a reader would by typing. */
export async function typeCode(box: Locator, code: string): Promise<void> {
  if (await box.locator('[data-action="edit"]').isVisible()) await box.locator('[data-action="edit"]').click();
  const content = box.locator('.cm-content');
  await content.click();
  await box.page().keyboard.press('ControlOrMeta+A');
  await box.page().keyboard.press('Delete');
  await content.fill(code);
}

export async function appendCode(box: Locator, code: string): Promise<void> {
  if (await box.locator('[data-action="edit"]').isVisible()) await box.locator('[data-action="edit"]').click();
  await box.locator('.cm-content').click();
  await box.page().keyboard.press('ControlOrMeta+End');
  await box.page().keyboard.insertText(code);
}

export function output(box: Locator): Locator {
  return box.locator('[data-output]');
}

export function status(box: Locator): Locator {
  return box.locator('[data-status]');
}

