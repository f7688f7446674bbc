// Turning program output into timeline lanes, and lanes into words and SVG.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Lane, Mark, Timeline } from '../src/timeline/model.ts';
import { MAX_LATE_MARKS } from '../src/timeline/marks.ts';
import { MAX_LANES, MAX_MARKS, TimelineBuilder, parseTimeline, shortUrl } from '../src/timeline/parse.ts';
import { axisTicks, drawTimeline } from '../src/timeline/render.ts';
import { overlapOf, summarize } from '../src/timeline/summary.ts';
import { toMarkup, type Child } from '../src/timeline/tree.ts';
import { type Recording } from '../src/examples/schema.ts';

const recorded = (id: string) =>
  (JSON.parse(readFileSync(new URL(`../content/examples/${id}/recorded.json`, import.meta.url), 'utf8')) as Recording).lines.map((line) => line.text);

/** A log line `ms` milliseconds after 23:59:59.500 (so that some runs cross midnight). */
function at(ms: number, message: string): string {
  const date = new Date(Date.UTC(2026, 10, 25, 23, 59, 59, 500) + ms);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())},${pad(date.getUTCMilliseconds(), 3)} ${message}`;
}

const url = (n: number, delay = 300) => `http://127.0.0.1:8765/img/${n}.png?delay=${delay}`;
const downloads = (timeline: Timeline | null) => timeline?.lanes.filter((lane) => lane.kind === 'download') ?? [];
const ofGroup = (timeline: Timeline | null, name: string) => timeline?.lanes.filter((lane) => lane.group === name) ?? [];

function mustParse(lines: string[]): Timeline {
  const timeline = parseTimeline(lines);
  assert.ok(timeline, 'a timeline');
  return timeline;
}

