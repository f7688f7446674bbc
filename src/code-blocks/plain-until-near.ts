/**
 * Expressive Code's blocks as the finished pages hold them: each code block's lines as one plain
 * text, and its highlighted lines (a line of elements per line, a span per token) in a
 * `<template>` right after its `<pre>`; ./highlight-near.ts puts them back when the block comes near
 * the viewport. Run over the built HTML (src/integrations/code-blocks.ts), after Pagefind has read
 * the pages.
 *
 * Why: the highlighted lines are most of a chapter's elements (on /how-asyncio-works/ 5,998 of its
 * 8,206, in 26 blocks), and a phone styles and lays out every one of them before the page answers;
 * Lighthouse's mobile score for that chapter was 74. Plain text and highlighted lines are the same
 * height (a 24.5 px line box each, the same font and padding: e2e/code-blocks.spec.ts measures both),
 * so the swap moves nothing. Without JavaScript, and for a tool that reads the page's text, the code
 * is all there, unhighlighted.
 *
 * Plain string work, no HTML parser: Expressive Code's output is regular (`<pre data-language="…">`
 * then `<code>` holding only `<div class="ec-line">` lines; text is escaped, so no `</code>` can occur
 * inside). Blocks that wrap their lines (`<pre class="wrap">`) are left alone: wrapped plain text
 * would not break where Expressive Code's indented lines do. So is everything inside a `<template>`
 * (a Python pane, say): it is highlighted when it is stamped.
 */

/** The class of a block's plain text until its lines come back (styled in src/styles/book.css). */
export const PLAIN_CLASS = 'book-code-plain';
/** The class of the plain text's first line. */
export const FIRST_LINE_CLASS = 'book-code-first';
/** The attribute of the template that holds a block's highlighted lines. */
export const LINES_ATTRIBUTE = 'data-highlighted-code';

const BLOCK = /(<pre data-language="[^"]*">)<code>([\s\S]*?)<\/code><\/pre>/g;
const LINE_START = '<div class="ec-line';

/**
 * The lines of a block's highlighted `<code>` content as plain (still escaped) text. The first line
 * is a span of its own: Expressive Code keeps room for the copy button at the end of its first line
 * only, and the plain text must overflow sideways exactly when the lines do (a scrollbar that comes
 * or goes would change the block's height).
 */
export function plainLines(highlighted: string): string {
  const [first = '', ...rest] = highlighted
    .split(LINE_START)
    .slice(1)
    .map((line) =>
      line
        .slice(line.indexOf('>') + 1)
        .replace(/<[^>]*>/g, '')
        // An empty line holds a newline of its own.
        .replace(/\n$/, ''),
    );
  return [`<span class="${FIRST_LINE_CLASS}">${first}</span>`, ...rest].join('\n');
}

/** Every block of `html` outside templates, deferred; with how many there were. */
export function deferHighlighting(html: string): { html: string; blocks: number } {
  let blocks = 0;
  const defer = (segment: string) =>
    segment.replace(BLOCK, (_, pre: string, lines: string) => {
      if (!lines.startsWith(LINE_START)) return _;
      blocks++;
      return `${pre}<code class="${PLAIN_CLASS}">${plainLines(lines)}</code></pre><template ${LINES_ATTRIBUTE}><code>${lines}</code></template>`;
    });
  let out = '';
  let at = 0;
  for (const [start, end] of templateRanges(html)) {
    out += defer(html.slice(at, start)) + html.slice(start, end);
    at = end;
  }
  return { html: out + defer(html.slice(at)), blocks };
}

/** Where the outermost templates of `html` begin and end (templates may nest). */
function templateRanges(html: string): [number, number][] {
  const ranges: [number, number][] = [];
  const tag = /<template[\s>]|<\/template>/g;
  let depth = 0;
  let start = 0;
  for (const match of html.matchAll(tag)) {
    if (match[0] === '</template>') {
      if (depth > 0 && --depth === 0) ranges.push([start, match.index + match[0].length]);
    } else if (depth++ === 0) start = match.index;
  }
  if (depth > 0) ranges.push([start, html.length]);
  return ranges;
}
