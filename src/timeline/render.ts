/**
 * Draws timelines as one SVG: a run, or a pinned run and another below it, on one shared axis.
 * Horizontal positions are percentages and text keeps its pixel size, so the same drawing fits a
 * phone and a wide screen without scaling the labels down. Colours are CSS classes on the
 * site's theme variables (src/styles/timeline.css), so the chart follows light and dark.
 */
import { counted, t, type Locale, type UiKey } from '../i18n/ui.ts';
import type { Lane, Mark, Timeline } from './model.ts';
import { duration, longestLate, summarize } from './summary.ts';
import { h, type Node } from './tree.ts';

export interface Section {
  /** Shown above the section's lanes when more than one section is drawn. */
  title: string;
  timeline: Timeline;
  /** Open bars are still going (a live run), rather than never ended. */
  running: boolean;
}

export interface Drawing {
  chart: Node;
  summary: string;
  legend: Node;
  hidden: number;
}

const ROW = 34;
/** The line under a lane that says how many of its marks are not drawn. */
const NOTE = 14;
const SECTION = 26;
const GROUP_GAP = 8;
const AXIS = 26;
const BAR_Y = 17;
const BAR_H = 11;
const LABEL_MAX = 44;

/** Long labels lose their middle, where URLs differ least. */
function shorten(text: string, max = LABEL_MAX): string {
  if (text.length <= max) return text;
  const keep = max - 1;
  return `${text.slice(0, Math.ceil(keep / 2))}…${text.slice(text.length - Math.floor(keep / 2))}`;
}

/** Steps of 1, 2 or 5 times a power of ten, about four of them across the axis. */
export function axisTicks(max: number): number[] {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(Math.max(raw, 1)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let value = 0; value <= max; value += step) ticks.push(value);
  return ticks;
}

/** A legend entry drawn with the very classes of the chart, so that it always looks like its bars. */
function swatch(state: string): Node {
  const bar = { x: 1, y: 1, width: 16, height: 10, rx: 2 };
  switch (state) {
    case 'phase':
    case 'group':
      return h('rect', { ...bar, class: `tl-bar tl-bar--${state}` });
    case 'mark':
      return h('circle', { class: 'tl-mark', cx: 9, cy: 6, r: 3.5 });
    case 'tick':
      return h('rect', { class: 'tl-tick', x: 8, y: 0, width: 2, height: 12 });
    case 'late':
      return h('rect', { ...bar, class: 'tl-late' });
    default: // a download's state: done, failed, cancelled, open, running
      return h('g', { class: `tl-state--${state}` }, h('rect', { ...bar, class: 'tl-bar tl-bar--download' }));
  }
}