describe('scraper output', () => {
  it('the sequential scraper (its recording): one lane per URL, no two bars overlap, the printed total', () => {
    const lines = recorded('01-scraper-sync');
    const timeline = mustParse(lines);
    const lanes = downloads(timeline);
    assert.equal(lanes.length, 5);
    assert.deepEqual(lanes.map((lane) => lane.label), [1, 2, 3, 4, 5].map((n) => `img/${n}.png?delay=${[300, 800, 500, 1000, 400][n - 1]}`));
    assert.ok(lanes.every((lane) => lane.state === 'done' && lane.end > lane.start));
    assert.equal(overlapOf(lanes).kind, 'none');
    const printed = Number(/Downloaded in (\d+) ms/.exec(lines.join('\n'))?.[1]);
    assert.equal(timeline.totalMs, printed);
    assert.match(summarize(timeline, 'en'), new RegExp(`^5 downloads, one after another, none overlapping, ${printed.toLocaleString('en')} ms in total\\.$`));
  });

  it('the concurrent scraper (its recording): every bar overlaps every other', () => {
    const timeline = mustParse(recorded('02-scraper-async'));
    assert.equal(downloads(timeline).length, 5);
    assert.equal(overlapOf(downloads(timeline)).kind, 'all');
    assert.match(summarize(timeline, 'en'), /^5 downloads, all overlapping, [\d,]+ ms in total\.$/);
    assert.match(summarize(timeline, 'ru'), /^5 загрузок, все идут одновременно, всего [\d\s]+ мс\.$/);
  });

  it('bars start and end at the printed times, across midnight', () => {
    const timeline = mustParse([
      at(0, `Starting download from ${url(1)}`),
      at(20, `Starting download from ${url(2)}`),
      at(320, `Response received from ${url(1)}, size 8053`),
      at(900, `Response received from ${url(2)}, size 30211`),
      at(901, 'Downloaded in 905 ms'),
    ]);
    assert.deepEqual(downloads(timeline).map((lane) => [lane.start, lane.end, lane.detail]), [[4, 324, 'size 8053'], [24, 904, 'size 30211']]);
    assert.equal(timeline.end, 905);
  });

  it('an edited program with ten URLs and a longer delay draws ten lanes', () => {
    const lines = [
      ...Array.from({ length: 10 }, (_, i) => at(i, `Starting download from ${url(i + 1, i === 9 ? 3000 : 300)}`)),
      ...Array.from({ length: 10 }, (_, i) => at(i === 9 ? 3010 : 310 + i, `Response received from ${url(i + 1, i === 9 ? 3000 : 300)}, size 100`)),
      at(3011, 'Downloaded in 3011 ms'),
    ];
    const timeline = mustParse(lines);
    assert.equal(downloads(timeline).length, 10);
    assert.equal(overlapOf(downloads(timeline)).kind, 'all');
    assert.equal(Math.max(...downloads(timeline).map((lane) => lane.end - lane.start)), 3001);
  });

  it('a bad status and a network error are failed bars that say why', () => {
    const timeline = mustParse([
      at(0, `Starting download from ${url(1)}`),
      at(1, `Starting download from ${url(2)}`),
      at(2, `Starting download from https://example.invalid/x.png`),
      at(300, `Bad ${url(1)}, status 500`),
      at(310, 'Bad https://example.invalid/x.png, fetch failed'),
      at(320, `Response received from ${url(2)}, size 9`),
    ]);
    assert.deepEqual(downloads(timeline).map((lane) => [lane.label, lane.state, lane.detail]), [
      ['img/1.png?delay=300', 'failed', 'status 500'],
      ['img/2.png?delay=300', 'done', 'size 9'],
      ['example.invalid/x.png', 'failed', 'fetch failed'],
    ]);
    assert.match(summarize(timeline, 'en'), /3 downloads, all overlapping, 2 failed;/);
  });

  it('the same URL twice is two lanes, each ended by its own response', () => {
    const timeline = mustParse([
      at(0, `Starting download from ${url(1)}`),
      at(5, `Starting download from ${url(1)}`),
      at(300, `Response received from ${url(1)}, size 1`),
      at(310, `Response received from ${url(1)}, size 1`),
    ]);
    assert.deepEqual(downloads(timeline).map((lane) => [lane.start, lane.end]), [[0, 300], [5, 310]]);
  });

  it('a redirect (the response names another URL) still ends the one open download', () => {
    const timeline = mustParse([
      at(0, 'Starting download from http://www.python.org/static/img/python-logo.png'),
      at(90, 'Response received from https://www.python.org/static/img/python-logo.png, size 15770'),
    ]);
    assert.equal(downloads(timeline)[0]?.state, 'done');
  });

  it('a download with no end stays open: to the last line, or to "now" while the program runs', () => {
    const builder = new TimelineBuilder();
    builder.add(at(0, `Starting download from ${url(1)}`));
    const last = builder.add(at(100, `Starting download from ${url(2)}`)) ?? 0;
    assert.deepEqual(builder.snapshot()?.lanes.map((lane) => [lane.state, lane.end]), [['open', 100], ['open', 100]]);
    assert.deepEqual(builder.snapshot(last + 400)?.lanes.map((lane) => lane.end), [500, 500]);
    assert.match(summarize(builder.snapshot() as Timeline, 'en', true), /2 still running/);
    assert.match(summarize(builder.snapshot() as Timeline, 'en', false), /2 with no end in the output/);
  });
});

