/**
 * `<book-example>`: the only sandbox code a chapter loads up front. It shows the controls and waits;
 * the controller, the editor and the runtimes are fetched when the reader first uses an example.
 */
import { tabToken } from '../runtime/local/token.ts';
import { pickRuntime, PREFERENCE_EVENT, preferenceFromAddress, runtimePreference, type RuntimePreference } from '../runtime/preference.ts';
import { editKey, hasEdit } from './edit-store.ts';

type Controller = import('./controller.ts').Controller;

/**
 * One observer for all the page's examples: when the first comes into view, the runtime starts
 * booting (./warm-up.ts decides whether this browser should), so a WebContainer may be ready by the
 * first Run. Only then is anything of it loaded.
 */
let watching: IntersectionObserver | undefined;
function watch(example: Element): void {
  if (!('IntersectionObserver' in window)) return;
  watching ??= new IntersectionObserver((entries, observer) => {
    if (!entries.some((entry) => entry.isIntersecting)) return;
    observer.disconnect();
    import('./warm-up.ts')
      .then(({ warmUp }) => warmUp())
      .catch(() => {}); // offline, say: the first Run tells the reader what it can
  });
  watching.observe(example);
}

class BookExample extends HTMLElement {
  private controller: Promise<Controller> | undefined;

  connectedCallback(): void {
    const id = this.dataset.exampleId ?? '';
    for (const element of this.querySelectorAll<HTMLElement>('[data-controls]')) element.hidden = false;
    this.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('[data-action]');
      if (button?.dataset.action === 'embed') this.copyEmbedCode();
      else if (button?.dataset.action) void this.act(button.dataset.action);
    });
    this.addEventListener('keydown', (event) => {
      // The editor handles its own Ctrl+Enter (and marks it handled); this is for the rest of the example.
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && !event.defaultPrevented) {
        event.preventDefault();
        void this.act('run');
      }
    });
    // A reader who edited this example before gets the edit back, in the editor, on every visit;
    // an edit saved in another tab shows here too (once loaded, the controller follows the tabs).
    if (hasEdit(id)) void this.act('open');
    this.showRuntimePicker();
    watch(this);
    addEventListener('storage', (event) => {
      if (!this.controller && event.key === editKey(id) && event.newValue !== null) void this.act('open');
    });
  }

  /**
   * The control by the status line: the runtimes this page can have (local Node only in a tab with
   * the book server's token, a WebContainer only where the page is isolated), one pick for the
   * whole page. An address with `?runtime=` fixes it.
   */
  private showRuntimePicker(): void {
    const select = this.querySelector<HTMLSelectElement>('[data-runtime-picker]');
    if (!select) return;
    const fixed = preferenceFromAddress();
    const offered: Record<RuntimePreference, boolean> = {
      auto: true,
      local: tabToken() !== null,
      webcontainer: globalThis.crossOriginIsolated === true,
      browser: typeof Worker === 'function',
      recorded: true,
    };
    for (const option of select.options) option.hidden = option.disabled = !offered[option.value as RuntimePreference] && option.value !== fixed;
    select.value = runtimePreference();
    select.disabled = fixed !== null;
    select.addEventListener('change', () => pickRuntime(select.value as RuntimePreference));
    addEventListener(PREFERENCE_EVENT, (event) => (select.value = (event as CustomEvent<RuntimePreference>).detail));
  }

  /**
   * "Copy embed code": the copy starts within the click (a browser may allow the clipboard only
   * then), and what the reader is told loads afterwards (./embed-code.ts), without the controller.
   */
  private copyEmbedCode(): void {
    const code = this.querySelector<HTMLTextAreaElement>('[data-embed-code]')?.value ?? '';
    let copied: Promise<void>;
    try {
      copied = navigator.clipboard.writeText(code);
    } catch (error) {
      copied = Promise.reject(error); // no Clipboard API at all (an insecure page, an old browser)
    }
    copied.catch(() => {}); // told below, once the module is here
    void import('./embed-code.ts').then(({ showCopied }) => showCopied(this, copied));
  }

  private async act(action: string): Promise<void> {
    this.controller ??= import('./controller.ts').then(({ Controller }) => new Controller(this));
    (await this.controller).act(action);
  }
}

customElements.define('book-example', BookExample);
