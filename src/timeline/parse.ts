/**
 * Turns a program's output into timeline lanes, one line at a time, so that the chart can follow a
 * run as it prints. Only lines that start with a log timestamp ("2026-11-25 04:36:37,765 …", the
 * format of Python's logging and of every example) are read; all other output is ignored, and a
 * program whose lines say nothing the vocabulary below knows gets no timeline at all.
 *
 * The vocabulary (a message may start with "<group>: ", as in "alice: Starting download from …"):
 *   Starting download from <url>             opens a download lane
 *   Response received from <url>, size <n>   ends it (done)
 *   Bad <url>, status <code> | Bad <url>, <why>   ends it (failed)
 *   Cancelled download from <url>            ends it (cancelled)
 *   Downloaded in <N> ms                     the program's total
 *   Downloaded <K> images for <user> in <N> ms     ends the user's request
 *   Tasks were cancelled for <user> | Cancelled <K> images for <user>   cuts the user's request off
 *   <Name> starts … / <Name> ends|done|stopped …    a phase (a name starts with a letter)
 *   <Name> in <N> ms                         a phase that ended now and lasted N ms
 *   Tick <k>: <N> ms since the previous tick     a mark on the timer ("… every <N> ms")
 */
import type { BarState, Lane, LaneKind, Mark, Timeline } from './model.ts';
import { LaneMarks } from './marks.ts';

/** More lanes than this are counted but not kept: a runaway program cannot grow the chart forever. */
export const MAX_LANES = 100;
/** More marks than this in one lane are thinned out evenly (src/timeline/marks.ts), and counted. */
export { MAX_MARKS } from './marks.ts';

const STAMP = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)[,.](\d{3}) (.*)$/;
// eslint-disable-next-line no-control-regex -- ANSI colour codes are what this strips
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const GROUP = /^([^:]{1,60}?): (.+)$/;

const TICK = /^Tick (\d+): (\d+) ms since the previous tick$/i;
const USER_DONE = /^Downloaded (\d+) images? for (.+) in (\d+) ms$/i;
const USER_CANCELLED = /^(?:Tasks were cancelled for (.+)|Cancelled (\d+) images? for (.+))$/i;
const TOTAL = /^Downloaded in (\d+) ms$/i;
const START = /^Starting download from (\S+)$/i;
const RESPONSE = /^Response received from (\S+?),? size (\S+)$/i;
const BAD = /^Bad (\S+?), (?:status (\d+)|(.+))$/i;
const CANCELLED = /^Cancelled download from (\S+)$/i;
const PHASE_START = /^(\p{L}[^:]*?) starts\b[\s:(]*(.*)$/iu;
const PHASE_END = /^(\p{L}[^:]*?) (?:ends|done|stopped)\b/iu;
const TOOK = /^(\p{L}.*?),? in (\d+) ms$/iu;
const PERIOD = /every (\d+) ?ms/i;

/** A line's time on the program's clock (as if UTC: only differences matter) and its message. */
export function readStamp(line: string): { time: number; message: string } | null {
  const match = STAMP.exec(line.replace(ANSI, '').trimEnd());
  if (!match) return null;
  const [, y, mo, d, h, mi, s, ms, message] = match;
  const time = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(ms));
  return { time, message: (message ?? '').trim() };
}

/** A URL as a lane label: the path, and the host only when it is not this machine. */
export function shortUrl(url: string): string {
  const match = /^[a-z]+:\/\/([^/]+)\/?(.*)$/i.exec(url);
  if (!match) return url;
  const [, host = '', rest = ''] = match;
  return /^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/i.test(host) ? rest || host : `${host}/${rest}`;
}

/** A lane as the builder grows it: its marks live in a LaneMarks of their own until a snapshot. */
type Bar = Omit<Lane, 'marks' | 'printed' | 'hiddenMarks'>;

interface Group {
  key: string;
  name: string;
  /** A user's request has ended: the user's next download starts a new request. */
  closed: boolean;
}