describe('the server: requests per user, and cancellations', () => {
  const session = [
    at(0, 'Serving on http://127.0.0.1:8080 (Ctrl+C to stop)'),
    at(100, `alice: Starting download from ${url(1)}`),
    at(101, `alice: Starting download from ${url(2)}`),
    at(150, `bob: Starting download from ${url(1, 10000)}`),
    at(151, `bob: Starting download from ${url(2, 10000)}`),
    at(400, `alice: Response received from ${url(1)}, size 8053`),
    at(402, `alice: Response received from ${url(2)}, size 30211`),
    at(403, 'Downloaded 2 images for alice in 304 ms'),
    at(500, `alice: Starting download from ${url(3, 400)}`),
    at(900, `bob: Cancelled download from ${url(1, 10000)}`),
    at(900, `bob: Cancelled download from ${url(2, 10000)}`),
    at(901, 'Tasks were cancelled for bob'),
    at(902, 'Cancelled 2 images for bob'),
    at(903, `alice: Response received from ${url(3, 400)}, size 40661`),
    at(904, 'Downloaded 1 images for alice in 404 ms'),
    at(950, 'Cancelled 0 images for carol'),
  ];

  it('each request is a group: the user\'s bar over its own downloads', () => {
    const timeline = mustParse(session);
    const headers = timeline.lanes.filter((lane) => lane.kind === 'group');
    assert.deepEqual(headers.map((lane) => [lane.label, lane.state]), [['alice', 'done'], ['bob', 'cancelled'], ['alice', 'done']]);
    assert.equal(new Set(headers.map((lane) => lane.groupId)).size, 3, 'two requests of alice are two groups');
    // Groups are drawn in order, each header first and then its downloads.
    assert.deepEqual(timeline.lanes.map((lane) => `${lane.group}:${lane.kind}`), [
      'alice:group', 'alice:download', 'alice:download',
      'bob:group', 'bob:download', 'bob:download',
      'alice:group', 'alice:download',
    ]);
  });

  it("a cancel cuts off that user's bars at the moment of the cancel, and nobody else's", () => {
    const timeline = mustParse(session);
    const bob = ofGroup(timeline, 'bob');
    assert.ok(bob.length === 3 && bob.every((lane) => lane.state === 'cancelled'));
    assert.ok(bob.every((lane) => lane.end <= 902 && lane.end >= 900));
    assert.ok(ofGroup(timeline, 'alice').every((lane) => lane.state === 'done'));
    assert.equal(timeline.lanes.some((lane) => lane.group === 'carol'), false, 'carol had nothing to cancel');
    assert.match(summarize(timeline, 'en'), /bob: 2 downloads, all overlapping, 2 cancelled, cancelled after 751 ms/);
  });

  it("without per-download cancel lines, the user's cancel still cuts off the user's open downloads", () => {
    const timeline = mustParse(session.filter((line) => !line.includes('Cancelled download')));
    assert.ok(ofGroup(timeline, 'bob').every((lane) => lane.state === 'cancelled' && lane.end === 901));
  });

  it("the server's recording: bob's four downloads are cut off together, alice's two requests finish", () => {
    const timeline = mustParse(recorded('04-scraper-server'));
    const bob = ofGroup(timeline, 'bob').filter((lane) => lane.kind === 'download');
    assert.equal(bob.length, 4);
    assert.ok(bob.every((lane) => lane.state === 'cancelled'));
    assert.ok(Math.max(...bob.map((lane) => lane.end)) - Math.min(...bob.map((lane) => lane.end)) < 50, 'one cancel ends them all');
    assert.deepEqual(timeline.lanes.filter((lane) => lane.kind === 'group').map((lane) => `${lane.label} ${lane.state}`), ['alice done', 'bob cancelled', 'alice done']);
  });

  it('client lines (recorded with a [client] prefix) are not server events', () => {
    const timeline = mustParse([...session, `[client] ${at(960, 'scrape alice: 200 {"images": []} in 609 ms')}`]);
    assert.equal(timeline.lanes.some((lane) => lane.label.includes('scrape')), false);
  });
});

