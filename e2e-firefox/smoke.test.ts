/**
 * A smoke test of the book in Firefox (Debian's firefox-esr, driven over WebDriver BiDi with
 * puppeteer-core: Playwright's Firefox is a patched build that cannot be downloaded here). It
 * serves the built book (dist/, `npm run build`) as a plain static host would, with
 * `scripts/serve.ts --plain-host`: no isolation headers, no local runtime, so what it sees is what a
 * reader of GitHub Pages sees in Firefox. Each test opens its page in a fresh browser context.
 *
 * The live runs are the in-page runtime's (src/runtime/browser/): Firefox without isolation gets no
 * WebContainer, and a plain host has no book server.
 *
 *   npm run test:firefox     (after a build; `npm test` runs it after the Playwright suite)
 *
 * FIREFOX_PATH picks the binary; FIREFOX_SMOKE_PORT the port (4471). No Firefox: skipped with the
 * reason, except in CI, where .ci/run installs firefox-esr and a missing one fails.
 */
import assert from 'node:assert/strict';
import process from 'node:process';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { exampleIds, readMeta, readPythonRecording, readRecording } from '../src/examples/files.ts';
import { t, type Locale, type UiKey } from '../src/i18n/ui.ts';
import { findFirefox, launchFirefox, servePlainHost, type LaunchedFirefox, type PlainHost } from './firefox.ts';

const PORT = Number(process.env.FIREFOX_SMOKE_PORT ?? 4471);
const LOCALES: Locale[] = ['en', 'ru'];

const firefox = findFirefox();
/** No Firefox on a reader's machine: the suite is skipped, and node:test prints why. */
const skip = 'missing' in firefox && !firefox.fatal ? firefox.missing : false;

/** Every example, with its chapter and the lines it printed when the site was built. */
const examples = exampleIds().map((id) => ({ id, chapter: readMeta(id).chapter, recorded: readRecording(id)?.lines.map((line) => line.text) ?? [] }));
const chapters = [...new Set(examples.map((example) => example.chapter))];

function pagePath(locale: Locale, chapter: string): string {
  return `${locale === 'en' ? '/en' : ''}/${chapter}/`;
}

/** A status line of src/i18n/ui.ts as a pattern: the given values filled in, any other placeholder matching anything. */
function statusPattern(locale: Locale, key: UiKey, values: Record<string, string | number> = {}): RegExp {
  const escaped = t(locale, key, values).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/\\\{\w+\\\}/g, '.*?')}$`, 's');
}

/** Status lines after which nothing more happens to a run. */
function finalPatterns(locale: Locale): RegExp[] {
  const keys: UiKey[] = ['status.exited', 'status.stopped', 'status.stoppedEarly', 'status.fallback', 'status.failed', 'status.syntax'];
  return keys.map((key) => statusPattern(locale, key));
}

const TIMESTAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} /;

let server: PlainHost | undefined;
let launched: LaunchedFirefox | undefined;

function browser(): Browser {
  if (!launched) throw new Error('Firefox did not start (see the error of the before hook)');
  return launched.browser;
}

/** What a reader with the console open would see as errors. */
interface Problems {
  errors: string[];
  /** Responses of 400 and over (a missing asset); only test 1 counts them. */
  failedResponses: string[];
}

/** One test's page, in a browser context of its own (nothing stored by another test), closed afterwards. */
async function withPage(locale: Locale, chapter: string, run: (page: Page, problems: Problems) => Promise<void>): Promise<void> {
  const context = await browser().createBrowserContext();
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    const problems: Problems = { errors: [], failedResponses: [] };
    page.on('pageerror', (error) => problems.errors.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.errors.push(`console.error: ${message.text()}`);
    });
    page.on('response', (response) => {
      if (response.status() >= 400) problems.failedResponses.push(`${response.status()} ${response.url()}`);
    });
    const response = await page.goto(`${server!.origin}${pagePath(locale, chapter)}`, { waitUntil: 'load' });
    assert.equal(response?.status(), 200, `${pagePath(locale, chapter)} answered ${response?.status()}`);
    await run(page, problems);
  } finally {
    await context.close().catch(() => {});
  }
}

function box(id: string): string {
  return `#example-${id}`;
}

