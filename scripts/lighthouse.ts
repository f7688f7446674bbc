/**
 * `npm run lighthouse`: Lighthouse over every page of the sitemap, in its mobile and desktop
 * presets, with the built book served as `npm start` serves it (scripts/serve.ts, precompressed
 * files, the local runtime on), and, in the same run, over two baselines: the book's 404 page (a
 * short bare Starlight page of the same build) and the longest chapter as a bare Starlight site shows
 * it (scripts/lib/bare-chapter.ts: the same text and code, none of the book's parts), which is what
 * issue 15 compares every page with. Prints one table, whether every page meets the issue's bar, and
 * the failing audits with the pages they fail on. Builds first when dist/ is missing.
 *
 *   npm run lighthouse [-- --only /history/,/en/history/] [--preset mobile|desktop] [--runs 1] [--save dir] [--bare how-asyncio-works.mdx]
 *
 * --save writes each run's full report (Lighthouse's JSON) into dir, to read what an audit found.
 *
 * LIGHTHOUSE_PORT (default 4497) is the server's port. Chromium is the tests' (e2e/support/browser.ts),
 * launched by chrome-launcher (Lighthouse's own launcher) with the same flags, headless. Figures
 * vary with the machine's load: compare pages with the baseline of the same run, not across runs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { type Flags, type Result } from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import { sitemapPaths } from '../e2e/support/site.ts';
import { chromiumLaunchOptions } from '../e2e/support/browser.ts';
import { startBookServer } from './lib/book-server.ts';
import { BARE_PATH, buildBareChapter } from './lib/bare-chapter.ts';

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    preset: { type: 'string' },
    runs: { type: 'string', default: '1' },
    save: { type: 'string' },
    bare: { type: 'string', default: 'how-asyncio-works.mdx' },
  },
});
const port = Number(process.env.LIGHTHOUSE_PORT ?? 4497);
const origin = `http://127.0.0.1:${port}`;
const BASELINE = '/404.html';
/** The bare chapter's row: served by a second server on the next port. */
const BARE = `bare Starlight ${options.bare!.replace(/\.mdx?$/, '')}`;
const bareOrigin = `http://127.0.0.1:${port + 1}`;
const presets = (options.preset ? [options.preset] : ['mobile', 'desktop']) as ('mobile' | 'desktop')[];
const runs = Math.max(1, Number(options.runs) || 1);

if (!existsSync('dist/sitemap-0.xml')) {
  console.log('dist/ is missing: building it first (npm run build)…');
  const built = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}


interface Row {
  path: string;
  preset: 'mobile' | 'desktop';
  scores: Record<'performance' | 'accessibility' | 'best-practices' | 'seo', number>;
  fcp: number;
  lcp: number;
  tbt: number;
  cls: number;
  bytes: number;
  dom: number;
  failing: string[];
}

const numeric = (lhr: Result, id: string) => lhr.audits[id]?.numericValue ?? NaN;

function rowOf(path: string, preset: Row['preset'], lhr: Result): Row {
  const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100);
  // An audit fails when it has a score below 0.9 (Lighthouse's own "failed" threshold for binary
  // audits is 1); informative and not-applicable audits have a null score and are left out.
  const failing = Object.values(lhr.audits)
    .filter((audit) => audit.score !== null && audit.score < 0.9 && audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual')
    .map((audit) => audit.id);
  return {
    path,
    preset,
    scores: { performance: score('performance'), accessibility: score('accessibility'), 'best-practices': score('best-practices'), seo: score('seo') },
    fcp: numeric(lhr, 'first-contentful-paint'),
    lcp: numeric(lhr, 'largest-contentful-paint'),
    tbt: numeric(lhr, 'total-blocking-time'),
    cls: numeric(lhr, 'cumulative-layout-shift'),
    bytes: numeric(lhr, 'total-byte-weight'),
    dom: numeric(lhr, 'dom-size-insight'), // Lighthouse 13: the element count of the page
    failing,
  };
}

