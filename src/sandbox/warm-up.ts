/**
 * Loaded by the sandbox element when the first example of the page comes into view: starts booting
 * the page's WebContainer (a cold boot takes seconds) while the reader reads, so that the first Run
 * may find it ready. Only where that boot is what a Run would wait for: a desktop browser that gets
 * a WebContainer (../runtime/browser-support.ts), not a tab that runs examples on the reader's own
 * machine (it has the book's local token) or one that asked for another runtime. Anything heavier
 * than these checks loads only when they pass.
 */
import { browserFacts, mayWarmUp } from '../runtime/browser-support.ts';
import { tabToken } from '../runtime/local/token.ts';

export async function warmUp(): Promise<void> {
  const wanted = new URLSearchParams(location.search).get('runtime');
  if (wanted === 'local' || wanted === 'recorded') return;
  if (wanted !== 'webcontainer' && tabToken()) return; // the book's own server runs them: nothing to boot
  if (!mayWarmUp(browserFacts())) return;
  const [{ warmUpRuntime }, { wordsFor }, { localeOf }] = await Promise.all([
    import('../runtime/choice.ts'),
    import('../runtime/messages.ts'),
    import('../i18n/ui.ts'),
  ]);
  warmUpRuntime(wordsFor(localeOf(document.documentElement.lang)));
}
