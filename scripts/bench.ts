/**
 * `npm run bench`: figures for the budgets in the design notes, measured on the built site.
 *
 * 1. For each chapter page and for one embed page, the JavaScript a reader downloads before
 *    touching anything (gzipped KB), next to a bare Starlight page of the same build (the 404
 *    page: Starlight, none of the book's components), so the difference is what the book adds.
 * 2. The median time from clicking Run to the first line of output with the local runtime: cold
 *    (first Run after loading the page: the sandbox code, the type stripper and the runtime load)
 *    and warm (later Runs on the same page).
 *
 * 3. The cost of one timeline redraw (parse the whole output, lay it out, make the markup) for the
 *    recorded server session and for a run at the lane limit, against parsing alone, in this
 *    process: a live run redraws at most once per frame, so this is what each frame pays. And a
 *    timer that printed 200,000 ticks, parsed once (as a live run has, line by line) and then
 *    redrawn (snapshot, layout, markup): the mark bound keeps that redraw as cheap as a small run's.
 * 4. The worst main-thread stall in the page while a reader's edit of example 07 floods the output
 *    through the local runtime, from the Run click to the exit status: one 100 MB line without a
 *    newline (the runtime stops it at its 64 MB output limit), and 200,000 timer ticks (which the
 *    timeline reads too), and for comparison as many plain lines. Measured in the page by the longest task (PerformanceObserver
 *    `longtask`) and the longest gap between the ticks of a 10 ms setInterval.
 *
 * 5. The in-page runtime (dist/ served as a plain static host, no isolation headers): Run → first
 *    output line of example 07, cold and warm, the gzipped bytes the first Run loads (the runtime's
 *    code and its worker), and the worst stall while a million console.log lines flood in.
 *
 * The server listens on BENCH_PORT (default 4399), the plain static host on BENCH_PORT + 1.
 * Needs a build (`npm run build`). Prints figures; asserts nothing, because timings vary by machine.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { sitemapPaths } from '../e2e/support/site.ts';
import { startBookServer } from './lib/book-server.ts';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { example, typeCode } from '../e2e/support/example.ts';
import { readFileSync } from 'node:fs';
import { MAX_LANES, MAX_MARKS, TimelineBuilder, parseTimeline } from '../src/timeline/parse.ts';
import { drawTimeline } from '../src/timeline/render.ts';
import { toMarkup } from '../src/timeline/tree.ts';
import { type Recording } from '../src/examples/schema.ts';

const port = Number(process.env.BENCH_PORT ?? 4399);
const origin = `http://127.0.0.1:${port}`;
const runs = { cold: 5, warm: 10 };
/** The local runtime's token: pages are opened with it in the address, as a reader opens the printed one. */
const token = randomBytes(24).toString('hex');

const plainOrigin = `http://127.0.0.1:${port + 1}`;

/** The book's server, with this bench's token (as `npm start` gives one to its reader). */
const startServer = (args: string[] = ['--port', String(port)]) => startBookServer(args, { BOOK_RUNTIME_TOKEN: token });

/**
 * Gzipped bytes of every script the page loads by itself, before any interaction, on a first
 * visit: each page gets a fresh context, so no script comes from the cache (a revalidated one is
 * a 304 without a body, which Playwright refuses to read).
 */
async function initialScriptBytes(browser: Browser, path: string): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Promise<number>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() !== 'script') return;
    const size = response.body().then((body) => gzipSync(body, { level: 9 }).length);
    size.catch(() => {}); // handled by Promise.all below; unhandled until then, it would end the process
    bodies.push(size);
  });
  try {
    await page.goto(origin + path, { waitUntil: 'networkidle' });
    const sizes = await Promise.all(bodies);
    return sizes.reduce((sum, size) => sum + size, 0);
  } finally {
    await context.close();
  }
}