/** The median run of a page by performance score (several runs smooth out a busy machine). */
function median(rows: Row[]): Row {
  const sorted = [...rows].sort((a, b) => a.scores.performance - b.scores.performance);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const pages = options.only ? options.only.split(',').map((path) => path.trim()) : sitemapPaths();
const bareDist = await buildBareChapter(options.bare!);
const stop = await startBookServer(['--port', String(port)]);
const stopBare = await startBookServer(['--port', String(port + 1), '--dist', bareDist, '--no-runtime']);
const chrome = await chromeLauncher.launch({
  chromePath: chromiumLaunchOptions.executablePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', ...(chromiumLaunchOptions.args ?? [])],
});
const rows: Row[] = [];
try {
  for (const preset of presets) {
    for (const path of [BARE, BASELINE, ...pages]) {
      const url = path === BARE ? `${bareOrigin}${BARE_PATH}` : `${origin}${path}`;
      const measured: Row[] = [];
      for (let run = 0; run < runs; run++) {
        const flags: Flags = { port: chrome.port, output: 'json', logLevel: 'error' };
        const result = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
        if (!result) throw new Error(`Lighthouse returned nothing for ${path}`);
        // A page Lighthouse could not measure says why, rather than a row of zeros.
        if (result.lhr.runtimeError) process.stderr.write(`${preset} ${path}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}\n`);
        if (options.save) {
          mkdirSync(options.save, { recursive: true });
          writeFileSync(join(options.save, `${preset}${path.replaceAll(/[/ ]/g, '_')}${run}.json`), JSON.stringify(result.lhr));
        }
        measured.push(rowOf(path, preset, result.lhr));
      }
      const row = median(measured);
      rows.push(row);
      process.stderr.write(`${preset} ${path}: performance ${row.scores.performance}\n`);
    }
  }
} finally {
  await chrome.kill();
  stop();
  stopBare();
}

const ms = (n: number) => (Number.isFinite(n) ? `${Math.round(n)}` : '–');
const header = '| page | preset | perf | a11y | bp | seo | FCP ms | LCP ms | TBT ms | CLS | KB | DOM |';
console.log(
  `\nLighthouse ${(await import('lighthouse/package.json', { with: { type: 'json' } })).default.version}, ${runs} run(s) a page (median by performance); ` +
    `baselines: ${BARE} (the chapter's text and code in a bare Starlight site) and ${BASELINE} (a short bare page of this build)\n`,
);
console.log(header);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const row of rows) {
  const { scores } = row;
  const name = row.path === BASELINE || row.path === BARE ? `${row.path} (baseline)` : row.path;
  console.log(
    `| ${name} | ${row.preset} | ${scores.performance} | ${scores.accessibility} | ${scores['best-practices']} | ${scores.seo} | ${ms(row.fcp)} | ${ms(row.lcp)} | ${ms(row.tbt)} | ${row.cls.toFixed(3)} | ${Math.round(row.bytes / 1024)} | ${ms(row.dom)} |`,
  );
}
// Issue 15's bar: on a phone at least 95 and at least the bare chapter's score; on a desktop 100; the
// other categories 100; CLS under 0.05.
const bare = new Map(rows.filter((row) => row.path === BARE).map((row) => [row.preset, row.scores.performance]));
const short = rows
  .filter((row) => row.path !== BARE && row.path !== BASELINE)
  .filter((row) => {
    const { performance, accessibility, seo } = row.scores;
    const enough = row.preset === 'mobile' ? Math.max(95, bare.get('mobile') ?? 0) : 100;
    return performance < enough || accessibility < 100 || row.scores['best-practices'] < 100 || seo < 100 || !(row.cls < 0.05);
  });
console.log(
  `\nThe bar (mobile ≥ 95 and ≥ ${BARE}'s ${bare.get('mobile') ?? '–'}, desktop 100, the rest 100, CLS < 0.05): ` +
    (short.length === 0 ? 'every page meets it' : `missed by ${short.map((row) => `${row.path} (${row.preset})`).join(', ')}`),
);
const failures = new Map<string, string[]>();
for (const row of rows) for (const id of row.failing) failures.set(id, [...(failures.get(id) ?? []), `${row.path} (${row.preset})`]);
console.log('\nFailing audits (score below 0.9):');
if (failures.size === 0) console.log('  none');
for (const [id, where] of [...failures].sort((a, b) => b[1].length - a[1].length)) {
  // The baseline fails it too: Starlight's own, not the book's.
  const everywhere = where.length === rows.length ? 'every page, the baseline included' : where.join(', ');
  console.log(`  ${id} (${where.length} of ${rows.length}): ${everywhere}`);
}
