/**
 * The note at the bottom of the screen for the offline copy: a status line ("offline: the kept
 * copy"), and an offer with buttons ("a new version: reload / later"). Text only, made with DOM
 * calls; created the first time there is something to say.
 */
export class OfflineNote {
  private box: HTMLElement | null = null;
  private status: HTMLElement | null = null;
  private offerBox: HTMLElement | null = null;

  constructor(private readonly document: Document) {}

  /** Shows `text` as the offline status, or takes it away when it is empty. */
  offline(text: string): void {
    if (!text && !this.status) return;
    const status = this.ensure().status;
    status.textContent = text;
    status.hidden = !text;
    this.update();
  }

  /** Offers the reader an action once (a second offer replaces the first). */
  offer(text: string, action: string, dismiss: string, onAction: () => void): void {
    const { box } = this.ensure();
    this.offerBox?.remove();
    const offer = this.document.createElement('p');
    offer.className = 'book-offline__offer';
    offer.setAttribute('role', 'status');
    const words = this.document.createElement('span');
    words.textContent = text;
    const primary = this.button(action, 'book-offline__button book-offline__button--primary', () => {
      primary.disabled = true;
      onAction();
    });
    const later = this.button(dismiss, 'book-offline__button', () => {
      offer.remove();
      this.offerBox = null;
      this.update();
    });
    offer.append(words, ' ', primary, ' ', later);
    box.append(offer);
    this.offerBox = offer;
    this.update();
  }

  private button(label: string, className: string, onClick: () => void): HTMLButtonElement {
    const button = this.document.createElement('button');
    button.type = 'button';
    button.className = className;
    button.textContent = label;
    button.addEventListener('click', onClick);
    return button;
  }

  private ensure(): { box: HTMLElement; status: HTMLElement } {
    if (this.box && this.status) return { box: this.box, status: this.status };
    const box = this.document.createElement('div');
    box.className = 'book-offline';
    box.dataset.offlineNote = '';
    const status = this.document.createElement('p');
    status.className = 'book-offline__status';
    status.setAttribute('role', 'status');
    status.hidden = true;
    box.append(status);
    this.document.body.append(box);
    this.box = box;
    this.status = status;
    return { box, status };
  }

  /** The box shows while it has something in it. */
  private update(): void {
    if (this.box) this.box.hidden = Boolean(this.status?.hidden) && !this.offerBox;
  }
}
