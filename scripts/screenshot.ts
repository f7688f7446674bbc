/**
 * Takes a screenshot of a page of the book, in the light or the dark theme.
 *
 *   node scripts/screenshot.ts <url> <out.png> [--theme light|dark] [--width 1280] [--full] [--selector css] [--click css]…
 *
 * --theme     Starlight's theme, set through localStorage before the page loads (default: light).
 * --width     viewport width in CSS pixels (default: 1280); the height is 800.
 * --full      the whole scrollable page instead of the first screen.
 * --selector  only the first element matching this CSS selector.
 * --click     click the first element matching this CSS selector first (e.g. an example's Python tab);
 *             may be given more than once, clicked in order.
 *
 * Launches the browser as the tests do (e2e/support/browser.ts).
 */
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { errorMessage } from '../src/lib/errors.ts';

type Theme = 'light' | 'dark';

interface Options {
  url: string;
  out: string;
  theme: Theme;
  width: number;
  full: boolean;
  selector: string | undefined;
  clicks: string[];
}

const USAGE =
  'usage: node scripts/screenshot.ts <url> <out.png> [--theme light|dark] [--width 1280] [--full] [--selector css] [--click css]…';

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function parseArgs(argv: readonly string[]): Options {
  const positional: string[] = [];
  let theme: Theme = 'light';
  let width = 1280;
  let full = false;
  let selector: string | undefined;
  const clicks: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) fail(`${arg} needs a value`);
      i++;
      return next;
    };
    switch (arg) {
      case '--theme': {
        const t = value();
        if (t !== 'light' && t !== 'dark') fail(`--theme must be light or dark, not "${t}"`);
        theme = t;
        break;
      }
      case '--width': {
        const w = Number(value());
        if (!Number.isInteger(w) || w < 200 || w > 4000) fail('--width must be a whole number of pixels (200–4000)');
        width = w;
        break;
      }
      case '--full':
        full = true;
        break;
      case '--selector':
        selector = value();
        break;
      case '--click':
        clicks.push(value());
        break;
      case '--help':
      case '-h':
        console.log(USAGE);
        process.exit(0);
      default:
        if (arg === undefined || arg.startsWith('--')) fail(`unknown option ${String(arg)}`);
        positional.push(arg);
    }
  }

  const [url, out, ...rest] = positional;
  if (url === undefined || out === undefined || rest.length > 0) fail('expected a URL and an output file');
  return { url, out, theme, width, full, selector, clicks };
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const browser = await chromium.launch({
    ...chromiumLaunchOptions,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', ...(chromiumLaunchOptions.args ?? [])],
  });
  try {
    const context = await browser.newContext({
      viewport: { width: options.width, height: 800 },
      colorScheme: options.theme,
    });
    const page = await context.newPage();
    // Starlight reads the theme from localStorage before it paints.
    await page.addInitScript((theme: Theme) => {
      window.localStorage.setItem('starlight-theme', theme);
    }, options.theme);

    const response = await page.goto(options.url, { waitUntil: 'networkidle' });
    if (response !== null && !response.ok()) {
      throw new Error(`${options.url} answered ${response.status()} ${response.statusText()}`);
    }
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    for (const click of options.clicks) {
      await page.locator(click).first().click();
      await page.waitForTimeout(300);
    }

    if (options.selector !== undefined) {
      const element = page.locator(options.selector).first();
      await element.waitFor({ state: 'visible' });
      try {
        await element.screenshot({ path: options.out });
      } catch {
        // A dev server may re-render the page under us (hot reload); look the element up once more.
        await page.waitForLoadState('networkidle');
        await element.screenshot({ path: options.out });
      }
    } else {
      await page.screenshot({ path: options.out, fullPage: options.full });
    }
    console.log(`${options.out} (${options.theme}, ${options.width}px${options.selector ? `, ${options.selector}` : ''})`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(errorMessage(error));
  process.exit(1);
});
