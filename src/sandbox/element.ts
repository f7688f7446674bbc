/**
 * `<book-example>`: the only sandbox code a chapter loads up front. It shows the controls and waits;
 * the controller, the editor and the runtimes are fetched when the reader first uses an example.
 * Each language's pane (src/components/ExamplePane.astro) has a controller of its own; the Python
 * pane's controls, output and timeline are stamped from their templates when its tab is first shown.
 */
import { tabToken } from '../runtime/local/token.ts';
import { pickRuntime, PREFERENCE_EVENT, preferenceFromAddress, runtimePreference, type RuntimePreference } from '../runtime/preference.ts';
import type { ProgramLanguage } from '../runtime/types.ts';
import { editId, editKey, hasEdit } from './edit-store.ts';

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

const LANGUAGES: readonly ProgramLanguage[] = ['typescript', 'python'];

class BookExample extends HTMLElement {
  private readonly controllers = new Map<ProgramLanguage, Promise<Controller>>();

  connectedCallback(): void {
    const id = this.dataset.exampleId ?? '';
    this.showControls(this);
    this.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('[data-action]');
      if (button?.dataset.action === 'embed') this.copyEmbedCode();
      else if (button?.dataset.action) void this.act(button.dataset.action, paneOf(button) ?? this.shownLanguage());
    });
    this.addEventListener('keydown', (event) => {
      // The editor handles its own Ctrl+Enter (and marks it handled); this is for the rest of the example.
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && !event.defaultPrevented) {
        event.preventDefault();
        void this.act('run', paneOf(event.target as Element) ?? this.shownLanguage());
      }
    });
    this.stampWhenShown();
    // A reader who edited this example before gets the edit back, in the editor, on every visit;
    // an edit saved in another tab shows here too (once loaded, the controller follows the tabs).
    for (const language of LANGUAGES) {
      if (hasEdit(editId(id, language))) void this.act('open', language);
    }
    watch(this);
    addEventListener('storage', (event) => {
      for (const language of LANGUAGES) {
        if (!this.controllers.has(language) && event.key === editKey(editId(id, language)) && event.newValue !== null) void this.act('open', language);
      }
    });
  }

  /** Shows what needs JavaScript (controls, the runtime picker) in `scope`. */
  private showControls(scope: ParentNode): void {
    for (const element of scope.querySelectorAll<HTMLElement>('[data-controls]')) element.hidden = false;
    for (const select of scope.querySelectorAll<HTMLSelectElement>('[data-runtime-picker]')) showRuntimePicker(select);
  }

  /**
   * The Python pane is stamped from its template (after the tabs, see ExamplePane.astro) the first
   * time its tab is shown: by the reader, by another example's tabs (Starlight syncs them), or by
   * the tab restored from an earlier visit; or when something needs its controller first (a saved
   * Python edit is opened on load).
   */
  private stampWhenShown(): void {
    const panel = this.querySelector<HTMLElement>('[data-pane="python"]')?.closest<HTMLElement>('[role="tabpanel"]');
    if (!panel) return;
    if (!panel.hidden) return this.stampPython();
    const observer = new MutationObserver(() => {
      if (panel.hidden) return;
      observer.disconnect();
      this.stampPython();
    });
    observer.observe(panel, { attributes: true, attributeFilter: ['hidden'] });
  }

  /** Fills the Python pane from its template: controls, code, output; once. */
  private stampPython(): void {
    const template = this.querySelector<HTMLTemplateElement>(':scope > template[data-pane-parts="python"]');
    const pane = this.querySelector<HTMLElement>('[data-pane="python"]');
    if (!template || !pane) return;
    const parts = template.content.cloneNode(true) as DocumentFragment;
    this.showControls(parts);
    for (const part of ['before', 'code', 'after']) {
      const element = parts.querySelector(`[data-part="${part}"]`);
      if (element) pane.append(fragmentOf(element));
    }
    template.remove();
  }

  /** The language whose tab is shown (TypeScript where the tabs cannot tell). */
  private shownLanguage(): ProgramLanguage {
    const panel = this.querySelector<HTMLElement>('[data-pane="python"]')?.closest<HTMLElement>('[role="tabpanel"]');
    return panel && !panel.hidden ? 'python' : 'typescript';
  }

  private async act(action: string, language: ProgramLanguage): Promise<void> {
    let controller = this.controllers.get(language);
    if (!controller) {
      if (language === 'python') this.stampPython();
      controller = import('./controller.ts').then(({ Controller }) => new Controller(this, language));
      this.controllers.set(language, controller);
    }
    (await controller).act(action);
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
}

/** The language of the pane an element is in, if any. */
function paneOf(element: Element): ProgramLanguage | undefined {
  const pane = element.closest<HTMLElement>('[data-pane]')?.dataset.pane;
  return pane === 'python' || pane === 'typescript' ? pane : undefined;
}

/**
 * The control by the status line: the runtimes this page can have (local Node only in a tab with
 * the book server's token, a WebContainer only where the page is isolated), one pick for the
 * whole page (every pane's control follows it). An address with `?runtime=` fixes it.
 */
function showRuntimePicker(select: HTMLSelectElement): void {
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

customElements.define('book-example', BookExample);

/** The children of `element`, moved into a fragment (the element itself is left behind). */
function fragmentOf(element: Element): DocumentFragment {
  const fragment = document.createDocumentFragment();
  fragment.append(...element.childNodes);
  return fragment;
}