export class TimelineBuilder {
  private readonly lanes = new Map<string, Bar>();
  private readonly marks = new Map<string, LaneMarks>();
  /** Every group by its key, and the current group (the open request) of each name. */
  private readonly groups = new Map<string, Group>();
  private readonly current = new Map<string, Group>();
  /** Lane keys in the order they first appeared, grouped at snapshot time. */
  private readonly groupOrder: string[] = [];
  private timerKey: string | undefined;
  private readonly periods = new Map<string, number>();
  private first = Infinity;
  private last = -Infinity;
  private total: { ms: number; start: number } | null = null;
  private hidden = 0;
  /** Keys of mark lanes that the lane limit refused, so that their marks do not count it again. */
  private readonly refused = new Set<string>();
  private serial = 0;

  /** Reads one line of output; returns its time on the program's clock when it had a timestamp. */
  add(line: string): number | undefined {
    const stamped = readStamp(line);
    if (!stamped) return undefined;
    const { time, message } = stamped;
    // The axis runs from the program's first log line to its last, understood or not.
    this.first = Math.min(this.first, time);
    this.last = Math.max(this.last, time);
    this.read(message, time);
    return time;
  }

  /** Whether any line so far has given the timeline something to draw. */
  get empty(): boolean {
    return this.lanes.size === 0;
  }

  /**
   * The timeline as it stands. `now` (program clock) extends unfinished bars while a program runs;
   * without it they end at the last line, which is where the program was last heard from.
   */
  snapshot(now?: number): Timeline | null {
    if (this.lanes.size === 0) return null;
    const end = Math.max(this.last, now ?? -Infinity);
    let origin = this.first;
    for (const lane of this.lanes.values()) origin = Math.min(origin, lane.start);
    if (this.total) origin = Math.min(origin, this.total.start);
    const order = new Map(this.groupOrder.map((key, index) => [key, index]));
    const lanes = [...this.lanes.values()]
      .map((lane, index) => ({ lane, index }))
      .sort((a, b) =>
        (order.get(a.lane.group) ?? 0) - (order.get(b.lane.group) ?? 0) ||
        Number(b.lane.kind === 'group') - Number(a.lane.kind === 'group') ||
        a.index - b.index)
      .map(({ lane }): Lane => {
        const marks = this.marks.get(lane.key);
        const kept = marks?.kept() ?? { marks: [], hidden: 0 };
        return {
          ...lane,
          group: this.groups.get(lane.group)?.name ?? '',
          groupId: lane.group,
          start: lane.start - origin,
          end: (lane.state === 'open' ? Math.max(end, lane.start) : lane.end) - origin,
          marks: kept.marks.map((mark) => ({
            ...mark,
            at: mark.at - origin,
            ...(mark.late ? { late: { ...mark.late, since: mark.late.since - origin } } : {}),
          })),
          printed: { ...(marks?.printed ?? { tick: 0, late: 0, response: 0 }) },
          hiddenMarks: kept.hidden,
        };
      });
    return { lanes, end: end - origin, totalMs: this.total?.ms ?? null, hidden: this.hidden };
  }

