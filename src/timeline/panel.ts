/**
 * The timeline figure of one example in the page: it follows a run line by line, keeps a pinned
 * run to compare with, and redraws at most once per frame. The first drawing (of the recorded
 * output) comes with the page, made at build time by the same drawTimeline().
 */
import { t, type Locale } from '../i18n/ui.ts';
import type { Timeline } from './model.ts';
import { TimelineBuilder, parseTimeline } from './parse.ts';
import { drawTimeline, type Section } from './render.ts';
import { toDom } from './tree.ts';
import { required } from '../dom.ts';

export type Origin = 'recorded' | 'run';

interface Pinned {
  title: string;
  timeline: Timeline;
}

export class TimelinePanel {
  private readonly figure: HTMLElement;
  private readonly locale: Locale;
  private builder = new TimelineBuilder();
  private origin: Origin = 'recorded';
  private running = false;
  /** Program clock minus page clock, at its smallest: the lag of the fastest line to arrive. */
  private offset = Infinity;
  private pinned: Pinned | undefined;
  private frame = 0;

  constructor(figure: HTMLElement, locale: Locale, recordedLines: string[]) {
    this.figure = figure;
    this.locale = locale;
    for (const line of recordedLines) this.builder.add(line);
  }

  /** A new live run: the bars of the previous one go, a pinned run stays. */
  start(): void {
    this.builder = new TimelineBuilder();
    this.origin = 'run';
    this.running = true;
    this.offset = Infinity;
    // Until the new run prints its first lines the chart is empty; it keeps its height meanwhile,
    // so that the page below does not jump up and back down.
    const chart = this.find('[data-timeline-chart]');
    chart.style.minHeight = this.figure.hidden ? '' : `${chart.offsetHeight}px`;
    this.schedule();
  }

  /**
   * One line of the running program's output, as it arrives. Constant work per line: the builder
   * keeps a bounded number of lanes and marks (src/timeline/marks.ts), so neither this nor the
   * redraw it schedules grows with the output so far.
   */
  line(text: string): void {
    const time = this.builder.add(text);
    if (time !== undefined) this.offset = Math.min(this.offset, Date.now() - time);
    this.schedule();
  }

  /** Called while a run goes on, so that open bars grow even when the program prints nothing. */
  tick(): void {
    if (this.running) this.schedule();
  }

  finish(): void {
    this.running = false;
    this.find('[data-timeline-chart]').style.minHeight = '';
    this.schedule();
  }

  /** The whole output at once: the recorded run shown again, or nothing (a syntax error). */
  replace(lines: string[], origin: Origin): void {
    this.builder = new TimelineBuilder();
    for (const line of lines) this.builder.add(line);
    this.origin = origin;
    this.running = false;
    this.schedule();
  }

  /** The run on screen now, for pinning or for another example's comparison. */
  current(): Timeline | null {
    return this.builder.snapshot(this.now());
  }

  get source(): Origin {
    return this.origin;
  }

  pin(title: string, timeline: Timeline | null = this.current()): boolean {
    if (!timeline) return false;
    this.pinned = { title, timeline };
    this.schedule();
    return true;
  }

  /** Pins another example's run, read from what its output shows. */
  pinOutput(title: string, lines: string[]): boolean {
    return this.pin(title, parseTimeline(lines));
  }

  unpin(): void {
    this.pinned = undefined;
    this.schedule();
  }

  /** The summary as it stands, for the announcement at the end of a run. */
  summary(): string {
    return this.figure.hidden ? '' : (this.find('[data-timeline-summary]').textContent ?? '');
  }

  private now(): number | undefined {
    return this.running && Number.isFinite(this.offset) ? Date.now() - this.offset : undefined;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  private render(): void {
    const timeline = this.current();
    const sections: Section[] = [];
    if (this.pinned) sections.push({ title: t(this.locale, 'timeline.pinned', { title: this.pinned.title }), timeline: this.pinned.timeline, running: false });
    if (timeline) {
      sections.push({
        title: t(this.locale, this.origin === 'run' ? 'timeline.thisRun' : 'timeline.recordedRun'),
        timeline,
        running: this.running,
      });
    }
    const chart = this.find('[data-timeline-chart]');
    this.figure.hidden = sections.length === 0 && !chart.style.minHeight;
    this.figure.dataset.timelineOrigin = this.origin;
    this.find('[data-timeline-source]').textContent = t(this.locale, this.running ? 'timeline.running' : this.origin === 'run' ? 'timeline.fromRun' : 'timeline.fromRecorded');
    this.find('[data-action="unpin"]').hidden = !this.pinned;
    if (sections.length === 0) {
      chart.replaceChildren();
      this.find('[data-timeline-legend]').replaceChildren();
      this.find('[data-timeline-summary]').textContent = '';
      return;
    }

    const drawing = drawTimeline(sections, this.locale);
    // Redrawing must not throw the reader's keyboard focus out of the chart.
    const focused = chart.contains(document.activeElement) ? (document.activeElement as Element).getAttribute('data-key') : null;
    chart.replaceChildren(toDom(drawing.chart));
    if (focused) chart.querySelector<SVGElement>(`[data-key="${CSS.escape(focused)}"]`)?.focus();
    this.find('[data-timeline-legend]').replaceChildren(toDom(drawing.legend));
    this.find('[data-timeline-summary]').textContent = drawing.summary;
    const hidden = this.find('[data-timeline-hidden]');
    hidden.hidden = drawing.hidden === 0;
    hidden.textContent = drawing.hidden ? t(this.locale, 'timeline.hidden', { count: drawing.hidden }) : '';
  }

  private find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return required<T>(this.figure, selector, 'timeline');
  }
}
