/**
 * `<book-exercise>`: the page's side of one exercise (src/components/Exercise.astro). A "predict"
 * exercise lets the reader order the program's lines with buttons (and Alt+↑/↓ on them), checks
 * the order against the recording and can show the answer; a "fix" exercise judges every run of
 * the example inside it by its output (./verdict.ts). Progress is kept like edits (./store.ts) and
 * followed across tabs. The explanation opens after a first attempt, and a predict program's
 * output stays hidden until then so that the page does not give the answer away.
 *
 * The puzzle and the verdicts are plain modules; this file only wires them to the markup. Loaded
 * up front on a page with exercises, so it stays small: the check code comes with the first run.
 */
import type { ExerciseCheck } from '../examples/schema.ts';
import { required } from '../dom.ts';
import { pageStorage } from '../sandbox/edit-store.ts';
import { RUN_EVENT, type RunEventDetail } from '../sandbox/run-event.ts';
import { grade, move, startingOrder } from './predict.ts';
import { createProgressStore, NO_PROGRESS, type Progress, type ProgressStore } from './store.ts';
import { say, type Words } from './words.ts';

export interface ExerciseData {
  id: string;
  kind: 'predict' | 'fix';
  /** predict: the program's lines in the recorded (right) order. */
  lines: string[];
  check?: ExerciseCheck;
  words: Words;
}


class BookExercise extends HTMLElement {
  private data!: ExerciseData;
  private store!: ProgressStore;
  private progress: Progress = NO_PROGRESS;

  connectedCallback(): void {
    if (this.data) return; // moved in the page: already wired
    this.data = JSON.parse(this.find('[data-exercise-data]').textContent ?? '{}') as ExerciseData;
    this.store = createProgressStore(this.data.id, this.data.lines.length, { storage: pageStorage(), events: window });
    for (const element of this.querySelectorAll<HTMLElement>('[data-exercise-controls]')) element.hidden = false;
    this.apply(this.store.load() ?? this.fresh(), false);
    this.addEventListener('click', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('[data-move], [data-exercise-action]');
      if (!button || button.getAttribute('aria-disabled') === 'true') return;
      if (button.dataset.move) this.moveLine(button, Number(button.dataset.move) as -1 | 1);
      else this.act(button.dataset.exerciseAction ?? '');
    });
    this.addEventListener('keydown', (event) => {
      const button = (event.target as Element).closest<HTMLButtonElement>('[data-move]');
      if (!button || !event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
      event.preventDefault();
      this.moveLine(button, event.key === 'ArrowUp' ? -1 : 1);
    });
    this.addEventListener(RUN_EVENT, (event) => void this.ran((event as CustomEvent<RunEventDetail>).detail));
    this.store.onOtherTab((progress) => this.apply(progress ?? this.fresh(), false));
  }

  private fresh(): Progress {
    return this.data.kind === 'predict' ? { ...NO_PROGRESS, order: startingOrder(this.data.lines.length, this.data.id) } : { ...NO_PROGRESS };
  }

  // --- predict -----------------------------------------------------------------------------

  private moveLine(button: HTMLButtonElement, delta: -1 | 1): void {
    const order = this.progress.order;
    const item = button.closest<HTMLElement>('[data-line]');
    if (!order || !item || this.progress.solved || this.progress.revealed) return;
    const place = order.indexOf(Number(item.dataset.line));
    const next = move(order, place, delta);
    if (next[place] === order[place]) return; // at an end
    // The neighbour moves, not the line with the focus: a focused node taken out of the page
    // loses the focus, and a screen reader would lose its place.
    const neighbour = this.lineItem(next[place]);
    if (delta < 0) item.after(neighbour);
    else item.before(neighbour);
    this.update({ ...this.progress, order: next });
    this.showVerdict('');
    // At an end the focus goes to the line's other button, so the reader can go on; the live
    // region says where the line went.
    if (button.getAttribute('aria-disabled') === 'true') item.querySelector<HTMLButtonElement>(`[data-move="${-delta}"]`)?.focus();
    this.announce(say(this.data.words, 'exercise.moved', { line: this.data.lines[order[place]], place: place + delta + 1, count: order.length }));
  }

  private act(action: string): void {
    const { words } = this.data;
    if (action === 'check' && this.progress.order) {
      const result = grade(this.progress.order);
      this.update({ ...this.progress, attempts: this.progress.attempts + 1, solved: result.correct });
      this.showVerdict(say(words, result.correct ? 'exercise.right' : 'exercise.wrong', { inPlace: result.inPlace, count: result.count }), result.correct ? 'right' : 'wrong');
    } else if (action === 'reveal') {
      const order = this.data.lines.map((_, i) => i);
      this.update({ ...this.progress, order, revealed: true });
      this.showVerdict(say(words, 'exercise.revealed'), 'revealed');
    } else if (action === 'reset') {
      this.store.forget();
      this.conceal();
      this.apply(this.fresh(), true);
      this.showVerdict(say(words, 'exercise.started'));
      this.find<HTMLButtonElement>('[data-exercise-action="check"]').focus();
    }
  }

  // --- runs --------------------------------------------------------------------------------