  private read(message: string, time: number): boolean {
    let match: RegExpExecArray | null;
    if ((match = TICK.exec(message))) return this.tick(time, Number(match[1]), Number(match[2]));
    if ((match = USER_DONE.exec(message))) {
      return this.endGroup(match[2] ?? '', time, 'done', `${match[1]}`, time - Number(match[3]));
    }
    if ((match = USER_CANCELLED.exec(message))) {
      return this.endGroup(match[1] ?? match[3] ?? '', time, 'cancelled', match[2] ?? '');
    }
    if ((match = TOTAL.exec(message))) {
      this.total = { ms: Number(match[1]), start: time - Number(match[1]) };
      return true;
    }
    if ((match = PHASE_START.exec(message))) return this.startPhase('', match[1] ?? '', match[2] ?? '', time);
    const grouped = GROUP.exec(message);
    const groupName = grouped ? (grouped[1] ?? '').trim() : '';
    const rest = grouped ? (grouped[2] ?? '') : message;
    if ((match = START.exec(rest))) return this.startDownload(groupName, match[1] ?? '', time);
    if ((match = RESPONSE.exec(rest))) return this.endDownload(groupName, match[1] ?? '', time, 'done', `size ${match[2]}`);
    if ((match = BAD.exec(rest))) {
      return this.endDownload(groupName, match[1] ?? '', time, 'failed', match[2] ? `status ${match[2]}` : (match[3] ?? ''));
    }
    if ((match = CANCELLED.exec(rest))) return this.endDownload(groupName, match[1] ?? '', time, 'cancelled', '');
    if (grouped && (match = PHASE_START.exec(rest))) return this.startPhase(groupName, match[1] ?? '', match[2] ?? '', time);
    if ((match = PHASE_END.exec(rest))) return this.endPhase(groupName, match[1] ?? '', time);
    if ((match = TOOK.exec(rest))) {
      const took = Number(match[2]);
      if (grouped) return this.setGroupBar(groupName, time - took, time, 'done', '');
      return this.addLane('phase', '', `phase:${match[1]}`, match[1] ?? '', time - took, time, 'done') !== undefined;
    }
    return false;
  }

  // --- groups ----------------------------------------------------------------------------------

  /** The current request of a group; a closed one gives way to a new one under the same name. */
  private group(name: string): Group {
    const current = this.current.get(name);
    if (current && !current.closed) return current;
    const group: Group = { key: `${name}#${++this.serial}`, name, closed: false };
    this.groups.set(group.key, group);
    this.current.set(name, group);
    this.groupOrder.push(group.key);
    return group;
  }

  private setGroupBar(name: string, start: number, end: number, state: BarState, detail: string): boolean {
    const group = this.group(name);
    const key = `group:${group.key}`;
    const lane = this.lanes.get(key) ?? this.addLane('group', group.key, key, name, start, end, state, name);
    if (!lane) return false;
    Object.assign(lane, { start: Math.min(lane.start, start), end, state, detail: detail || lane.detail });
    return true;
  }

  /** A user's request ended; its downloads still open were cut off by it. */
  private endGroup(name: string, time: number, state: BarState, detail: string, start?: number): boolean {
    const current = this.current.get(name);
    const group = current && !current.closed ? current : undefined;
    const members = group ? [...this.lanes.values()].filter((lane) => lane.group === group.key && lane.kind !== 'group') : [];
    if (state === 'cancelled') {
      for (const lane of members) if (lane.state === 'open') Object.assign(lane, { end: time, state: 'cancelled' });
      // "Cancelled 0 images for carol": nothing of carol's was running, so there is nothing to draw.
      if (!group) return false;
    }
    const from = start ?? Math.min(time, ...members.map((lane) => lane.start));
    const drawn = this.setGroupBar(name, from, time, state, detail);
    this.group(name).closed = true;
    return drawn;
  }

  // --- downloads -------------------------------------------------------------------------------

  private startDownload(groupName: string, url: string, time: number): boolean {
    const group = this.group(groupName);
    return this.addLane('download', group.key, `download:${group.key}:${url}`, shortUrl(url), time, time, 'open', url) !== undefined;
  }

  private endDownload(groupName: string, url: string, time: number, state: BarState, detail: string): boolean {
    const group = this.current.get(groupName);
    const open = [...this.lanes.values()].filter((lane) => lane.kind === 'download' && lane.state === 'open' && lane.group === group?.key);
    // The response names the final URL, which a redirect may have changed: a lone open download is still the one.
    const lane = open.find((candidate) => candidate.title === url) ?? (open.length === 1 ? open[0] : undefined);
    if (lane) {
      Object.assign(lane, { end: time, state, detail });
      return true;
    }
    // A response with no start of its own ("callbacks: response received from …") marks its group's bar.
    if (!groupName) return false;
    return this.mark(`group:${this.group(groupName).key}`, groupName, { at: time, kind: 'response', label: `${shortUrl(url)} ${detail}`.trim() });
  }