/** Milliseconds from the Run click to the first live line in the example's output. */
async function runToFirstLine(page: Page, exampleId: string, runtime: RegExp = /local Node|локальный Node/, language: 'typescript' | 'python' = 'typescript'): Promise<number> {
  if (language === 'python') {
    await page.locator(`#example-${exampleId} [role="tab"]`, { hasText: 'Python' }).click();
    await page.locator(`#example-${exampleId} [data-pane="python"] [data-action="run"]`).waitFor();
  }
  return page.evaluate(async ([id, pattern, lang]) => {
    const runtimeShown = new RegExp(pattern);
    const root = document.getElementById(`example-${id}`)!;
    // The TypeScript pane comes first in the example; the Python pane is the one stamped in its tab.
    const box = lang === 'python' ? root.querySelector<HTMLElement>('[data-pane="python"]')! : root;
    const pre = box.querySelector('[data-output]')!;
    const status = box.querySelector('[data-status]')!;
    // A live line differs from the previous run's first line (its timestamp does), and the
    // recorded output shown before the first run has no `.out-line` rows at all.
    const before = pre.querySelector('.out-line')?.textContent ?? null;
    const firstLine = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        const first = pre.querySelector('.out-line')?.textContent ?? null;
        if (runtimeShown.test(status.textContent ?? '') && first !== null && first !== before) {
          observer.disconnect();
          resolve(performance.now());
        }
      });
      observer.observe(box, { subtree: true, childList: true, characterData: true });
    });
    const clicked = performance.now();
    box.querySelector<HTMLButtonElement>('[data-action="run"]')!.click();
    const seen = await firstLine;
    await new Promise<void>((resolve) => {
      const check = () => (root.hasAttribute('data-running') ? setTimeout(check, 20) : resolve());
      check();
    });
    return seen - clicked;
  }, [exampleId, runtime.source, language] as const);
}

const PYODIDE = /Pyodide \d/;

/** What the first Python run of 07 loads in a fresh browser context: bytes over the wire (brotli where served so), and unpacked. */
async function firstPythonRunBytes(browser: Browser): Promise<{ wire: number; unpacked: number; ms: number }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${plainOrigin}/how-asyncio-works/`, { waitUntil: 'networkidle' });
  const sizes: Promise<[number, number]>[] = [];
  const seen = new Set<string>();
  page.on('requestfinished', (request) => {
    // Each file once: the spare worker loads the same files again (from the cache).
    if (seen.has(request.url())) return;
    seen.add(request.url());
    const size = Promise.all([request.sizes().then((sized) => sized.responseBodySize), request.response().then((response) => response?.body().then((body) => body.length) ?? 0)]);
    size.catch(() => {});
    sizes.push(size);
  });
  const ms = await runToFirstLine(page, '07-execution-order', PYODIDE, 'python');
  const all = await Promise.all(sizes);
  await context.close();
  return { wire: all.reduce((sum, [wire]) => sum + wire, 0), unpacked: all.reduce((sum, [, body]) => sum + body, 0), ms };
}

/** Gzipped bytes of the scripts (the worker's included) that the first Run of 07 loads in the page. */
async function firstRunBytes(browser: Browser): Promise<number> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${plainOrigin}/how-asyncio-works/`, { waitUntil: 'networkidle' });
  const bodies: Promise<number>[] = [];
  const seen = new Set<string>();
  page.on('response', (response) => {
    // Each script once: the spare worker the runtime starts for the next run loads the same script again.
    if (!response.url().endsWith('.js') || seen.has(response.url())) return;
    seen.add(response.url());
    const size = response.body().then((body) => gzipSync(body, { level: 9 }).length);
    size.catch(() => {});
    bodies.push(size);
  });
  await runToFirstLine(page, '07-execution-order', IN_PAGE);
  const total = (await Promise.all(bodies)).reduce((sum, size) => sum + size, 0);
  await context.close();
  return total;
}
const IN_PAGE = /this page’s JavaScript|JavaScript этой страницы/;

