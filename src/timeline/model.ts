/**
 * What a timeline holds: lanes with one bar each, on a shared millisecond axis. It is built only
 * from lines the program printed (src/timeline/parse.ts), so everything here has a line behind it.
 */

/** How a bar ended, as the program's own lines tell it; `open` means no line has ended it (yet). */
export type BarState = 'done' | 'failed' | 'cancelled' | 'open';

/**
 * - `download`: from "Starting download from <url>" to its response, its error or its cancel
 * - `phase`: from "<name> starts" to "<name> ends|done|stopped", or a "<name> in <N> ms" line
 * - `timer`: a phase that said "every <N> ms"; its ticks are marks, late ticks leave gaps
 * - `group`: a group's own bar (a user's request, "<group>: total … in <N> ms")
 */
export type LaneKind = 'download' | 'phase' | 'timer' | 'group';

/**
 * What a mark is, as the parser read it: a timer's tick (drawn as a stroke, late ones with their
 * gap), or a response that belongs to a group's bar (drawn as a dot). The drawing and the words go
 * by this, never by what the label happens to say.
 */
export type MarkKind = 'tick' | 'response';

/** A moment inside a lane: a timer's tick, or a response that belongs to a group's bar. */
export interface Mark {
  at: number;
  kind: MarkKind;
  label: string;
  /** A tick that came later than the timer's period: the gap since the previous tick. */
  late?: { since: number; period: number };
}

export interface Lane {
  key: string;
  kind: LaneKind;
  /** Short, for the chart (a URL without its local host). */
  label: string;
  /** Everything the program said to name it (the whole URL). */
  title: string;
  /** The group's name ("alice", "One event loop"), or '' outside any group. */
  group: string;
  /** Tells apart two requests of the same user. */
  groupId: string;
  start: number;
  end: number;
  state: BarState;
  /** What the closing line said: "size 8053", "status 500", "3 images". */
  detail: string;
  /**
   * The marks kept for drawing, in time order: at most MAX_MARKS (src/timeline/marks.ts), spread
   * over the whole run, with the longest late ticks always among them.
   */
  marks: Mark[];
  /** How many marks the program printed, kept or not: the words say these, not `marks.length`. */
  printed: MarkCounts;
  /** Marks printed but not kept (a flood of ticks): the drawing says how many it leaves out. */
  hiddenMarks: number;
}

export interface MarkCounts {
  tick: number;
  /** Ticks that came later than the timer's period (a subset of `tick`). */
  late: number;
  response: number;
}

export interface Timeline {
  /** In milliseconds from the earliest moment any line speaks of (0 is the left edge). */
  lanes: Lane[];
  /** Where the axis ends: the last line's time, or "now" while the program runs. */
  end: number;
  /** The program's own "Downloaded in <N> ms", when it printed one. */
  totalMs: number | null;
  /** Lanes beyond the drawing limit: counted, not drawn. */
  hidden: number;
}