  // --- phases and timers -----------------------------------------------------------------------

  private startPhase(groupName: string, name: string, rest: string, time: number): boolean {
    const group = this.group(groupName);
    const period = PERIOD.exec(rest);
    const kind: LaneKind = period ? 'timer' : 'phase';
    const key = `phase:${group.key}:${name.toLowerCase()}`;
    const lane = this.addLane(kind, group.key, key, name, time, time, 'open');
    if (period) {
      // A timer past the lane limit is counted once, here: its ticks then go nowhere, uncounted.
      this.timerKey = lane?.key ?? key;
      if (lane) this.periods.set(lane.key, Number(period[1]));
      else this.refused.add(key);
    }
    return lane !== undefined;
  }

  private endPhase(groupName: string, name: string, time: number): boolean {
    const group = this.current.get(groupName);
    const lane = [...this.lanes.values()].find((candidate) =>
      (candidate.kind === 'phase' || candidate.kind === 'timer') && candidate.state === 'open' &&
      candidate.group === group?.key && candidate.label.toLowerCase() === name.toLowerCase());
    if (!lane) return false;
    Object.assign(lane, { end: time, state: 'done' });
    return true;
  }

  private tick(time: number, count: number, gap: number): boolean {
    const key = this.timerKey ?? `phase:${this.group('').key}:ticks`;
    if (!this.lanes.has(key) && !this.markLane(key, () => this.addLane('timer', this.group('').key, key, 'Ticks', time - gap, time, 'done'))) return false;
    const period = this.periods.get(key) ?? gap;
    this.periods.set(key, period);
    const mark: Mark = { at: time, kind: 'tick', label: `Tick ${count}` };
    if (gap > period * 1.5) mark.late = { since: time - gap, period };
    return this.mark(key, '', mark);
  }

  private mark(key: string, name: string, mark: Mark): boolean {
    const lane = this.lanes.get(key) ?? this.markLane(key, () => this.addLane('group', this.group(name).key, key, name, mark.at, mark.at, 'open', name));
    if (!lane) return false;
    let marks = this.marks.get(lane.key);
    if (!marks) this.marks.set(lane.key, (marks = new LaneMarks()));
    marks.add(mark);
    if (lane.state !== 'open') lane.end = Math.max(lane.end, mark.at);
    return true;
  }

  /**
   * The lane that marks of `key` go to, made by `make` the first time. Past the lane limit it is
   * refused once and counted once: each of a thousand ticks is not another hidden lane.
   */
  private markLane(key: string, make: () => Bar | undefined): Bar | undefined {
    if (this.refused.has(key)) return undefined;
    const lane = make();
    if (!lane) this.refused.add(key);
    return lane;
  }

  /** A new lane; a key already taken (the same URL twice) gets a numbered twin. */
  private addLane(kind: LaneKind, group: string, key: string, label: string, start: number, end: number, state: BarState, title = label): Bar | undefined {
    if (this.lanes.size >= MAX_LANES) {
      this.hidden += 1;
      return undefined;
    }
    let unique = key;
    for (let n = 2; this.lanes.has(unique); n++) unique = `${key}#${n}`;
    const lane: Bar = { key: unique, kind, label, title, group, groupId: group, start, end, state, detail: '' };
    this.lanes.set(unique, lane);
    return lane;
  }
}

/** The timeline of a whole output at once (a recording, or what a pinned run printed). */
export function parseTimeline(lines: Iterable<string>): Timeline | null {
  const builder = new TimelineBuilder();
  for (const line of lines) builder.add(line);
  return builder.snapshot();
}
