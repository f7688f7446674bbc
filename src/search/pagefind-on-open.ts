/**
 * Stands in for `@pagefind/default-ui` in the one place that imports it: Starlight's search
 * component, which builds Pagefind's interface in the first idle moment after every page load
 * (its Search.astro). On a long chapter at phone speed that parse and mount is a long task on the
 * main thread before anybody searches, and Lighthouse counts it as blocking. Here the real module
 * is fetched when the reader points at or focuses the search button, and the interface is built
 * when the search dialog first opens; the input then takes the focus Starlight gave to nothing
 * (the input did not exist yet). The alias is set in src/integrations/search.ts.
 */
import type { PagefindOptions } from '@pagefind/default-ui/npm_dist/mjs/ui-core.mjs';

let pending: Promise<typeof import('@pagefind/default-ui/npm_dist/mjs/ui-core.mjs')> | undefined;
/** The real interface's code, fetched once. */
const load = () => (pending ??= import('@pagefind/default-ui/npm_dist/mjs/ui-core.mjs'));

export class PagefindUI {
  constructor(options: PagefindOptions) {
    const target = typeof options.element === 'string' ? document.querySelector(options.element) : options.element;
    const dialog = target?.closest('dialog');
    // Not inside a dialog (not Starlight's markup): nothing to wait for.
    if (!target || !dialog) {
      void build(options);
      return;
    }
    const opener = dialog.parentElement?.querySelector('button[data-open-modal]');
    for (const type of ['pointerenter', 'focus', 'touchstart']) {
      opener?.addEventListener(type, () => void load(), { once: true, passive: true });
    }
    const whenOpen = () => {
      void build(options).then(() => {
        if (dialog.open) target.querySelector('input')?.focus();
      });
    };
    if (dialog.open) whenOpen();
    // `showModal()` sets the `open` attribute; a dialog has no event for opening in every browser.
    else
      new MutationObserver((_, observer) => {
        if (!dialog.open) return;
        observer.disconnect();
        whenOpen();
      }).observe(dialog, { attributes: true, attributeFilter: ['open'] });
  }
}

async function build(options: PagefindOptions): Promise<void> {
  const { PagefindUI: Real } = await load();
  new Real(options);
}
