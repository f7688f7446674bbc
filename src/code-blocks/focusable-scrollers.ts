/**
 * Code blocks that scroll sideways become focusable (`tabindex="0"`, `role="region"`), so a reader
 * with only a keyboard can scroll them (WCAG 2.1.1; axe's `scrollable-region-focusable`).
 *
 * This replaces Expressive Code's own module for the same job (removed in ec.config.mjs). That one
 * watched every block of the page with a ResizeObserver and then, in one task, read each block's
 * width and wrote its attributes in turn, so every read after a write laid the whole page out again:
 * on the longest chapter, with a phone's CPU, it was one 0.5 s task and 1.1 s of main-thread work.
 * Here a block is measured when it comes near the viewport (an IntersectionObserver's callback runs
 * after layout, so the reads cost nothing) and the rest in idle time, one at a time; every batch
 * reads all its widths before it writes any attribute.
 */

export const CODE_BLOCK_SELECTOR = '.expressive-code pre';

/** Sets or clears the attributes on each block by whether it overflows now: all reads, then all writes. */
export function markScrollers(blocks: readonly HTMLElement[]): void {
  const overflowing = blocks.map((block) => block.scrollWidth > block.clientWidth);
  blocks.forEach((block, index) => {
    const focusable = block.hasAttribute('tabindex');
    if (overflowing[index] && !focusable) {
      block.setAttribute('tabindex', '0');
      block.setAttribute('role', 'region');
    } else if (!overflowing[index] && focusable) {
      block.removeAttribute('tabindex');
      block.removeAttribute('role');
    }
  });
}

type IdleCallback = (deadline: { timeRemaining(): number }) => void;
const whenIdle: (callback: IdleCallback) => void =
  typeof requestIdleCallback === 'function'
    ? (callback) => requestIdleCallback(callback, { timeout: 2000 })
    : // Safari has no requestIdleCallback: a short pause stands in for idle time.
      (callback) => setTimeout(() => callback({ timeRemaining: () => 8 }), 50);

/**
 * Whether a block is laid out now. One behind a closed tab has no width yet: it is measured when it
 * is shown and comes near, not in idle time.
 */
function rendered(block: HTMLElement): boolean {
  return typeof block.checkVisibility !== 'function' || block.checkVisibility({ contentVisibilityAuto: true });
}

/**
 * Watches the code blocks under `root` (and any added later: an example's pane stamped from its
 * template) until the returned function is called.
 */
export function watchScrollers(root: Document): () => void {
  const near = new Set<HTMLElement>();
  const unchecked = new Set<HTMLElement>();
  let sweeping = false;

  const intersection = new IntersectionObserver(
    (entries) => {
      const entering: HTMLElement[] = [];
      for (const entry of entries) {
        const block = entry.target as HTMLElement;
        if (entry.isIntersecting) {
          near.add(block);
          unchecked.delete(block);
          entering.push(block);
        } else near.delete(block);
      }
      if (entering.length) markScrollers(entering);
    },
    // Half a screen ahead: a block is ready before the reader reaches it.
    { rootMargin: '50% 0px' },
  );

  // The rest, one block at a time while the page is idle: a keyboard's Tab may jump further than
  // half a screen, and a page with nothing skipped is measured whole soon after it loads.
  const sweep: IdleCallback = (deadline) => {
    for (const block of unchecked) {
      unchecked.delete(block);
      if (rendered(block)) markScrollers([block]);
      if (deadline.timeRemaining() < 4) break;
    }
    if (unchecked.size) whenIdle(sweep);
    else sweeping = false;
  };

  const watch = (scope: ParentNode) => {
    const found = scope instanceof Element && scope.matches(CODE_BLOCK_SELECTOR) ? [scope] : [];
    found.push(...scope.querySelectorAll(CODE_BLOCK_SELECTOR));
    for (const block of found as HTMLElement[]) {
      intersection.observe(block);
      unchecked.add(block);
    }
    if (unchecked.size && !sweeping) {
      sweeping = true;
      whenIdle(sweep);
    }
  };

  // A block changes width with the window (a phone turned sideways); the ones in view are measured
  // again once the resizing stops, the others when they come near it.
  let resizeTimer: ReturnType<typeof setTimeout> | undefined;
  const onResize = () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => markScrollers([...near]), 200);
  };
  addEventListener('resize', onResize);

  const mutations = new MutationObserver((records) => {
    for (const record of records)
      for (const node of record.addedNodes) {
        // Output lines are added all the time: only elements that can hold a code block are looked into.
        if (node instanceof Element && (node.localName === 'pre' || node.firstElementChild)) watch(node);
      }
  });
  mutations.observe(root.body, { childList: true, subtree: true });
  watch(root);

  return () => {
    intersection.disconnect();
    mutations.disconnect();
    removeEventListener('resize', onResize);
    clearTimeout(resizeTimer);
    unchecked.clear();
  };
}