describe('phases, the one thread, and timers', () => {
  it('Fibonacci (its recording): two phases, the async one far longer', () => {
    const timeline = mustParse(recorded('03-fibonacci'));
    const [sync, async] = timeline.lanes;
    assert.deepEqual(timeline.lanes.map((lane) => [lane.kind, lane.label]), [['phase', 'Sync Fibonacci'], ['phase', 'Async Fibonacci']]);
    assert.ok(sync && async && async.end - async.start > 10 * Math.max(1, sync.end - sync.start));
    assert.ok((sync?.end ?? 0) <= (async?.start ?? 0), 'one after another on the one thread');
  });

  it('the blocked timer (its recording): every late tick is a gap over a time the thread was busy', () => {
    const timeline = mustParse(recorded('06-blocked-timer'));
    const timer = timeline.lanes.find((lane) => lane.kind === 'timer');
    const busy = timeline.lanes.filter((lane) => lane.kind === 'phase');
    assert.deepEqual(busy.map((lane) => lane.label), ['CPU loop', 'Synchronous sleep']);
    const late = timer?.marks.filter((mark) => mark.late) ?? [];
    assert.equal(late.length, 2);
    assert.ok(timer?.marks.every((mark) => mark.kind === 'tick'));
    assert.deepEqual([timer?.printed.tick, timer?.hiddenMarks], [13, 0], 'thirteen ticks are far below the bound: all kept');
    for (const mark of late) {
      assert.ok(busy.some((phase) => phase.start < mark.at && (mark.late?.since ?? 0) < phase.end), `${mark.label} overlaps a busy phase`);
    }
    assert.match(summarize(timeline, 'en'), /Timer: 13 ticks, 2 late \(\d+, \d+ ms between ticks instead of 100\)/);
  });

  it('parts on one loop run one after another; parts in workers overlap', () => {
    const lines = [
      ...[1, 2, 3].flatMap((k) => [at(k * 200 - 200, `One event loop: part ${k} of 3 starts`), at(k * 200 - 1, `One event loop: part ${k} of 3 done`)]),
      at(600, 'One event loop: total 42 in 600 ms'),
      ...[1, 2, 3].map((k) => at(601 + k, `Worker threads: part ${k} of 3 starts`)),
      ...[3, 1, 2].map((k, i) => at(900 + i * 10, `Worker threads: part ${k} of 3 done`)),
      at(921, 'Worker threads: total 42 in 320 ms'),
    ];
    const timeline = mustParse(lines);
    const parts = (group: string) => ofGroup(timeline, group).filter((lane) => lane.kind === 'phase');
    assert.equal(overlapOf(parts('One event loop')).kind, 'none');
    assert.equal(overlapOf(parts('Worker threads')).kind, 'all');
    assert.match(summarize(timeline, 'en'), /One event loop: 3 phases, one after another, none overlapping, 600 ms; Worker threads: 3 phases, all overlapping, 320 ms/);
    assert.match(summarize(timeline, 'ru'), /One event loop: 3 этапа, один за другим, без наложений, 600 мс; Worker threads: 3 этапа, все идут одновременно/);
  });

  it('responses without starts mark their group\'s bar (the three collector styles)', () => {
    const timeline = mustParse(recorded('09-collector-styles'));
    assert.deepEqual(timeline.lanes.map((lane) => [lane.label, lane.marks.length]), [['callbacks', 3], ['promises', 3], ['async/await', 3]]);
    assert.ok(timeline.lanes.every((lane) => lane.marks.every((mark) => mark.kind === 'response') && lane.printed.response === 3));
  });
});

describe('output with nothing to draw', () => {
  it('gives no timeline and no error', () => {
    assert.equal(parseTimeline(recorded('07-execution-order')), null);
    assert.equal(parseTimeline(recorded('08-async-generator')), null);
    assert.equal(parseTimeline(['hello', '', '\u001b[31mred\u001b[0m', 'Starting download from nowhere', 'x'.repeat(100_000)]), null);
    assert.equal(parseTimeline([at(0, 'Response received from http://a/b, size 1'), at(1, 'Something ends')]), null);
    assert.equal(parseTimeline([]), null);
  });

  it('a flood of downloads keeps the first lanes and counts the rest', () => {
    const timeline = mustParse(Array.from({ length: MAX_LANES + 50 }, (_, i) => at(i, `Starting download from ${url(i)}`)));
    assert.equal(timeline.lanes.length, MAX_LANES);
    assert.equal(timeline.hidden, 50);
  });

  it('reads coloured lines', () => {
    const timeline = mustParse([`\u001b[32m${at(0, `Starting download from ${url(1)}`)}\u001b[0m`, at(10, `Response received from ${url(1)}, size 1`)]);
    assert.equal(downloads(timeline)[0]?.state, 'done');
  });
});

