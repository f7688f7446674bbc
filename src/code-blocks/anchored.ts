/**
 * `data-anchored` on the root of a page that goes to an anchor (`#example-…`, a heading): opened
 * at one, or following a link to one on the page (the table of contents). src/styles/book.css then
 * lays the whole page out instead of skipping what is off screen: a skipped part takes its real
 * height only once it comes near the screen, which, above the anchor, pushed the anchor away from
 * where the browser had scrolled (by up to a screen on the desktop). The cost, laying out the rest
 * of the page once, is paid when the reader jumps, not on every load. Runs first thing in the head
 * (astro.config.mjs), before the browser scrolls to an anchor in the address.
 */
export const ANCHORED_ATTRIBUTE = 'data-anchored';

/**
 * Marks the page at once if its address has an anchor; before the browser follows a link within
 * the page (so it scrolls with the page laid out); and on any other change of the anchor (the back
 * button, a script), then scrolls to it again. No comments inside: the function is sent as one line.
 */
function anchored(attribute: string): void {
  const root = document.documentElement;
  const mark = () => root.setAttribute(attribute, '');
  if (location.hash.length > 1) mark();
  document.addEventListener(
    'click',
    (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href*="#"]') : null;
      if (link instanceof HTMLAnchorElement && link.hash.length > 1 && link.pathname === location.pathname) mark();
    },
    true,
  );
  addEventListener('hashchange', () => {
    if (root.hasAttribute(attribute)) return;
    mark();
    document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  });
}

/** The inline script for the head of every page. */
export const ANCHORED_SCRIPT = `(${anchored.toString().replace(/\s+/g, ' ')})(${JSON.stringify(ANCHORED_ATTRIBUTE)});`;
