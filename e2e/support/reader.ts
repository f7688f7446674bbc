/**
 * The reader of the tests: someone who opened the address `npm start` printed, so each tab has the
 * local runtime's token (src/runtime/local/token.ts). The suite's server gets its token from
 * BOOK_RUNTIME_TOKEN (set in playwright.config.ts); every page of these tests starts with it in its
 * sessionStorage, as the capture script leaves it. e2e/access.spec.ts tests the real capture.
 */
import { test as base } from '@playwright/test';
import { TOKEN_STORAGE_KEY } from '../../src/runtime/local/token.ts';

export function suiteToken(): string {
  const token = process.env.BOOK_RUNTIME_TOKEN;
  if (!token) throw new Error('BOOK_RUNTIME_TOKEN is not set: run the e2e tests through playwright.config.ts');
  return token;
}

export const test = base.extend({
  context: async ({ context }, use) => {
    await context.addInitScript(([key, token]) => sessionStorage.setItem(key, token), [TOKEN_STORAGE_KEY, suiteToken()] as const);
    await use(context);
  },
});

export { expect } from '@playwright/test';
