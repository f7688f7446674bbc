import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/**
 * How every browser of the project is launched (tests, bench, screenshots). Playwright cannot
 * download its own browser on machines without internet, so Debian's Chromium is used where it
 * is installed (or CHROMIUM_PATH); elsewhere Playwright's own (`npx playwright install chromium`).
 * The flags stop Chromium from calling home, which a closed network answers with errors.
 */
export const chromiumLaunchOptions: LaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync'],
};
