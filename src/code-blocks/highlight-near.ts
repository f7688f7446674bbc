/**
 * Puts a code block's highlighted lines back in place of its plain text (./plain-until-near.ts says
 * why they were taken out) when the block comes within a screen of the viewport, so a reader
 * scrolling at an ordinary pace sees only highlighted code; and all of them before printing. Plain
 * text and lines are the same height: nothing on the page moves.
 */
import { markScrollers } from './focusable-scrollers.ts';
import { LINES_ATTRIBUTE, PLAIN_CLASS } from './plain-until-near.ts';

export function highlightNear(root: Document): void {
  const swaps = new Map<Element, () => void>();
  const near =
    typeof IntersectionObserver === 'function'
      ? new IntersectionObserver(
          (entries) => {
            for (const entry of entries) if (entry.isIntersecting) swaps.get(entry.target)?.();
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