describe('drawing', () => {
  const sequential = mustParse(recorded('01-scraper-sync'));
  const concurrent = mustParse(recorded('02-scraper-async'));

  it('two runs share one axis: the scale is the longer run', () => {
    const drawing = drawTimeline([
      { title: 'Pinned: sequential', timeline: sequential, running: false },
      { title: 'This run', timeline: concurrent, running: false },
    ], 'en');
    const markup = toMarkup(drawing.chart);
    assert.match(markup, new RegExp(`data-scale="${Math.round(Math.max(sequential.end, concurrent.end))}"`));
    assert.equal(markup.match(/class="tl-baseline"/g)?.length, 1, 'one axis');
    assert.equal(markup.match(/role="listitem"/g)?.length, 10);
    assert.match(drawing.summary, /^Pinned: sequential: 5 downloads, one after another.*This run: 5 downloads, all overlapping/);
  });

  it('every lane is focusable and says its start, end and duration', () => {
    const markup = toMarkup(drawTimeline([{ title: '', timeline: sequential, running: false }], 'en').chart);
    const lane = sequential.lanes[1] as Lane;
    assert.equal(markup.match(/tabindex="0"/g)?.length, 5);
    assert.ok(markup.includes(`aria-label="${lane.title}: finished, from ${lane.start.toLocaleString('en')} to ${lane.end.toLocaleString('en')} ms, ${(lane.end - lane.start).toLocaleString('en')} ms (size 30211)"`));
  });

  it('program text is escaped, never markup', () => {
    const evil = 'http://127.0.0.1:1/"><img/src=x/onerror=alert(1)>';
    const timeline = mustParse([at(0, `Starting download from ${evil}`)]);
    const markup = toMarkup(drawTimeline([{ title: '<b>', timeline, running: false }], 'en').chart);
    assert.equal(markup.includes('<img'), false);
    assert.ok(markup.includes('&lt;img/src=x/onerror=alert(1)&gt;'));
  });

  it('axis ticks are round numbers across the scale', () => {
    assert.deepEqual(axisTicks(3172), [0, 1000, 2000, 3000]);
    assert.deepEqual(axisTicks(1113), [0, 500, 1000]);
    assert.deepEqual(axisTicks(7), [0, 2, 4, 6]);
  });

  it('short URLs drop only this machine\'s host', () => {
    assert.equal(shortUrl('http://127.0.0.1:8765/img/1.png?delay=300'), 'img/1.png?delay=300');
    assert.equal(shortUrl('https://www.python.org/static/img/python-logo.png'), 'www.python.org/static/img/python-logo.png');
  });
});

/** Every element in a drawn tree (text nodes are not elements, and cost the page far less). */
function elements(node: Child): number {
  return typeof node === 'string' ? 0 : 1 + node.children.reduce((sum, child) => sum + elements(child), 0);
}

/**
 * A timer's output: "Timer starts" and then `count` ticks, 100 ms apart unless `gapOf` says that
 * tick k (from 1) came later.
 */
function timerLines(count: number, gapOf: (k: number) => number = () => 100): string[] {
  const lines = [at(0, 'Timer starts: a tick every 100 ms')];
  let time = 0;
  for (let k = 1; k <= count; k++) {
    const gap = gapOf(k);
    time += gap;
    lines.push(at(time, `Tick ${k}: ${gap} ms since the previous tick`));
  }
  return lines;
}

const timerOf = (timeline: Timeline) => {
  const timers = timeline.lanes.filter((lane) => lane.kind === 'timer');
  assert.equal(timers.length, 1, 'one timer lane');
  return timers[0] as Lane;
};
const tickNumber = (mark: Mark) => Number(/^Tick (\d+)$/.exec(mark.label)?.[1]);