async function statusText(page: Page, id: string): Promise<string> {
  return page.$eval(`${box(id)} [data-status]`, (element) => element.textContent ?? '');
}

async function outputLines(page: Page, id: string): Promise<string[]> {
  const text = await page.$eval(`${box(id)} [data-output]`, (element) => element.textContent ?? '');
  return text.split('\n').filter((line) => line !== '');
}

/** Waits until the status line matches one of the patterns, and returns it (or fails with the last one seen). */
async function waitForStatus(page: Page, id: string, patterns: RegExp[], timeout: number): Promise<string> {
  try {
    await page.waitForFunction(
      (selector: string, sources: [string, string][]) => {
        const text = document.querySelector(selector)?.textContent ?? '';
        return sources.some(([source, flags]) => new RegExp(source, flags).test(text));
      },
      { timeout, polling: 50 },
      `${box(id)} [data-status]`,
      patterns.map((pattern): [string, string] => [pattern.source, pattern.flags]),
    );
  } catch (error) {
    throw new Error(`the status line of ${id} did not reach ${patterns.join(' or ')} within ${timeout} ms; it says: “${await statusText(page, id)}”`, { cause: error });
  }
  return statusText(page, id);
}

/** Presses Run and waits for the run to end; fails at once, with the reason, if the page fell back to the recording. */
async function runToEnd(page: Page, locale: Locale, id: string, timeout: number): Promise<string> {
  await page.click(`${box(id)} [data-action="run"]`);
  const status = await waitForStatus(page, id, finalPatterns(locale), timeout);
  assert.doesNotMatch(status, statusPattern(locale, 'status.fallback'), `no live run in Firefox: ${status}`);
  assert.match(status, statusPattern(locale, 'status.exited', { code: 0 }));
  return status;
}

/** Replaces the whole text in the example's CodeMirror editor by typing, as a reader would. */
async function typeCode(page: Page, id: string, code: string): Promise<void> {
  const edit = await page.$(`${box(id)} [data-action="edit"]`);
  if (edit && (await edit.isVisible())) await edit.click();
  const content = `${box(id)} .cm-content`;
  await page.waitForSelector(content, { visible: true });
  await page.click(content);
  const mod = process.platform === 'darwin' ? 'Meta' : 'Control';
  await page.keyboard.down(mod);
  await page.keyboard.press('a');
  await page.keyboard.up(mod);
  await page.keyboard.press('Backspace');
  await page.keyboard.type(code);
  const typed = await page.$eval(content, (element) => (element as HTMLElement).innerText.trim());
  assert.equal(typed, code, 'the editor holds what was typed');
}

