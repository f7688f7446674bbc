/**
 * `<book-example>`: the only sandbox code a chapter loads up front. It shows the controls and waits;
 * the controller, the editor and the runtimes are fetched when the reader first uses an example.
 */
import { hasEdit } from './edits.ts';

type Controller = import('./controller.ts').Controller;

class BookExample extends HTMLElement {
  private controller: Promise<Controller> | undefined;

  connectedCallback(): void {
    for (const element of this.querySelectorAll<HTMLElement>('[data-controls]')) element.hidden = false;
    this.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLElement>('[data-action]');
      if (button?.dataset.action) void this.act(button.dataset.action);
    });
    this.addEventListener('keydown', (event) => {
      // The editor handles its own Ctrl+Enter (and marks it handled); this is for the rest of the example.
      if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && !event.defaultPrevented) {
        event.preventDefault();
        void this.act('run');
      }
    });
    // A reader who edited this example before gets the edit back, in the editor, on every visit.
    if (hasEdit(this.dataset.exampleId ?? '')) void this.act('edit');
  }

  private async act(action: string): Promise<void> {
    this.controller ??= import('./controller.ts').then(({ Controller }) => new Controller(this));
    (await this.controller).act(action);
  }
}

customElements.define('book-example', BookExample);