describe('a flood of ticks stays a bounded drawing', () => {
  const TICKS = 200_000;
  // Three late ticks in the flood, none of them where the even thinning would keep one anyway.
  const lateAt = new Map([[50_001, 600], [123_457, 900], [199_999, 250]]);
  const flood = mustParse(timerLines(TICKS, (k) => lateAt.get(k) ?? 100));
  const timer = timerOf(flood);
  const drawn = (locale: 'en' | 'ru') => toMarkup(drawTimeline([{ title: '', timeline: flood, running: false }], locale).chart);
  /** Numbers as the page prints them (Russian groups digits with a no-break space). */
  const number = (value: number, locale: 'en' | 'ru') => value.toLocaleString(locale);

  it('200,000 ticks: one timer lane with at most MAX_MARKS marks, the rest counted', () => {
    assert.equal(flood.lanes.length, 1);
    assert.ok(timer.marks.length <= MAX_MARKS, `${timer.marks.length} marks`);
    assert.ok(timer.marks.length >= MAX_MARKS / 4, 'thinned, not emptied');
    assert.deepEqual(timer.printed, { tick: TICKS, late: 3, response: 0 });
    assert.equal(timer.hiddenMarks, TICKS - timer.marks.length);
    assert.ok(timer.marks.every((mark) => mark.kind === 'tick'));
  });

  it('the marks kept are spread over the whole run, first tick to last, in order', () => {
    const numbers = timer.marks.map(tickNumber);
    assert.equal(numbers[0], 1);
    assert.equal(numbers.at(-1), TICKS, 'the latest tick, so the drawing reaches the end of the run');
    const steps = numbers.slice(1).map((n, i) => n - (numbers[i] as number));
    assert.ok(steps.every((step) => step > 0), 'in the order printed');
    // Even thinning: no stretch of the run without a mark longer than 1 % of it.
    assert.ok(Math.max(...steps) <= TICKS / 100, `longest step ${Math.max(...steps)} ticks`);
    assert.ok(timer.end - timer.start >= TICKS * 100, 'the timer line still spans the run');
  });

  it('late ticks inside the flood survive the thinning, each with its gap', () => {
    const late = timer.marks.filter((mark) => mark.late);
    assert.deepEqual(late.map((mark) => [tickNumber(mark), mark.at - (mark.late?.since ?? 0)]), [...lateAt]);
    assert.match(summarize(flood, 'en'), /^Timer: 200,000 ticks, 3 late \(600, 900, 250 ms between ticks instead of 100\); /);
    assert.equal(drawn('en').match(/class="tl-late"/g)?.length, 3);
  });

  it('the words tell the real number of ticks and how many marks are not drawn, in both languages', () => {
    const hidden = timer.hiddenMarks;
    const en = drawn('en');
    assert.ok(en.includes(`class="tl-value" x="100%" y="12" text-anchor="end">200,000 ticks · 3 late</text>`), 'the real count of ticks');
    assert.ok(en.includes(`class="tl-note" x="100%" y="41" text-anchor="end">${number(hidden, 'en')} marks not drawn</text>`), 'under the value');
    assert.ok(en.includes(`Tick 199999 came 250 ms after the previous one instead of 100; ${number(hidden, 'en')} marks not drawn"`), 'in its accessible name');
    const ru = drawn('ru');
    assert.ok(ru.includes(`>${number(TICKS, 'ru')} тиков · опоздали: 3</text>`));
    assert.ok(ru.includes(`class="tl-note" x="100%" y="41" text-anchor="end">не показано отметок: ${number(hidden, 'ru')}</text>`));
    assert.ok(ru.includes(`вместо 100; не показано отметок: ${number(hidden, 'ru')}"`));
    assert.ok(summarize(flood, 'ru').startsWith(`Timer: ${number(TICKS, 'ru')} тиков, опоздали: 3 (600, 900, 250 мс между тиками вместо 100); `));
  });

  it('the drawing of that lane has a bounded number of SVG elements', () => {
    const { chart } = drawTimeline([{ title: '', timeline: flood, running: false }], 'en');
    // One element per tick kept (two for a late one), a handful for the lane, the axis and the frame.
    assert.ok(elements(chart) <= MAX_MARKS + 50, `${elements(chart)} elements`);
  });

  it('a flood of late ticks keeps the longest gaps, names only a few, and counts them all', () => {
    // Every tenth tick is late, by a different amount (7919 is prime to 10007: no two gaps equal).
    const gap = (k: number) => (k % 10 === 0 ? 200 + ((k / 10) * 7919) % 10_007 : 100);
    const timeline = mustParse(timerLines(50_000, gap));
    const timer = timerOf(timeline);
    const gaps = Array.from({ length: 50_000 }, (_, i) => gap(i + 1)).filter((g) => g > 100);
    const longest = [...gaps].sort((a, b) => b - a).slice(0, MAX_LATE_MARKS);
    const kept = new Set(timer.marks.filter((mark) => mark.late).map((mark) => mark.at - (mark.late?.since ?? 0)));
    assert.ok(timer.marks.length <= MAX_MARKS);
    assert.equal(timer.printed.late, 5_000);
    for (const g of longest) assert.ok(kept.has(g), `the gap of ${g} ms is kept`);
    const summary = summarize(timeline, 'en');
    assert.match(summary, /^Timer: 50,000 ticks, 5,000 late \(the longest ([\d,]+, ){4}[\d,]+ ms between ticks instead of 100\)/);
    for (const g of longest.slice(0, 5)) assert.ok(summary.includes(g.toLocaleString('en')), `${g} named`);
    assert.ok(summarize(timeline, 'ru').startsWith(`Timer: ${number(50_000, 'ru')} тиков, опоздали: ${number(5_000, 'ru')} (самые долгие промежутки — `));
    assert.ok(elements(drawTimeline([{ title: '', timeline, running: false }], 'en').chart) <= MAX_MARKS + MAX_LATE_MARKS + 50);
  });

  it('ticks past the lane limit count their timer once as a hidden lane, not once per tick', () => {
    const full = Array.from({ length: MAX_LANES }, (_, i) => at(i, `Starting download from ${url(i)}`));
    // With its "Timer starts" line (a timer lane refused), and without (the ticks' own lane refused).
    for (const lines of [timerLines(1_000), timerLines(1_000).slice(1)]) {
      const timeline = mustParse([...full, ...lines]);
      assert.equal(timeline.lanes.length, MAX_LANES);
      assert.equal(timeline.hidden, 1);
    }
  });
});

