/**
 * The marks of one lane, kept within a bound however many the program prints. A timer that ticks
 * 200,000 times would otherwise be 200,000 shapes, laid out and built again on every redraw.
 *
 * Three things are kept, at most MAX_MARKS marks together:
 * - an even sample of all the lane's marks: every `stride`-th one from the first, the stride
 *   doubling whenever the sample fills up, so that what is kept stays spread over the whole run;
 * - the late ticks with the longest gaps (a tick after a blocking call is the lesson of example 06,
 *   so the worst of them never thin away; later ones with the same gap give way to earlier ones);
 * - the latest mark, so that the drawing reaches as far as the program's last tick.
 * Adding a mark is O(1) amortised: a thinning or a trim, each over a bounded array, comes only
 * after as many new marks as it removes.
 */
import type { Mark, MarkCounts } from './model.ts';

/** The most marks a lane keeps for drawing. */
export const MAX_MARKS = 400;
/** Of those, the most late ticks kept for their gaps, however evenly the rest is sampled. */
export const MAX_LATE_MARKS = 100;
/** The even sample gets what is left after the late ticks and the latest mark. */
const SAMPLE = MAX_MARKS - MAX_LATE_MARKS - 1;

/** A kept mark with its number in arrival order, so that what is kept comes back in that order. */
interface Numbered {
  mark: Mark;
  n: number;
}

const gap = ({ mark }: Numbered) => mark.at - (mark.late?.since ?? mark.at);

export class LaneMarks {
  private sample: Numbered[] = [];
  /** The sample holds the marks whose number (from 0, in arrival order) is a multiple of this. */
  private stride = 1;
  private seen = 0;
  /** Late ticks in arrival order; up to twice the bound between two trims. */
  private late: Numbered[] = [];
  private latest: Numbered | undefined;
  readonly printed: MarkCounts = { tick: 0, late: 0, response: 0 };

  add(mark: Mark): void {
    const numbered = { mark, n: this.seen++ };
    this.printed[mark.kind] += 1;
    if (numbered.n % this.stride === 0) {
      this.sample.push(numbered);
      if (this.sample.length > SAMPLE) {
        // Every other one goes: the marks left are those numbered by the doubled stride.
        this.sample = this.sample.filter((_, index) => index % 2 === 0);
        this.stride *= 2;
      }
    }
    this.latest = numbered;
    if (mark.late) {
      this.printed.late += 1;
      this.late.push(numbered);
      // Trimming only once the pool has doubled keeps even a flood of late ticks cheap per line.
      if (this.late.length >= 2 * MAX_LATE_MARKS) this.trimLate();
    }
  }

  /** The marks to draw, in the order they were printed (at most MAX_MARKS), and how many are left out. */
  kept(): { marks: Mark[]; hidden: number } {
    if (this.late.length > MAX_LATE_MARKS) this.trimLate();
    const kept = new Set([...this.sample, ...this.late]);
    if (this.latest) kept.add(this.latest);
    const marks = [...kept].sort((a, b) => a.n - b.n).map(({ mark }) => mark);
    return { marks, hidden: this.seen - marks.length };
  }

  /** The longest gaps stay (the earlier of two equal ones: the sort is stable), in arrival order. */
  private trimLate(): void {
    const longest = new Set([...this.late].sort((a, b) => gap(b) - gap(a)).slice(0, MAX_LATE_MARKS));
    this.late = this.late.filter((entry) => longest.has(entry));
  }
}
