/**
 * Shared drawing kit for the lecture's diagrams.
 *
 * A diagram is built twice from the same data: a `wide` scene for the desktop column and a
 * `narrow` scene for phones (see DiagramFrame.astro, which shows one of them by the width of the
 * column). Scenes are plain lists of shapes, so every diagram uses the same lanes, axes, arrows
 * and text styles (classes from diagram.css). Text sizes are in SVG units, which render at about
 * the same size in CSS pixels in both layouts.
 */
import type { Locale } from '~/i18n/ui';

export type { Locale };
export type Layout = 'wide' | 'narrow';
export type Localized<T> = Readonly<Record<Locale, T>>;

/** viewBox widths: `wide` fits the Starlight content column (~600 px inside the frame), `narrow` a phone (~325 px). */
export const WIDTH: Readonly<Record<Layout, number>> = { wide: 620, narrow: 360 };
/** Empty margin kept inside the viewBox on every side. */
export const PAD = 6;

/** Font sizes (SVG units) of the text classes in diagram.css. */
export const SIZE = { text: 14, small: 13, code: 13 } as const;
export const LINE = { text: 19, small: 17, code: 19 } as const;

export type Anchor = 'start' | 'middle' | 'end';
export interface Span {
  readonly text: string;
  readonly cls?: string;
}
export type Shape =
  | { readonly kind: 'rect'; readonly x: number; readonly y: number; readonly w: number; readonly h: number; readonly r: number; readonly cls: string }
  | { readonly kind: 'line'; readonly x1: number; readonly y1: number; readonly x2: number; readonly y2: number; readonly cls: string }
  | { readonly kind: 'path'; readonly d: string; readonly cls: string }
  | { readonly kind: 'circle'; readonly cx: number; readonly cy: number; readonly r: number; readonly cls: string }
  | {
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly spans: readonly Span[];
      readonly cls: string;
      readonly anchor: Anchor;
    };

export interface Scene {
  readonly width: number;
  readonly height: number;
  readonly shapes: readonly Shape[];
}

/** What the figure says in words: the visible caption and the SVG's <title> and <desc>. */
export interface DiagramText {
  readonly caption: string;
  readonly title: string;
  readonly desc: string;
}

const r1 = (n: number): number => Math.round(n * 10) / 10;

// ---------------------------------------------------------------------------------------------
// Text measurement. No fonts are available at build time, so widths are estimated per character,
// on the generous side (system sans fonts differ), and every layout keeps some slack.

const THIN = new Set([...'iIljtfr.,:;\'!|()[]{}"/ \u00a0']);
const WIDE = new Set([...'mwMWшщжыюфдШЩЖЫЮФДМ@%—']);

export type TextKind = keyof typeof SIZE;

export function measure(text: string, kind: TextKind = 'text', bold = false): number {
  const size = SIZE[kind];
  if (kind === 'code') return [...text].length * 0.61 * size;
  let em = 0;
  for (const ch of text) {
    if (THIN.has(ch)) em += 0.31;
    else if (WIDE.has(ch)) em += 0.84;
    else if (ch !== ch.toLowerCase()) em += 0.68;
    else em += 0.55;
  }
  return em * size * (bold ? 1.07 : 1);
}

/** Greedy word wrap to a width at ordinary spaces (a no-break space keeps words together). */
export function wrap(text: string, maxWidth: number, kind: TextKind = 'text', bold = false): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/[ \t\n]+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (line && measure(candidate, kind, bold) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line) lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Shapes.

export function rect(x: number, y: number, w: number, h: number, cls: string, r = 4): Shape {
  return { kind: 'rect', x: r1(x), y: r1(y), w: r1(w), h: r1(h), r, cls };
}

export function line(x1: number, y1: number, x2: number, y2: number, cls: string): Shape {
  return { kind: 'line', x1: r1(x1), y1: r1(y1), x2: r1(x2), y2: r1(y2), cls };
}

export function circle(cx: number, cy: number, r: number, cls: string): Shape {
  return { kind: 'circle', cx: r1(cx), cy: r1(cy), r, cls };
}

