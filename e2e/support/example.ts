/** Finding an example on a page and using it as a reader would. */
import { expect, type Locator, type Page } from '@playwright/test';

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


/**
 * With example 04's server running: scrapes for alice (her answer must match `alice`), then asks
 * for bob's images with a long delay and cancels them, checking what the clients and the server say.
 */
export async function scrapeAndCancel(box: Locator, alice: RegExp | string): Promise<void> {
  const clients = box.locator('[data-client-output]');
  await box.locator('[data-user]').fill('alice');
  await box.locator('[data-action="scrape"]').click();
  await expect(clients).toContainText(alice, { timeout: 20_000 });
  await expect(output(box)).toContainText('Downloaded 3 images for alice');

  await box.locator('[data-user]').fill('bob');
  await box.locator('[data-delay]').fill('20000');
  await box.locator('[data-action="scrape"]').click();
  await expect(output(box)).toContainText(/Starting download from .*delay=20000/, { timeout: 15_000 });
  await box.locator('[data-action="cancel"]').click();
  await expect(clients).toContainText('cancel bob: 200 {"cancelled": 3}', { timeout: 15_000 });
  await expect(clients).toContainText('scrape bob: 200 {"images": []}', { timeout: 15_000 });
  await expect(output(box)).toContainText('bob: Cancelled download from');
  await expect(output(box)).toContainText('Tasks were cancelled for bob');
}
