/**
 * `npm run bench`: figures for the budgets in the design notes, measured on the built site.
 *
 * 1. For each chapter page, the JavaScript a reader downloads before touching anything (gzipped
 *    KB), next to a bare Starlight page of the same build (the 404 page: Starlight, none of the
 *    book's components), so the difference is what the book adds.
 * 2. The median time from clicking Run to the first line of output with the local runtime: cold
 *    (first Run after loading the page: the sandbox code, the type stripper and the runtime load)
 *    and warm (later Runs on the same page).
 *
 * 3. The cost of one timeline redraw (parse the whole output, lay it out, make the markup) for the
 *    recorded server session and for a run at the lane limit, against parsing alone, in this
 *    process: a live run redraws at most once per frame, so this is what each frame pays. And a
 *    timer that printed 200,000 ticks, parsed once (as a live run has, line by line) and then
 *    redrawn (snapshot, layout, markup): the mark bound keeps that redraw as cheap as a small run's.
 *
 * Needs a build (`npm run build`). Prints figures; asserts nothing, because timings vary by machine.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { sitemapPaths } from '../e2e/support/site.ts';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { readFileSync } from 'node:fs';
import { MAX_LANES, MAX_MARKS, TimelineBuilder, parseTimeline } from '../src/timeline/parse.ts';
import { drawTimeline } from '../src/timeline/render.ts';
import { toMarkup } from '../src/timeline/tree.ts';
import { type Recording } from '../src/examples/schema.ts';

const port = 4399;
const origin = `http://127.0.0.1:${port}`;
const runs = { cold: 5, warm: 10 };
/** The local runtime's token: pages are opened with it in the address, as a reader opens the printed one. */
const token = randomBytes(24).toString('hex');

async function startServer(): Promise<() => void> {
  const server = spawn(process.execPath, ['scripts/serve.ts', '--port', String(port)], {
    env: { ...process.env, BOOK_RUNTIME_TOKEN: token },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Serving the book')) resolve();
    });
    server.on('exit', (code) => reject(new Error(`scripts/serve.ts exited with ${code}`)));
  });
  return () => server.kill('SIGTERM');
}

/** Gzipped bytes of every script the page loads by itself, before any interaction. */
async function initialScriptBytes(page: Page, path: string): Promise<number> {
  const bodies: Promise<number>[] = [];
  const listener = (response: import('@playwright/test').Response) => {
    if (response.request().resourceType() === 'script') bodies.push(response.body().then((body) => gzipSync(body, { level: 9 }).length));
  };
  page.on('response', listener);
  await page.goto(origin + path, { waitUntil: 'networkidle' });
  page.off('response', listener);
  const sizes = await Promise.all(bodies);
  return sizes.reduce((sum, size) => sum + size, 0);
}

/** Milliseconds from the Run click to the first live line in the example's output. */
async function runToFirstLine(page: Page, exampleId: string): Promise<number> {
  return page.evaluate(async (id) => {
    const box = document.getElementById(`example-${id}`)!;
    const pre = box.querySelector('[data-output]')!;
    const status = box.querySelector('[data-status]')!;
    // A live line differs from the previous run's first line (its timestamp does), and the
    // recorded output shown before the first run has no `.out-line` rows at all.
    const before = pre.querySelector('.out-line')?.textContent ?? null;
    const firstLine = new Promise<number>((resolve) => {
      const observer = new MutationObserver(() => {
        const first = pre.querySelector('.out-line')?.textContent ?? null;
        if (/local Node|локальный Node/.test(status.textContent ?? '') && first !== null && first !== before) {
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
      const check = () => (box.hasAttribute('data-running') ? setTimeout(check, 20) : resolve());
      check();
    });
    return seen - clicked;
  }, exampleId);
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
const browser = await chromium.launch(chromiumLaunchOptions);
try {
  const page = await browser.newPage();
  const baseline = await initialScriptBytes(page, '/404.html');
  console.log('JavaScript before any interaction (gzipped)');
  console.log(`  bare Starlight page (404)              ${(baseline / 1024).toFixed(1)} KB`);
  for (const path of sitemapPaths()) {
    const bytes = await initialScriptBytes(page, path);
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
} finally {
  await browser.close();
  stop();
}