export function path(d: string, cls: string): Shape {
  return { kind: 'path', d, cls };
}

export interface TextOptions {
  readonly kind?: TextKind;
  readonly anchor?: Anchor;
  /** Extra classes, e.g. 'dg-strong', 'dg-muted', 'dg-on-badge'. */
  readonly cls?: string;
}

const KIND_CLASS: Readonly<Record<TextKind, string>> = { text: 'dg-text', small: 'dg-text dg-small', code: 'dg-text dg-code' };

/** One line of text whose baseline is at `y`. */
export function text(x: number, y: number, content: string | readonly Span[], options: TextOptions = {}): Shape {
  const kind = options.kind ?? 'text';
  const spans = typeof content === 'string' ? [{ text: content }] : content;
  const cls = options.cls ? `${KIND_CLASS[kind]} ${options.cls}` : KIND_CLASS[kind];
  return { kind: 'text', x: r1(x), y: r1(y), spans, cls, anchor: options.anchor ?? 'start' };
}

/** Baseline for text of this kind centred vertically on `cy`. */
export function baseline(cy: number, kind: TextKind = 'text'): number {
  return cy + SIZE[kind] * 0.36;
}

/** Several lines, the first line's box starting at `top`. Returns the shapes and the height used. */
export function lines(
  x: number,
  top: number,
  content: readonly string[],
  options: TextOptions = {},
): { shapes: Shape[]; height: number } {
  const kind = options.kind ?? 'text';
  const shapes = content.map((l, i) => text(x, baseline(top + LINE[kind] * (i + 0.5), kind), l, options));
  return { shapes, height: content.length * LINE[kind] };
}

/** A filled triangular arrowhead with its tip at (x, y), pointing along (dx, dy). */
export function arrowhead(x: number, y: number, dx: number, dy: number, cls = 'dg-arrowhead', size = 8): Shape {
  const len = Math.hypot(dx, dy) || 1;
  const ux = dx / len;
  const uy = dy / len;
  const bx = x - ux * size;
  const by = y - uy * size;
  const half = size * 0.55;
  const p = (px: number, py: number): string => `${r1(px)} ${r1(py)}`;
  return path(`M${p(x, y)} L${p(bx - uy * half, by + ux * half)} L${p(bx + uy * half, by - ux * half)} Z`, cls);
}

/** A straight arrow from (x1, y1) to the tip at (x2, y2). */
export function arrow(x1: number, y1: number, x2: number, y2: number, cls = 'dg-arrow', size = 8): Shape[] {
  const len = Math.hypot(x2 - x1, y2 - y1) || 1;
  const sx = x2 - ((x2 - x1) / len) * (size - 1);
  const sy = y2 - ((y2 - y1) / len) * (size - 1);
  const headCls = cls === 'dg-arrow' ? 'dg-arrowhead' : `${cls}-head`;
  return [line(x1, y1, sx, sy, cls), arrowhead(x2, y2, x2 - x1, y2 - y1, headCls, size)];
}

// ---------------------------------------------------------------------------------------------
// Timelines: lanes over a shared time axis. In the wide layout a lane's name sits to the left of
// the lane; in the narrow layout it sits above the lane and the lane takes the full width.

export const BAR = 26;

export interface TimelineOptions {
  readonly layout: Layout;
  readonly width: number;
  readonly lanes: readonly string[];
  /** Time units the axis spans. */
  readonly span: number;
  /** Room above the first lane (for annotations), in SVG units. */
  readonly top: number;
  /** Extra room between lanes (for arrows, annotations), in SVG units. */
  readonly gap?: number;
}

export interface Timeline {
  readonly x0: number;
  readonly x1: number;
  /** x of time t. */
  readonly x: (t: number) => number;
  /** Centre y of lane i's bars. */
  readonly y: (lane: number) => number;
  /** The lanes' names, placed for the layout. */
  readonly labels: Shape[];
  /** y just below the last lane. */
  readonly bottom: number;
}