describe("a mark's kind, not its label, decides how it is drawn and told", () => {
  it('a response whose label starts with "Tick" is a dot, and no tick', () => {
    const timeline = mustParse([at(0, 'callbacks: Response received from Tick, size 1'), at(5, 'callbacks: Response received from Tick, size 2')]);
    const [lane] = timeline.lanes;
    assert.deepEqual(lane?.marks.map((mark) => [mark.kind, mark.label]), [['response', 'Tick size 1'], ['response', 'Tick size 2']]);
    const drawing = drawTimeline([{ title: '', timeline, running: false }], 'en');
    const chart = toMarkup(drawing.chart);
    assert.equal(chart.match(/class="tl-mark"/g)?.length, 2);
    assert.equal(chart.includes('tl-tick"'), false);
    assert.equal(chart.includes('ticks'), false);
    const legend = toMarkup(drawing.legend);
    assert.ok(legend.includes('a response arrived'));
    assert.equal(legend.includes('timer tick'), false);
  });

  it('on a timer lane, a tick is a stroke and a response a dot, whatever their labels', () => {
    const marks: Mark[] = [
      { at: 100, kind: 'tick', label: 'Tick 1' },
      { at: 200, kind: 'response', label: 'Tick 2' },
      { at: 500, kind: 'tick', label: 'Response 3', late: { since: 100, period: 100 } },
    ];
    const timer: Lane = {
      key: 't', kind: 'timer', label: 'Timer', title: 'Timer', group: '', groupId: '', start: 0, end: 600, state: 'done', detail: '',
      marks, printed: { tick: 2, late: 1, response: 1 }, hiddenMarks: 0,
    };
    const timeline: Timeline = { lanes: [timer], end: 600, totalMs: null, hidden: 0 };
    const drawing = drawTimeline([{ title: '', timeline, running: false }], 'en');
    const chart = toMarkup(drawing.chart);
    assert.equal(chart.match(/class="tl-tick"/g)?.length, 2);
    assert.equal(chart.match(/class="tl-mark"/g)?.length, 1);
    assert.equal(chart.match(/class="tl-late"/g)?.length, 1);
    assert.ok(chart.includes('>2 ticks · 1 late</text>'));
    assert.ok(chart.includes('Response 3 came 400 ms after the previous one instead of 100'));
    assert.match(summarize(timeline, 'en'), /^Timer: 2 ticks, 1 late \(400 ms between ticks instead of 100\)/);
  });
});
