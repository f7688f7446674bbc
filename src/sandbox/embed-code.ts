/**
 * What the reader is told after "Copy embed code" (the copy itself starts in ./element.ts, within
 * the click). Copied: a sentence in the example's status, which screen readers hear (role=status).
 * Refused (no permission, no Clipboard API, an insecure page): the code is shown in a field and
 * selected, for the reader to copy by hand; Escape there hides it and returns to the button.
 * The sentences are in the markup (src/components/Example.astro), in the page's language.
 */
import { required } from '~/dom';

/** How long the confirmation stays in view. */
const SHOWN_MS = 8000;

const timers = new WeakMap<HTMLElement, number>();
/** The fields that already hide on Escape. */
const listening = new WeakSet<HTMLElement>();

export async function showCopied(root: HTMLElement, copied: Promise<void>): Promise<void> {
  const owner = `example ${root.dataset.exampleId ?? ''}`;
  const status = required(root, '[data-embed-status]', owner);
  const panel = required(root, '[data-embed-panel]', owner);
  const field = required<HTMLTextAreaElement>(panel, '[data-embed-code]', owner);
  const button = required<HTMLButtonElement>(root, '[data-action="embed"]', owner);
  window.clearTimeout(timers.get(status));
  let ok: boolean;
  try {
    await copied;
    ok = true;
  } catch {
    ok = false;
  }
  say(status, (ok ? status.dataset.copied : status.dataset.refused) ?? '');
  if (ok) {
    panel.hidden = true;
    timers.set(
      status,
      window.setTimeout(() => {
        status.textContent = '';
      }, SHOWN_MS),
    );
    return;
  }
  panel.hidden = false;
  field.focus();
  field.select();
  if (!listening.has(field)) {
    listening.add(field);
    field.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape') return;
      panel.hidden = true;
      status.textContent = '';
      button.focus();
    });
  }
}

/** A sentence in the live region; the same sentence again is set anew, so that it is heard again. */
function say(status: HTMLElement, text: string): void {
  if (status.textContent !== text) {
    status.textContent = text;
    return;
  }
  status.textContent = '';
  requestAnimationFrame(() => {
    status.textContent = text;
  });
}