export function timeline(o: TimelineOptions): Timeline {
  const wide = o.layout === 'wide';
  const labelWidth = wide ? Math.max(...o.lanes.map((l) => measure(l, 'text', true))) + 16 : 0;
  const x0 = PAD + (wide ? labelWidth : 0);
  const x1 = o.width - PAD - 4;
  const labelRoom = wide ? 0 : LINE.text + 2;
  const pitch = BAR + labelRoom + (o.gap ?? (wide ? 20 : 14));
  const y = (lane: number): number => o.top + labelRoom + BAR / 2 + lane * pitch;
  const labels = o.lanes.map((name, i) =>
    wide
      ? text(x0 - 12, baseline(y(i)), name, { anchor: 'end', cls: 'dg-strong' })
      : text(PAD, y(i) - BAR / 2 - 7, name, { cls: 'dg-strong' }),
  );
  const x = (t: number): number => x0 + ((x1 - x0) * t) / o.span;
  return { x0, x1, x, y, labels, bottom: y(o.lanes.length - 1) + BAR / 2 };
}

/** A bar: the lane's owner is running from t0 to t1. `tone` picks the fill (see diagram.css). */
export function bar(tl: Timeline, lane: number, t0: number, t1: number, tone: string, inset = 0): Shape {
  const x0 = tl.x(t0) + inset;
  return rect(x0, tl.y(lane) - BAR / 2, tl.x(t1) - inset - x0, BAR, `dg-bar dg-tone-${tone}`, 3);
}

/**
 * A dashed line: the lane's owner exists but is not running. Leaves a hole for a label: the first
 * of `labels` that fits, or none.
 */
export function waiting(tl: Timeline, lane: number, t0: number, t1: number, labels: readonly string[] = []): Shape[] {
  const y = tl.y(lane);
  const a = tl.x(t0) + 3;
  const b = tl.x(t1) - 3;
  const label = labels.find((l) => measure(l, 'small') + 32 <= b - a);
  if (label === undefined) return [line(a, y, b, y, 'dg-wait')];
  const w = measure(label, 'small');
  const mid = (a + b) / 2;
  return [
    line(a, y, mid - w / 2 - 6, y, 'dg-wait'),
    text(mid, baseline(y, 'small'), label, { kind: 'small', anchor: 'middle', cls: 'dg-muted' }),
    line(mid + w / 2 + 6, y, b, y, 'dg-wait'),
  ];
}

/**
 * The time axis under the lanes, with an arrowhead and its name: in the wide layout the name sits
 * in the lane-name column, in the narrow one under the right end, `nameDrop` below the axis.
 */
export function timeAxis(
  tl: Timeline,
  y: number,
  name: string,
  layout: Layout,
  nameDrop = 20,
): { shapes: Shape[]; bottom: number } {
  const shapes: Shape[] = [...arrow(tl.x0, y, tl.x1, y, 'dg-axis', 9), line(tl.x0, y - 5, tl.x0, y + 5, 'dg-axis')];
  if (layout === 'wide') {
    shapes.push(text(tl.x0 - 12, baseline(y, 'small'), name, { kind: 'small', anchor: 'end', cls: 'dg-muted' }));
    return { shapes, bottom: y + 8 };
  }
  shapes.push(text(tl.x1, y + nameDrop, name, { kind: 'small', anchor: 'end', cls: 'dg-muted' }));
  return { shapes, bottom: y + nameDrop + 6 };
}

/** A row of legend entries (a swatch and a label), wrapped onto more rows when needed. */
export interface LegendEntry {
  readonly swatch: (x: number, cy: number) => Shape[];
  readonly swatchWidth: number;
  readonly label: string;
}

export function legend(x0: number, maxX: number, top: number, entries: readonly LegendEntry[]): { shapes: Shape[]; bottom: number } {
  const shapes: Shape[] = [];
  const rowHeight = 22;
  let x = x0;
  let cy = top + rowHeight / 2;
  for (const entry of entries) {
    const w = entry.swatchWidth + 8 + measure(entry.label, 'small');
    if (x > x0 && x + w > maxX) {
      x = x0;
      cy += rowHeight;
    }
    shapes.push(...entry.swatch(x, cy));
    shapes.push(text(x + entry.swatchWidth + 8, baseline(cy, 'small'), entry.label, { kind: 'small' }));
    x += w + 22;
  }
  return { shapes, bottom: cy + rowHeight / 2 };
}

