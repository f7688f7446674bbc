/**
 * The link offered next to a reason why nothing live can run, when the reader can do something
 * about it (src/runtime/types.ts, UnavailableAction). Only an address of this very site becomes a
 * link: a runtime's words are text, and nothing they carry may point the reader elsewhere.
 */
import type { UiKey } from '../i18n/ui.ts';
import type { UnavailableAction } from '../runtime/types.ts';

export interface ActionLink {
  href: string;
  label: UiKey;
  /** Opened in a new tab (out of the frame the page is in), or in place. */
  newTab: boolean;
}

export function actionLink(action: UnavailableAction | undefined, pageHref: string, exampleId: string): ActionLink | null {
  if (!action) return null;
  let url: URL;
  try {
    url = new URL(action.href, pageHref);
  } catch {
    return null;
  }
  const page = new URL(pageHref);
  if (url.origin !== page.origin || (url.protocol !== 'https:' && url.protocol !== 'http:')) return null;
  url.hash = `example-${exampleId}`; // the reader arrives at the example they tried to run
  return action.kind === 'open-in-new-tab'
    ? { href: url.href, label: 'example.openInNewTab', newTab: true }
    : { href: url.href, label: 'example.runOnRequest', newTab: false };
}
