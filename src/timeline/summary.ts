/**
 * The timeline in words, for the caption and for screen readers: how many lanes, whether they
 * overlapped, how long it all took, and what failed, was cancelled or came late.
 */
import { counted, t, type Locale } from '../i18n/ui.ts';
import type { Lane, Mark, Timeline } from './model.ts';

export type Overlap = 'all' | 'none' | 'some' | 'single';

/** Two bars overlap when each starts before the other ends; touching end to start is not overlapping. */
export function overlaps(a: Lane, b: Lane): boolean {
  return a.start < b.end && b.start < a.end;
}

/** How the bars of these lanes sit against one another, and how many overlap at least one other. */
export function overlapOf(lanes: Lane[]): { kind: Overlap; count: number } {
  if (lanes.length < 2) return { kind: 'single', count: 0 };
  let pairs = 0;
  const touched = new Set<Lane>();
  for (let i = 0; i < lanes.length; i++) {
    for (let j = i + 1; j < lanes.length; j++) {
      const [a, b] = [lanes[i] as Lane, lanes[j] as Lane];
      if (overlaps(a, b)) {
        pairs += 1;
        touched.add(a).add(b);
      }
    }
  }
  const all = (lanes.length * (lanes.length - 1)) / 2;
  return { kind: pairs === all ? 'all' : pairs === 0 ? 'none' : 'some', count: touched.size };
}

export const duration = (lane: Lane) => Math.max(0, lane.end - lane.start);

/** How many late ticks the words name one by one; a sentence of a hundred gaps tells nothing. */
export const LATE_TOLD = 5;

const gapOf = (mark: Mark) => mark.at - (mark.late?.since ?? mark.at);

/** The late ticks to name: the longest gaps kept (the earlier of equal ones), in time order. */
export function longestLate(lane: Lane, count = LATE_TOLD): Mark[] {
  const late = lane.marks.filter((mark) => mark.kind === 'tick' && mark.late);
  if (late.length <= count) return late;
  const longest = new Set([...late].sort((a, b) => gapOf(b) - gapOf(a)).slice(0, count));
  return late.filter((mark) => longest.has(mark));
}

/** The lanes by group, in order; two requests of one user are two groups. */
export function groupsOf(timeline: Timeline): Lane[][] {
  const groups = new Map<string, Lane[]>();
  for (const lane of timeline.lanes) groups.set(lane.groupId, [...(groups.get(lane.groupId) ?? []), lane]);
  return [...groups.values()];
}

/** One sentence for the whole timeline. `running` says that open bars are still going. */
export function summarize(timeline: Timeline, locale: Locale, running = false): string {
  const ms = (value: number) => Math.round(value).toLocaleString(locale);
  const clauses: string[] = [];
  let totalSaid = false;

  const states = (lanes: Lane[]) => {
    const said: string[] = [];
    const count = (state: Lane['state']) => lanes.filter((lane) => lane.state === state).length;
    if (count('failed')) said.push(t(locale, 'timeline.failed', { count: count('failed') }));
    if (count('cancelled')) said.push(t(locale, 'timeline.cancelled', { count: count('cancelled') }));
    if (count('open')) said.push(t(locale, running ? 'timeline.stillRunning' : 'timeline.open', { count: count('open') }));
    return said;
  };
  const overlapWords = (lanes: Lane[]) => {
    const { kind, count } = overlapOf(lanes);
    if (kind === 'single') return [];
    if (kind === 'all') return [t(locale, 'timeline.allOverlap')];
    // Russian agrees with the noun: загрузки идут «одна за другой», этапы — «один за другим».
    if (kind === 'none') return [t(locale, lanes[0]?.kind === 'download' ? 'timeline.noneOverlap' : 'timeline.noneOverlapPhases')];
    return [t(locale, 'timeline.someOverlap', { count, total: lanes.length })];
  };

  for (const lanes of groupsOf(timeline)) {
    const name = lanes[0]?.group ?? '';
    const header = lanes.find((lane) => lane.kind === 'group');
    const downloads = lanes.filter((lane) => lane.kind === 'download');
    const phases = lanes.filter((lane) => lane.kind === 'phase');
    const timers = lanes.filter((lane) => lane.kind === 'timer');
    const parts: string[] = [];
    if (downloads.length) {
      const words = [counted(locale, 'download', downloads.length), ...overlapWords(downloads), ...states(downloads)];
      if (!name && timeline.totalMs !== null) {
        words.push(t(locale, 'timeline.inTotal', { ms: ms(timeline.totalMs) }));
        totalSaid = true;
      }
      parts.push(words.join(', '));
    }
    for (const timer of timers) {
      // The counts are what the program printed; the gaps named are the longest of those kept.
      const { tick: ticks, late: lateCount } = timer.printed;
      const late = longestLate(timer);
      const words = [counted(locale, 'tick', ticks)];
      if (lateCount) {
        words.push(t(locale, late.length < lateCount ? 'timeline.lateLongest' : 'timeline.late', {
          count: lateCount.toLocaleString(locale),
          gaps: late.map((mark) => ms(gapOf(mark))).join(', '),
          period: ms(late[0]?.late?.period ?? 0),
        }));
      }
      parts.push(`${timer.label}: ${words.join(', ')}`);
    }
    if (phases.length) {
      if (name) parts.push([counted(locale, 'phase', phases.length), ...overlapWords(phases), ...states(phases)].join(', '));
      else parts.push(phases.map((lane) => `${lane.label} ${t(locale, 'timeline.ms', { ms: ms(duration(lane)) })}`).join(', '));
    }
    if (header) {
      parts.push(header.state === 'cancelled'
        ? t(locale, 'timeline.requestCancelled', { ms: ms(duration(header)) })
        : t(locale, 'timeline.ms', { ms: ms(duration(header)) }));
    }
    if (parts.length) clauses.push(name ? `${name}: ${parts.join(', ')}` : parts.join('; '));
  }
  if (!totalSaid) clauses.push(t(locale, 'timeline.inTotal', { ms: ms(timeline.totalMs ?? timeline.end) }));
  return `${clauses.join('; ')}.`;
}