export function drawTimeline(sections: Section[], locale: Locale): Drawing {
  const max = Math.max(1, ...sections.map((section) => section.timeline.end));
  const pct = (ms: number) => `${((Math.min(Math.max(ms, 0), max) / max) * 100).toFixed(3)}%`;
  const ms = (value: number) => Math.round(value).toLocaleString(locale);
  const say = (key: UiKey, values?: Record<string, string | number>) => t(locale, key, values);
  const titled = sections.length > 1;

  let y = 0;
  const bodies: Node[] = [];
  const states = new Set<string>();
  for (const section of sections) {
    const lanes: Node[] = [];
    if (titled) {
      // A phone has room for about forty characters of a bold title; the list's label and the summary say it all.
      const title = section.title.length > 42 ? `${section.title.slice(0, 41)}…` : section.title;
      lanes.push(h('text', { class: 'tl-section', x: 0, y: y + 17 }, title));
      y += SECTION;
    }
    let previousGroup: string | undefined;
    for (const lane of section.timeline.lanes) {
      if (previousGroup !== undefined && lane.groupId !== previousGroup && lane.group) y += GROUP_GAP;
      previousGroup = lane.groupId;
      lanes.push(drawLane(lane, y, section.running));
      y += ROW + (lane.hiddenMarks ? NOTE : 0);
    }
    bodies.push(h('g', { role: 'list', 'aria-label': titled ? section.title : say('timeline.title') }, lanes));
  }

  function drawLane(lane: Lane, top: number, running: boolean): Node {
    const state = lane.state === 'open' && running ? 'running' : lane.state;
    const stateWord = say(`timeline.state.${state}` as UiKey);
    const length = ms(duration(lane));
    // What is drawn goes by the marks kept; what is said goes by what the program printed.
    const drawn = new Set(lane.marks.map((mark) => (mark.kind === 'response' ? 'mark' : mark.late ? 'late' : 'tick')));
    const { tick: tickCount, late: lateCount } = lane.printed;
    const hiddenWords = lane.hiddenMarks ? say('timeline.hiddenMarks', { count: lane.hiddenMarks.toLocaleString(locale), marks: counted(locale, 'mark', lane.hiddenMarks) }) : '';
    let value: string;
    if (lane.kind === 'timer') {
      value = counted(locale, 'tick', tickCount) + (lateCount ? ` · ${say('timeline.lateCount', { count: lateCount.toLocaleString(locale) })}` : '');
    } else if (lane.kind === 'group' && state === 'cancelled') {
      value = say('timeline.requestCancelledShort', { ms: length });
    } else if (state === 'done') {
      value = say('timeline.ms', { ms: length });
    } else if (state === 'running') {
      value = `${say('timeline.ms', { ms: length })}…`;
    } else {
      value = `${stateWord}${lane.detail && state === 'failed' ? `: ${shorten(lane.detail, 24)}` : ''} · ${say('timeline.ms', { ms: length })}`;
    }
    if (lane.kind !== 'timer') states.add(lane.kind === 'download' || state !== 'done' ? state : lane.kind === 'group' ? 'group' : 'phase');
    // A late tick is drawn as a tick with its gap, so its legend shows both.
    if (drawn.has('tick') || drawn.has('late')) states.add('tick');
    for (const kind of ['late', 'mark'] as const) if (drawn.has(kind)) states.add(kind);

    const range = `${ms(lane.start)}–${ms(lane.end)} ${say('timeline.ms', { ms: '' }).trim()}`;
    let label = say('timeline.lane', { label: lane.title, state: stateWord, start: ms(lane.start), end: ms(lane.end), duration: length });
    if (lane.detail && lane.kind !== 'group') label += ` (${lane.detail})`;
    const late = longestLate(lane);
    // When not every late tick is told, the count comes first, so that the list reads as a selection.
    if (late.length < lateCount) label += `; ${say('timeline.lateCount', { count: lateCount.toLocaleString(locale) })}`;
    if (late.length) {
      label += `; ${late.map((mark) => say('timeline.tickLate', { label: mark.label, gap: ms(mark.at - (mark.late?.since ?? mark.at)), period: ms(mark.late?.period ?? 0) })).join('; ')}`;
    }
    if (hiddenWords) label += `; ${hiddenWords}`;

    const shapes: Node[] = [h('rect', { class: 'tl-track', x: 0, y: BAR_Y, width: '100%', height: BAR_H })];
    // A bar of a few milliseconds on a scale of seconds still shows: at least 2 px wide.
    const width = pct(lane.end - lane.start);
    if (lane.kind === 'timer') {
      shapes.push(h('rect', { class: 'tl-timer-line', x: pct(lane.start), y: BAR_Y + BAR_H / 2 - 1, width: pct(lane.end - lane.start), height: 2 }));
      shapes.push(...lane.marks.flatMap(drawMark));
    } else {
      const y0 = lane.kind === 'group' ? BAR_Y + 3 : BAR_Y;
      const height = lane.kind === 'group' ? BAR_H - 6 : BAR_H;
      shapes.push(h('rect', { class: `tl-bar tl-bar--${lane.kind === 'download' ? 'download' : lane.kind}`, x: pct(lane.start), y: y0, width, height, rx: 2, style: `width:max(${width}, 2px)` }));
      shapes.push(...lane.marks.flatMap(drawMark));
      if (state === 'cancelled') {
        shapes.push(h('rect', { class: 'tl-cut', x: pct(lane.end), y: BAR_Y - 4, width: 3, height: BAR_H + 8, transform: 'translate(-1.5 0)' }));
      }
      if (state === 'failed') {
        shapes.push(h('text', { class: 'tl-cross', x: pct(lane.end), y: BAR_Y + BAR_H - 1, dx: lane.end / max > 0.95 ? -12 : 3 }, '✕'));
      }
    }

    return h('g', {
      class: `tl-lane tl-lane--${lane.kind} tl-state--${state}`,
      role: 'listitem',
      tabindex: 0,
      'aria-label': label,
      'data-key': lane.key,
      'data-start': Math.round(lane.start),
      'data-end': Math.round(lane.end),
      transform: `translate(0 ${top})`,
    },
    h('title', {}, label),
    h('text', { class: lane.kind === 'group' ? 'tl-label tl-label--group' : 'tl-label', x: 0, y: 12 }, shorten(lane.label || lane.group)),
    h('text', { class: 'tl-value', x: '100%', y: 12, 'text-anchor': 'end' }, value),
    h('text', { class: 'tl-detail', x: '100%', y: 12, 'text-anchor': 'end' }, `${range} · ${value}`),
    // Under the value rather than after it: on a phone one line cannot hold both beside the label.
    hiddenWords ? h('text', { class: 'tl-note', x: '100%', y: BAR_Y + BAR_H + NOTE - 1, 'text-anchor': 'end' }, hiddenWords) : null,
    shapes);
  }

  /** A tick is a stroke (a late one over its gap), a response a dot: by the mark's kind, whatever the lane. */
  function drawMark(mark: Mark): Node[] {
    if (mark.kind === 'response') return [h('circle', { class: 'tl-mark', cx: pct(mark.at), cy: BAR_Y + BAR_H / 2, r: 3.5 })];
    const tick = h('rect', { class: 'tl-tick', x: pct(mark.at), y: BAR_Y - 2, width: 2, height: BAR_H + 4, transform: 'translate(-1 0)' });
    if (!mark.late) return [tick];
    return [h('rect', { class: 'tl-late', x: pct(mark.late.since), y: BAR_Y, width: pct(mark.at - mark.late.since), height: BAR_H }), tick];
  }

  const axisY = y + 4;
  const ticks = axisTicks(max);
  const axis = h('g', { class: 'tl-axis', 'aria-hidden': 'true' },
    ticks.map((tick) => h('line', { class: 'tl-grid', x1: pct(tick), x2: pct(tick), y1: 0, y2: axisY })),
    h('line', { class: 'tl-baseline', x1: 0, x2: '100%', y1: axisY, y2: axisY }),
    ticks.map((tick, index) => {
      const share = tick / max;
      const anchor = share < 0.04 ? 'start' : share > 0.92 ? 'end' : 'middle';
      const text = index === ticks.length - 1 ? say('timeline.ms', { ms: ms(tick) }) : ms(tick);
      return h('text', { class: 'tl-tick-label', x: pct(tick), y: axisY + 17, 'text-anchor': anchor }, text);
    }));

  const summary = sections.length > 1
    ? sections.map((section) => `${section.title}: ${summarize(section.timeline, locale, section.running)}`).join(' ')
    : summarize(sections[0]?.timeline ?? { lanes: [], end: 0, totalMs: null, hidden: 0 }, locale, sections[0]?.running);

  const chart = h('svg', {
    class: 'tl-chart',
    width: '100%',
    height: axisY + AXIS,
    role: 'group',
    // The summary is the visible caption right above; the chart's own name stays short.
    'aria-label': say('timeline.title'),
    'data-scale': Math.round(max),
  }, axis, bodies);

  const order = ['done', 'phase', 'group', 'mark', 'failed', 'cancelled', 'open', 'running', 'tick', 'late'];
  const legend = h('ul', { class: 'tl-legend', 'aria-hidden': 'true' },
    order.filter((state) => states.has(state)).map((state) =>
      h('li', {},
        h('svg', { width: 18, height: 12, class: 'tl-swatch' }, swatch(state)),
        say(`timeline.legend.${state}` as UiKey))));

  return { chart, summary, legend, hidden: sections.reduce((sum, section) => sum + section.timeline.hidden, 0) };
}