  private async ran(detail: RunEventDetail): Promise<void> {
    const runVerdict = this.find('[data-run-verdict]');
    if (detail.phase === 'started') {
      this.unconceal();
      runVerdict.textContent = '';
      return;
    }
    // The checks are needed only once something ran: they come with the first run.
    const { fixText, judgeFix, predictRunText } = await import('./verdict.ts');
    if (this.data.kind === 'fix' && this.data.check) {
      const verdict = judgeFix(this.data.check, detail);
      runVerdict.textContent = fixText(this.data.words, verdict);
      runVerdict.dataset.outcome = verdict ? (verdict.passed ? 'right' : 'wrong') : 'none';
      if (verdict) {
        this.update({ ...this.progress, attempts: this.progress.attempts + 1, solved: this.progress.solved || verdict.passed, verdict });
      }
    } else {
      runVerdict.textContent = predictRunText(this.data.words, detail, this.data.lines) ?? '';
      delete runVerdict.dataset.outcome;
    }
  }

  // --- the page ----------------------------------------------------------------------------

  /** Shows a state (loaded, from another tab, or fresh) and, with `save`, keeps it. */
  private apply(progress: Progress, save: boolean): void {
    this.progress = progress;
    if (save) this.store.save(progress);
    const attempted = progress.attempts > 0 || progress.revealed;
    const locked = progress.solved || progress.revealed;
    if (progress.order) this.showOrder(progress.order, locked);
    // A verdict belongs to the state it was given for: another tab's Start over takes it away.
    if (!locked && this.data.kind === 'predict') this.showVerdict('');
    this.toggleAttribute('data-locked', locked);
    for (const button of this.querySelectorAll<HTMLButtonElement>('[data-exercise-action="check"], [data-exercise-action="reveal"]')) {
      button.setAttribute('aria-disabled', String(locked));
    }
    const explanation = this.querySelector<HTMLDetailsElement>('[data-explanation]') ?? (attempted ? this.stampExplanation() : null);
    if (explanation) explanation.hidden = !attempted;
    this.find('[data-explanation-locked]').hidden = attempted;
    if (attempted) this.unconceal();
    if (this.data.kind === 'predict') {
      if (progress.revealed) this.showVerdict(say(this.data.words, 'exercise.revealed'), 'revealed');
      else if (progress.solved) this.showVerdict(say(this.data.words, 'exercise.right', { count: this.data.lines.length, inPlace: this.data.lines.length }), 'right');
    } else if (progress.verdict) {
      // The last run's verdict, said again; the sentence module is small and loads once.
      void import('./verdict.ts').then(({ fixText }) => {
        const runVerdict = this.find('[data-run-verdict]');
        runVerdict.textContent = fixText(this.data.words, progress.verdict ?? null);
        runVerdict.dataset.outcome = progress.verdict?.passed ? 'right' : 'wrong';
      });
    }
  }

  private update(progress: Progress): void {
    this.apply(progress, true);
  }

  /** The lines in `order`; once solved or revealed (`locked`) nothing moves, and the buttons say so. */
  private showOrder(order: number[], locked: boolean): void {
    const list = this.find('[data-lines]');
    order.forEach((line, place) => {
      const item = this.lineItem(line);
      // Only a line out of its place is moved (after a reader's move, none is).
      if (list.children[place] !== item) list.insertBefore(item, list.children[place] ?? null);
      item.querySelector('[data-move="-1"]')?.setAttribute('aria-disabled', String(locked || place === 0));
      item.querySelector('[data-move="1"]')?.setAttribute('aria-disabled', String(locked || place === order.length - 1));
      item.toggleAttribute('data-in-place', locked && line === place);
    });
  }

  private showVerdict(text: string, verdict?: 'right' | 'wrong' | 'revealed'): void {
    const element = this.find('[data-verdict]');
    element.textContent = text;
    if (verdict) element.dataset.outcome = verdict;
    else delete element.dataset.outcome;
  }

  /** A fresh start hides the program's output again: it would show the answer. */
  private conceal(): void {
    if (this.data.kind !== 'predict') return;
    this.querySelector('book-example')?.setAttribute('data-concealed', '');
    const note = this.querySelector<HTMLElement>('[data-concealed-note]');
    if (note) note.hidden = false;
    this.find('[data-run-verdict]').textContent = '';
  }

  private unconceal(): void {
    this.querySelector('book-example')?.removeAttribute('data-concealed');
    const note = this.querySelector<HTMLElement>('[data-concealed-note]');
    if (note) note.hidden = true;
  }

  private announce(text: string): void {
    this.find('[data-exercise-announce]').textContent = text;
  }

  private lineItem(line: number): HTMLElement {
    return this.find(`[data-line="${line}"]`);
  }

  /**
   * The explanation (and the solution's code) is a template until the first attempt: most of an
   * exercise's markup, which a reader who has not tried it yet cannot open anyway.
   */
  private stampExplanation(): HTMLDetailsElement {
    const template = this.find<HTMLTemplateElement>('template[data-explanation-template]');
    template.replaceWith(template.content.cloneNode(true));
    return this.find<HTMLDetailsElement>('[data-explanation]');
  }

  private find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return required<T>(this, selector, `exercise ${this.data?.id ?? this.id}`);
  }
}

if (!customElements.get('book-exercise')) customElements.define('book-exercise', BookExercise);