/** Reader's edits of example 07 that flood its output. */
const floods = {
  'one 100 MB line, 1 MB per write': [
    'const chunk = "x".repeat(1 << 20);',
    'for (let i = 0; i < 100; i++) process.stdout.write(chunk);',
    'process.stdout.write("\\n");',
    'console.log("the line after the flood");',
  ],
  '200,000 timer ticks, 1000 lines per write': [
    'const start = Date.UTC(2026, 0, 27, 19, 0, 0, 0);',
    'const stamp = (ms) => new Date(start + ms).toISOString().replace("T", " ").replace(".", ",").slice(0, 23);',
    'let lines = [`${stamp(0)} Timer starts, every 100 ms`];',
    'for (let k = 1; k <= 200_000; k++) {',
    '  lines.push(`${stamp(k * 100)} Tick ${k}: 100 ms since the previous tick`);',
    '  if (lines.length === 1000) { process.stdout.write(lines.join("\\n") + "\\n"); lines = []; }',
    '}',
    'if (lines.length) process.stdout.write(lines.join("\\n") + "\\n");',
  ],
  // The same volume in lines the timeline does not read: what the output alone costs.
  '200,000 plain lines (no timeline), 1000 per write': [
    'let lines = [];',
    'for (let k = 1; k <= 200_000; k++) {',
    '  lines.push(`line ${k} of the flood, as long as a tick line is, or so`);',
    '  if (lines.length === 1000) { process.stdout.write(lines.join("\\n") + "\\n"); lines = []; }',
    '}',
  ],
} as const;

interface Stall {
  /** The longest task the browser reported (0 when none was longer than 50 ms). */
  longestTask: number;
  /** The longest time between two ticks of a 10 ms interval, minus its 10 ms. */
  longestGap: number;
  /** From the Run click to the exit status. */
  elapsed: number;
  status: string;
}

/** Runs `code` in example 07 and measures, in the page, the worst main-thread stall until it exits. */
async function floodStall(page: Page, code: string, at = `${origin}/how-asyncio-works/?token=${token}`): Promise<Stall> {
  await page.goto(at, { waitUntil: 'networkidle' });
  await typeCode(example(page, '07-execution-order'), code);
  return page.evaluate(async (id) => {
    const box = document.getElementById(`example-${id}`)!;
    const status = box.querySelector('[data-status]')!;
    let longestTask = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longestTask = Math.max(longestTask, entry.duration);
    });
    observer.observe({ type: 'longtask' });
    const period = 10;
    let last = performance.now();
    let longestGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last - period);
      last = now;
    }, period);
    const clicked = performance.now();
    box.querySelector<HTMLButtonElement>('[data-action="run"]')!.click();
    const ended = /(Exited with code|Завершилась с кодом|Stopped|Остановлена|Could not run|Не удалось)/;
    await new Promise<void>((resolve) => {
      const check = () => (ended.test(status.textContent ?? '') ? resolve() : setTimeout(check, 20));
      check();
    });
    const elapsed = performance.now() - clicked;
    // The last lines are drawn in the frames after the exit (a frame draws a bounded share): measure them too.
    await new Promise((resolve) => setTimeout(resolve, 250));
    for (const entry of observer.takeRecords()) longestTask = Math.max(longestTask, entry.duration);
    observer.disconnect();
    clearInterval(ticker);
    return { longestTask, longestGap, elapsed, status: status.textContent ?? '' };
  }, '07-execution-order');
}

