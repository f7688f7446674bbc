/**
 * Puts a code block's highlighted lines back in place of its plain text (./plain-until-near.ts says
 * why they were taken out) when the block comes within a screen of the viewport, so a reader
 * scrolling at an ordinary pace sees only highlighted code, one block a frame; and all of them at once
 * before printing. Plain
 * text and lines are the same height: nothing on the page moves.
 */
import { markScrollers } from './focusable-scrollers.ts';
import { LINES_ATTRIBUTE, PLAIN_CLASS } from './plain-until-near.ts';

export function highlightNear(root: Document): void {
  const swaps = new Map<Element, () => void>();
  // One block a frame: each swap styles and lays out a block's lines (30–60 ms with a phone's CPU),
  // and the blocks near the screen when the page loads all come at once.
  const queue: Element[] = [];
  const drain = () => {
    const next = queue.shift();
    if (next) swaps.get(next)?.();
    if (queue.length > 0) requestAnimationFrame(drain);
  };
  const near =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            const idle = queue.length === 0;
            for (const entry of entries) if (entry.isIntersecting && !queue.includes(entry.target)) queue.push(entry.target);
            if (idle && queue.length > 0) requestAnimationFrame(drain);
          },
          { rootMargin: '100% 0px' },
        )
      : undefined;
  for (const plain of root.querySelectorAll<HTMLElement>(`pre > code.${PLAIN_CLASS}`)) {
    const pre = plain.parentElement!;
    const template = pre.nextElementSibling;
    if (!(template instanceof HTMLTemplateElement) || !template.hasAttribute(LINES_ATTRIBUTE)) continue;
    const swap = () => {
      swaps.delete(plain);
      near?.unobserve(plain);
      plain.replaceWith(template.content);
      template.remove();
      // The lines keep room for the copy button at their end, the plain text does not: whether the
      // block scrolls sideways (and so takes the focus) is measured again.
      markScrollers([pre]);
    };
    if (near) {
      swaps.set(plain, swap);
      near.observe(plain);
    } else swap();
  }
  root.defaultView?.addEventListener('beforeprint', () => {
    for (const swap of [...swaps.values()]) swap();
  });
}