export const barSwatch =
  (tone: string) =>
  (x: number, cy: number): Shape[] => [rect(x, cy - 8, 28, 16, `dg-bar dg-tone-${tone}`, 3)];

export const waitSwatch = (x: number, cy: number): Shape[] => [line(x + 2, cy, x + 26, cy, 'dg-wait')];

export const arrowSwatch = (x: number, cy: number): Shape[] => arrow(x + 2, cy, x + 28, cy);

/** A thin bracket under (or over, with dir = -1) a stretch of time, with ticks at both ends. */
export function bracket(xa: number, xb: number, y: number, dir: 1 | -1 = 1): Shape {
  const t = 6 * dir;
  return path(`M${r1(xa)} ${r1(y - t)} V${r1(y)} H${r1(xb)} V${r1(y - t)}`, 'dg-bracket');
}

/** A round badge with a number in it, centred on (cx, cy). */
export function badge(cx: number, cy: number, label: string, r = 11): Shape[] {
  return [circle(cx, cy, r, 'dg-badge'), text(cx, baseline(cy, 'small'), label, { kind: 'small', anchor: 'middle', cls: 'dg-on-badge' })];
}

/** An SVG path through points, with the corners rounded by `radius`. */
export function roundedPath(points: readonly (readonly [number, number])[], radius: number): string {
  const p = (x: number, y: number): string => `${r1(x)} ${r1(y)}`;
  const first = points[0];
  if (!first) return '';
  let d = `M${p(first[0], first[1])}`;
  for (let i = 1; i < points.length; i++) {
    const [x, y] = points[i]!;
    const next = points[i + 1];
    if (!next) {
      d += ` L${p(x, y)}`;
      break;
    }
    const [px, py] = points[i - 1]!;
    const inLen = Math.hypot(x - px, y - py) || 1;
    const outLen = Math.hypot(next[0] - x, next[1] - y) || 1;
    const rIn = Math.min(radius, inLen / 2);
    const rOut = Math.min(radius, outLen / 2);
    d += ` L${p(x - ((x - px) / inLen) * rIn, y - ((y - py) / inLen) * rIn)}`;
    d += ` Q${p(x, y)} ${p(x + ((next[0] - x) / outLen) * rOut, y + ((next[1] - y) / outLen) * rOut)}`;
  }
  return d;
}

/**
 * Word wrap for prose in which `backticked` words are code: returns lines of spans, with code
 * words in 'dg-code-span' and measured as code.
 */
export function wrapRich(source: string, maxWidth: number, kind: TextKind = 'text'): Span[][] {
  const words = source.split(/[ \t\n]+/).filter(Boolean).map((w) => {
    const m = /^([^`]*)`([^`]+)`([^`]*)$/.exec(w);
    return m ? { before: m[1] ?? '', code: m[2] ?? '', after: m[3] ?? '' } : { before: w, code: '', after: '' };
  });
  const widthOf = (w: (typeof words)[number]): number =>
    measure(w.before + w.after, kind) + (w.code ? measure(w.code, 'code') : 0);
  const result: Span[][] = [];
  let current: (typeof words)[number][] = [];
  let width = 0;
  const space = measure(' ', kind);
  for (const w of words) {
    const ww = widthOf(w);
    if (current.length > 0 && width + space + ww > maxWidth) {
      result.push(toSpans(current));
      current = [];
      width = 0;
    }
    width += (current.length > 0 ? space : 0) + ww;
    current.push(w);
  }
  if (current.length > 0) result.push(toSpans(current));
  return result;

  function toSpans(ws: readonly (typeof words)[number][]): Span[] {
    const spans: Span[] = [];
    let plain = '';
    ws.forEach((w, i) => {
      plain += (i > 0 ? ' ' : '') + w.before;
      if (w.code) {
        if (plain) spans.push({ text: plain });
        spans.push({ text: w.code, cls: 'dg-code-span' });
        plain = w.after;
      } else {
        plain += w.after;
      }
    });
    if (plain) spans.push({ text: plain });
    return spans;
  }
}