// The whole suite's limit (it takes about half a minute), on top of each test's and hook's own.
describe('Firefox smoke (plain static host)', { skip, timeout: 240_000 }, () => {
  before(
    async () => {
      if ('missing' in firefox) throw new Error(`Firefox is needed${process.env.CI ? ' in CI' : ''}: ${firefox.missing}`);
      server = await servePlainHost(PORT);
      launched = await launchFirefox(firefox.path);
      console.log(`# ${await launched.browser.version()} at ${firefox.path}, over WebDriver BiDi; the book at ${server.origin} (--plain-host)`);
    },
    { timeout: 60_000 },
  );

  after(
    async () => {
      // Each on its own: a failure to close one must not leave the other running.
      await launched?.close().catch((error: unknown) => console.error('closing Firefox:', error));
      await server?.close().catch((error: unknown) => console.error('stopping the server:', error));
    },
    { timeout: 30_000 },
  );

  for (const locale of LOCALES) {
    for (const chapter of chapters) {
      test(`${locale}: ${pagePath(locale, chapter)} loads without errors, and each example shows its recorded output`, { timeout: 30_000 }, async () => {
        await withPage(locale, chapter, async (page, problems) => {
          // The examples' element is defined once its script ran: it shows the controls it hides without JavaScript.
          await page.waitForFunction(
            () => customElements.get('book-example') !== undefined && [...document.querySelectorAll('book-example [data-controls]')].every((bar) => !(bar as HTMLElement).hidden),
            { timeout: 10_000 },
          );
          assert.equal(await page.evaluate(() => crossOriginIsolated), false, 'a plain host sends no isolation headers');
          const onPage = await page.$$eval('book-example', (elements) => elements.map((element) => (element as HTMLElement).dataset.exampleId ?? ''));
          const expected = examples.filter((example) => example.chapter === chapter);
          assert.deepEqual([...onPage].sort(), expected.map((example) => example.id).sort(), 'the chapter has its examples');
          for (const { id, recorded } of expected) {
            assert.ok(recorded.length > 0, `${id} has a recording`);
            assert.deepEqual(await outputLines(page, id), recorded, `${id} shows its recorded output`);
            assert.equal(await statusText(page, id), t(locale, 'status.recorded'));
            assert.ok(await (await page.$(`${box(id)} [data-action="run"]`))?.isVisible(), `${id} has a Run button`);
          }
          // Let what a page does after load (the first example coming into view, its lazy warm-up) happen.
          await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
          assert.deepEqual(problems, { errors: [], failedResponses: [] }, 'no page errors, console errors or failed requests');
        });
      });
    }

    test(`${locale}: 02-scraper-async runs live: all downloads start before the first response`, { timeout: 45_000 }, async () => {
      const id = '02-scraper-async';
      const { chapter, recorded } = examples.find((example) => example.id === id)!;
      await withPage(locale, chapter, async (page, problems) => {
        await runToEnd(page, locale, id, 30_000);
        const lines = await outputLines(page, id);
        assert.ok(lines.some((line) => /Downloaded in \d+ ms/.test(line)), `“Downloaded in N ms” in:\n${lines.join('\n')}`);
        const starts = lines.flatMap((line, index) => (line.includes('Starting download') ? [index] : []));
        const responses = lines.flatMap((line, index) => (line.includes('Response received') ? [index] : []));
        assert.equal(starts.length, recorded.filter((line) => line.includes('Starting download')).length, 'as many downloads as recorded');
        assert.ok(responses.length > 0, 'responses arrived');
        assert.ok(Math.max(...starts) < Math.min(...responses), `every download starts before the first response:\n${lines.join('\n')}`);
        assert.deepEqual(problems.errors, []);
      });
    });

    test(`${locale}: 07-execution-order runs live and prints its lines 1 to 10 in order`, { timeout: 45_000 }, async () => {
      const id = '07-execution-order';
      const { chapter, recorded } = examples.find((example) => example.id === id)!;
      await withPage(locale, chapter, async (page, problems) => {
        await runToEnd(page, locale, id, 20_000);
        const lines = (await outputLines(page, id)).map((line) => line.replace(TIMESTAMP, ''));
        assert.deepEqual(lines, recorded.map((line) => line.replace(TIMESTAMP, '')));
        assert.deepEqual(lines.map((line) => Number(/^(\d+)\./.exec(line)?.[1])), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert.deepEqual(problems.errors, []);
      });
    });

    test(`${locale}: 07's Python version runs in the page with Pyodide, in CPython's order`, { skip: locale !== 'en' && 'once is enough: Pyodide is a 5 MB download', timeout: 90_000 }, async (t) => {
      const id = '07-execution-order';
      const { chapter } = examples.find((example) => example.id === id)!;
      const recorded = readPythonRecording(id)!.lines.map((line) => line.text.replace(TIMESTAMP, ''));
      await withPage(locale, chapter, async (page, problems) => {
        const hasJspi = await page.evaluate(() => typeof (WebAssembly as unknown as { Suspending?: unknown }).Suspending === 'function');
        // Without JSPI Pyodide's own asyncio.run() raises; the book's driver needs none (driver.py).
        t.diagnostic(`WebAssembly JSPI in this Firefox: ${hasJspi ? 'yes' : 'no'}`);
        const pane = `${box(id)} [data-pane="python"]`;
        await page.$$eval(`${box(id)} [role="tab"]`, (tabs) => (tabs.find((tab) => tab.textContent?.trim() === 'Python') as HTMLElement).click());
        await page.waitForSelector(`${pane} [data-action="run"]`, { visible: true });
        await page.click(`${pane} [data-action="run"]`);
        await page.waitForFunction(
          (selector: string) => /Exited with code|Live run is not available|failed/.test(document.querySelector(selector)?.textContent ?? ''),
          { timeout: 75_000, polling: 100 },
          `${pane} [data-status]`,
        );
        const status = await page.$eval(`${pane} [data-status]`, (element) => element.textContent ?? '');
        assert.match(status, /Exited with code 0 .*Pyodide 314\.\d+\.\d+ \(CPython 3\.14\) in this page/, `status: ${status} (JSPI here: ${hasJspi})`);
        const text = await page.$eval(`${pane} [data-output]`, (element) => element.textContent ?? '');
        assert.deepEqual(text.split('\n').filter(Boolean).map((line) => line.replace(TIMESTAMP, '')), recorded);
        assert.deepEqual(problems.errors, []);
      });
    });

    test(`${locale}: Stop ends an endless loop within a second`, { timeout: 45_000 }, async (t) => {
      const id = '07-execution-order';
      const { chapter } = examples.find((example) => example.id === id)!;
      await withPage(locale, chapter, async (page, problems) => {
        await typeCode(page, id, 'while (true) {}');
        await page.click(`${box(id)} [data-action="run"]`);
        const status = await waitForStatus(page, id, [statusPattern(locale, 'status.running'), ...finalPatterns(locale)], 15_000);
        assert.doesNotMatch(status, statusPattern(locale, 'status.fallback'), `no live run in Firefox: ${status}`);
        assert.match(status, statusPattern(locale, 'status.running'));
        // Timed in the page, from the click on Stop to the status line saying so (no protocol round trips in it).
        const stopped = statusPattern(locale, 'status.stopped');
        await page.$eval(
          `${box(id)}`,
          (element, source: string, flags: string) => {
            const timing: { clicked?: number; stopped?: number } = {};
            (window as unknown as { stopTiming: typeof timing }).stopTiming = timing;
            element.querySelector('[data-action="stop"]')!.addEventListener('click', () => (timing.clicked ??= performance.now()), { capture: true });
            const status = element.querySelector('[data-status]')!;
            new MutationObserver(() => {
              if (timing.stopped === undefined && new RegExp(source, flags).test(status.textContent ?? '')) timing.stopped = performance.now();
            }).observe(status, { childList: true, characterData: true, subtree: true });
          },
          stopped.source,
          stopped.flags,
        );
        await page.click(`${box(id)} [data-action="stop"]`);
        await waitForStatus(page, id, [stopped], 5_000);
        const timing = await page.evaluate(() => (window as unknown as { stopTiming: { clicked?: number; stopped?: number } }).stopTiming);
        assert.ok(timing.clicked !== undefined && timing.stopped !== undefined, 'the click and the status change were seen');
        const elapsed = timing.stopped - timing.clicked;
        t.diagnostic(`stopped ${Math.round(elapsed)} ms after the click on Stop`);
        assert.ok(elapsed < 1_000, `“stopped” ${Math.round(elapsed)} ms after the click on Stop`);
        assert.ok(await page.$eval(`${box(id)} [data-action="stop"]`, (button) => (button as HTMLButtonElement).disabled), 'Stop is disabled again');
        assert.deepEqual(problems.errors, []);
      });
    });

    test(`${locale}: the status line names the runtime that ran, in this page`, { timeout: 45_000 }, async () => {
      const id = '07-execution-order';
      const { chapter } = examples.find((example) => example.id === id)!;
      await withPage(locale, chapter, async (page, problems) => {
        const status = await runToEnd(page, locale, id, 20_000);
        const runtime = status.split(' · ').at(-1)?.trim() ?? '';
        assert.ok(runtime !== '', `a runtime is named in “${status}”`);
        // On a plain host neither the book's server nor a WebContainer can have run it, and it is no recording.
        for (const other of [t(locale, 'runtime.recorded.label'), t(locale, 'runtime.webcontainer.label')]) assert.notEqual(runtime, other);
        assert.doesNotMatch(runtime, statusPattern(locale, 'runtime.local.label'), `the book's own server is not on a plain host: “${status}”`);
        assert.deepEqual(problems.errors, []);
      });
    });
  }
});
