import { randomBytes } from 'node:crypto';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/support/browser';
const port = Number(process.env.E2E_PORT ?? 4391);
/** The same build served as a plain static host serves it (no isolation headers, no book server). */
export const plainPort = port + 50;
process.env.E2E_PLAIN_ORIGIN = `http://127.0.0.1:${plainPort}`;
// The local runtime's token for this run of the suite: the server and the test workers inherit it
// (the workers load this file again, and keep the value the first load put in the environment).
process.env.BOOK_RUNTIME_TOKEN ||= randomBytes(24).toString('hex');

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions,
    // The offline copy's service worker would fetch the whole book in every test's fresh context;
    // e2e/offline.spec.ts lets it in.
    serviceWorkers: 'block',
  },
  webServer: [
    {
      // The built site with the local runtime, served as `npm start` serves it (`npm run test:e2e` builds first).
      command: `node scripts/serve.ts --host 127.0.0.1 --port ${port}`,
      url: `http://127.0.0.1:${port}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // The same dist/ as GitHub Pages would serve it: the examples run in the page itself.
      command: `node scripts/serve.ts --plain-host --host 127.0.0.1 --port ${plainPort}`,
      url: `http://127.0.0.1:${plainPort}/`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