/** Median milliseconds of `work` over many repetitions. */
function timed(work: () => void, repetitions = 200): number {
  const samples: number[] = [];
  for (let i = 0; i < repetitions; i++) {
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

function timelineFigures(): void {
  const server = (JSON.parse(readFileSync('content/examples/04-scraper-server/recorded.json', 'utf8')) as Recording).lines.map((line) => line.text);
  const flood = Array.from({ length: MAX_LANES }, (_, i) => `2026-11-25 10:00:00,${String(i).padStart(3, '0')} Starting download from http://127.0.0.1:8765/img/${i}.png?delay=${i * 10}`)
    .concat(Array.from({ length: MAX_LANES }, (_, i) => `2026-11-25 10:00:01,${String(i).padStart(3, '0')} Response received from http://127.0.0.1:8765/img/${i}.png?delay=${i * 10}, size 100`));
  console.log('Timeline redraw (parse + layout + markup), median of 200, in Node');
  for (const [name, lines] of [['04 recorded session', server], [`${MAX_LANES} downloads (the lane limit)`, flood]] as const) {
    const parse = timed(() => parseTimeline(lines));
    const redraw = timed(() => {
      const timeline = parseTimeline(lines);
      if (timeline) toMarkup(drawTimeline([{ title: '', timeline, running: true }], 'en').chart);
    });
    console.log(`  ${name.padEnd(30)} ${redraw.toFixed(2)} ms (parse alone ${parse.toFixed(2)} ms, ×${(redraw / parse).toFixed(1)}; one frame is 16.7 ms)`);
  }

  // A live run reads its lines as they come; what each frame pays is the redraw of all it has read.
  const TICKS = 200_000;
  const builder = new TimelineBuilder();
  const parseStart = performance.now();
  builder.add('2026-11-25 10:00:00,000 Timer starts: a tick every 100 ms');
  for (let k = 1; k <= TICKS; k++) builder.add(`${logStamp(k * 100)} Tick ${k}: 100 ms since the previous tick`);
  const parseAll = performance.now() - parseStart;
  const redraw = timed(() => {
    const timeline = builder.snapshot();
    if (timeline) toMarkup(drawTimeline([{ title: '', timeline, running: true }], 'en').chart);
  });
  const kept = builder.snapshot()?.lanes[0]?.marks.length ?? 0;
  console.log(`  ${`${TICKS.toLocaleString('en')} ticks (${kept} drawn)`.padEnd(30)} ${redraw.toFixed(2)} ms (snapshot + layout + markup; the ${TICKS.toLocaleString('en')} lines were parsed once before, in ${parseAll.toFixed(0)} ms, ${((parseAll / TICKS) * 1000).toFixed(1)} µs a line; at most ${MAX_MARKS} marks a lane)`);
}

/** A log timestamp `ms` after 2026-11-25 10:00:00,000, as Python's logging prints it. */
function logStamp(ms: number): string {
  const [date = '', time = ''] = new Date(Date.UTC(2026, 10, 25, 10) + ms).toISOString().split('T');
  return `${date} ${time.slice(0, 12).replace('.', ',')}`;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

timelineFigures();
if (!existsSync('dist/index.html')) throw new Error('Build the site first: npm run build');
const stop = await startServer();
const stopPlain = await startServer(['--plain-host', '--port', String(port + 1)]);
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const baseline = await initialScriptBytes(browser, '/404.html');
  console.log('JavaScript before any interaction (gzipped)');
  console.log(`  bare Starlight page (404)              ${(baseline / 1024).toFixed(1)} KB`);
  // The embed pages are not in the sitemap: one stands for them all (src/components/EmbedPage.astro).
  for (const path of [...sitemapPaths(), '/en/embed/07-execution-order/']) {
    const bytes = await initialScriptBytes(browser, path);
    const extra = bytes - baseline;
    console.log(`  ${path.padEnd(38)} ${(bytes / 1024).toFixed(1)} KB  (${extra >= 0 ? '+' : ''}${(extra / 1024).toFixed(1)} KB)`);
  }

  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < runs.cold; i++) {
    const fresh = await browser.newPage();
    await fresh.goto(`${origin}/how-asyncio-works/?token=${token}`, { waitUntil: 'networkidle' });
    cold.push(await runToFirstLine(fresh, '07-execution-order'));
    if (i === 0) for (let j = 0; j < runs.warm; j++) warm.push(await runToFirstLine(fresh, '07-execution-order'));
    await fresh.close();
  }
  console.log('Run → first output line, local runtime, example 07-execution-order');
  console.log(`  cold (first Run on a fresh page), median of ${runs.cold}: ${median(cold).toFixed(0)} ms  [${cold.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  warm (later Runs), median of ${runs.warm}: ${median(warm).toFixed(0)} ms  [${warm.map((v) => v.toFixed(0)).join(', ')}]`);

  console.log('Worst main-thread stall while a flood runs in example 07 (local runtime, Run → exit status)');
  for (const [name, code] of Object.entries(floods)) {
    const fresh = await browser.newPage();
    const stall = await floodStall(fresh, `${code.join('\n')}\n`);
    await fresh.close();
    console.log(
      `  ${name.padEnd(50)} ${Math.max(stall.longestTask, stall.longestGap).toFixed(0)} ms ` +
        `(longest task ${stall.longestTask.toFixed(0)} ms, longest timer gap ${stall.longestGap.toFixed(0)} ms; ` +
        `run ${(stall.elapsed / 1000).toFixed(1)} s: “${stall.status}”)`,
    );
  }

  const pageCold: number[] = [];
  const pageWarm: number[] = [];
  for (let i = 0; i < runs.cold; i++) {
    const fresh = await browser.newPage();
    await fresh.goto(`${plainOrigin}/how-asyncio-works/`, { waitUntil: 'networkidle' });
    pageCold.push(await runToFirstLine(fresh, '07-execution-order', IN_PAGE));
    if (i === 0) for (let j = 0; j < runs.warm; j++) pageWarm.push(await runToFirstLine(fresh, '07-execution-order', IN_PAGE));
    await fresh.close();
  }
  console.log('In-page runtime (a plain static host: no isolation headers, no book server), example 07-execution-order');
  console.log(`  Run → first line, cold (first Run on a fresh page), median of ${runs.cold}: ${median(pageCold).toFixed(0)} ms  [${pageCold.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  Run → first line, warm (later Runs), median of ${runs.warm}: ${median(pageWarm).toFixed(0)} ms  [${pageWarm.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  scripts the first Run loads (the runtime and its worker), gzipped: ${((await firstRunBytes(browser)) / 1024).toFixed(1)} KB`);
  // Python in the page (Pyodide), on the same plain host.
  const pythonCold: number[] = [];
  const pythonWarm: number[] = [];
  let firstPython = { wire: 0, unpacked: 0, ms: 0 };
  for (let i = 0; i < 3; i++) {
    // Cold: a fresh context, so nothing of Pyodide is in the browser's cache.
    const measured = await firstPythonRunBytes(browser);
    if (i === 0) firstPython = measured;
    pythonCold.push(measured.ms);
  }
  {
    const page = await browser.newPage();
    await page.goto(`${plainOrigin}/how-asyncio-works/`, { waitUntil: 'networkidle' });
    await runToFirstLine(page, '07-execution-order', PYODIDE, 'python');
    for (let j = 0; j < 5; j++) {
      // A reader's pause between two Runs: the spare worker, started with the previous run, loads Pyodide meanwhile.
      await page.waitForTimeout(5_000);
      pythonWarm.push(await runToFirstLine(page, '07-execution-order', PYODIDE, 'python'));
    }
    await page.close();
  }
  console.log('In-page Python (Pyodide, the same plain host), example 07-execution-order');
  console.log(`  bytes the first Python Run loads: ${(firstPython.wire / 1024 / 1024).toFixed(2)} MB over the wire, ${(firstPython.unpacked / 1024 / 1024).toFixed(2)} MB unpacked`);
  console.log(`  Run → first line, cold (empty browser cache: Pyodide loads), median of ${pythonCold.length}: ${median(pythonCold).toFixed(0)} ms  [${pythonCold.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  Run → first line, warm (later Runs, 5 s apart: the spare worker has loaded Pyodide), median of ${pythonWarm.length}: ${median(pythonWarm).toFixed(0)} ms  [${pythonWarm.map((v) => v.toFixed(0)).join(', ')}]`);
  console.log(`  (the JavaScript port in the page, above: cold ${median(pageCold).toFixed(0)} ms, warm ${median(pageWarm).toFixed(0)} ms)`);

  const fresh = await browser.newPage();
  const million = 'for (let i = 0; i < 1_000_000; i++) console.log(`line ${i} of the flood, one console.log each`);\n';
  const stall = await floodStall(fresh, million, `${plainOrigin}/how-asyncio-works/`);
  await fresh.close();
  console.log(`  worst stall while 1,000,000 console.log lines flood in: ${Math.max(stall.longestTask, stall.longestGap).toFixed(0)} ms (longest task ${stall.longestTask.toFixed(0)} ms; run ${(stall.elapsed / 1000).toFixed(1)} s: “${stall.status}”)`);
} finally {
  await browser.close();
  stop();
  stopPlain();
}
