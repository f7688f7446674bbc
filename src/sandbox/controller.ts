/**
 * The page's side of one language of an example (its pane, src/components/ExamplePane.astro): the
 * buttons, the editor, the output and the timeline, driven by a RunSession (src/runtime/session.ts),
 * which owns the run lifecycle. Each language has its own controller, so the TypeScript and the
 * Python tab keep their own edits, runs and output. This file only turns what the reader does into
 * session calls, and the session's states into what the reader sees.
 */
import { localeOf, t, type UiKey } from '~/i18n/ui';
import { chooseRuntime, fallbackRuntime } from '~/runtime/choice';
import { wordsFor } from '~/runtime/messages';
import { runSpecFor } from '~/runtime/page-spec';
import { createRecordedRuntime, isRecorded } from '~/runtime/recorded';
import { RunSession, type Prepared, type SessionState } from '~/runtime/session';
import { runtimeLabel, type ProgramLanguage, type Runtime, type UnavailableAction } from '~/runtime/types';
import { TimelinePanel } from '~/timeline/panel';
import { required } from '~/dom';
import { errorMessage } from '~/lib/errors';
import { actionLink } from './action-link.ts';
import { createEditStore, editId, pageStorage, type EditStore, type SaveOutcome } from './edit-store.ts';
import { OutputView } from './output-view.ts';
import { MAX_TRANSCRIPT_LINES, RUN_EVENT, type RunEventDetail, type TranscriptLine } from './run-event.ts';
import type { CodeEditor } from './editor.ts';

interface Sources {
  typescript: string;
  python: string;
  client: string | null;
}

type Values = Record<string, string | number>;

/** Typing is saved this long after it stops; leaving the page saves what is still pending. */
const SAVE_DELAY_MS = 250;

export class Controller {
  private readonly root: HTMLElement;
  /** This language's part of the example: everything but the header and the shared data. */
  private readonly pane: HTMLElement;
  private readonly language: ProgramLanguage;
  private readonly id: string;
  private readonly locale = localeOf(document.documentElement.lang);
  private readonly words = wordsFor(this.locale);
  private readonly sources: Sources;
  /** The example's own code in this language (main.ts or main.py). */
  private readonly original: string;
  private readonly output: OutputView;
  private readonly timeline: TimelinePanel;
  private readonly recordedText: string;
  private readonly recordedNote: string;
  private readonly session: RunSession;
  private readonly edits: EditStore;
  private editor: CodeEditor | undefined;
  private editorLoading: Promise<CodeEditor> | undefined;
  private ticker = 0;
  private textBeforeReset: string | undefined;
  private saveTimer = 0;
  /** The reader typed in this tab since the last save: only then may this tab write the edit. */
  private dirty = false;
  /** The editor's text is being replaced by the page (another tab's save, Reset): not the reader's typing. */
  private replacingQuietly = false;
  /** The recorded runtime is "running": its lines are the recording, already drawn as such. */
  private showingRecording = false;
  /**
   * What the current run printed, line by line as the output view splits it, for an exercise
   * around the example (./run-event.ts); the output view's flush at the end adds the last line.
   */
  private transcript: TranscriptLine[] = [];
  /** The current run's code is the reader's edit, not the example's own. */
  private runEdited = false;

  constructor(root: HTMLElement, language: ProgramLanguage) {
    this.root = root;
    this.language = language;
    this.id = root.dataset.exampleId ?? '';
    this.pane = required(root, `[data-pane="${language}"]`, `example ${this.id}`);
    this.sources = JSON.parse(required(root, '[data-sources]', `example ${this.id}`).textContent ?? '{}') as Sources;
    this.original = language === 'python' ? this.sources.python : this.sources.typescript;
    const pre = this.find('[data-output]');
    this.recordedText = pre.textContent ?? '';
    this.recordedNote = this.find('[data-source-note]').textContent ?? '';
    this.timeline = new TimelinePanel(this.find('[data-timeline]'), this.locale, this.recordedLines());
    this.output = new OutputView(pre, this.find('[data-dropped]'), {
      dropped: (count) => this.t('output.dropped', { count: count.toLocaleString(this.locale) }),
      cut: (count) => this.t('output.cut', { count: count.toLocaleString(this.locale) }),
      line: (text, stream) => {
        if (!this.showingRecording) this.timeline.line(text);
        // The runtime's own notes are not the program's output.
        if (stream !== 'system' && this.transcript.length < MAX_TRANSCRIPT_LINES) this.transcript.push({ text, stream });
      },
    });
    this.edits = createEditStore(editId(this.id, language), this.original, { storage: pageStorage(), events: window });
    this.session = new RunSession({
      choose: () => chooseRuntime(this.words),
      fallback: (unavailable) =>
        fallbackRuntime(unavailable, this.words) ??
        createRecordedRuntime({ text: this.recordedText, exitCode: Number(this.pane.dataset.recordedExit ?? 0) }, unavailable, this.words),
      onState: (state) => this.show(state),
      onOutput: (text, stream) => this.output.append(text, stream),
    });
    this.showEdited(this.edits.load() !== null);
    this.edits.onOtherTab((text) => void this.followOtherTab(text));
    // Typing still waiting for its save is saved when the page goes away or out of sight (a phone
    // may end a hidden page without a pagehide).
    const saveNow = () => {
      if (this.dirty && this.editor) this.save(this.editor.text());
    };
    addEventListener('pagehide', saveNow);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') saveNow();
    });
  }

  act(action: string): void {
    const actions: Record<string, () => unknown> = {
      run: () => this.session.run(() => this.prepare()),
      stop: () => this.session.stop(),
      edit: () => this.openEditor().then((editor) => editor.focus()),
      // A saved edit shown when the page loads, or saved by another tab: opened, not focused.
      open: () => this.openEditor(),
      reset: () => this.reset(),
      'undo-reset': () => this.undoReset(),
      copy: () => this.copy(),
      pin: () => this.pin(),
      unpin: () => this.timeline.unpin(),
      compare: () => this.compare(),
      'compare-language': () => this.compareLanguage(),
      scrape: () => this.client('scrape'),
      cancel: () => this.client('cancel'),
    };
    void Promise.resolve(actions[action]?.()).catch((error: unknown) => this.fail(error));
  }

  // --- editing -----------------------------------------------------------------------------

  private openEditor(): Promise<CodeEditor> {
    this.editorLoading ??= import('./editor.ts').then(({ createEditor }) => {
      const parent = this.find('[data-editor]');
      const editor = createEditor({
        parent,
        doc: this.edits.load() ?? this.original,
        language: this.language,
        label: this.t(this.language === 'python' ? 'example.editorLabelPython' : 'example.editorLabel', { title: this.root.dataset.title ?? this.id }),
        onChange: (text) => this.edited(text),
        onRun: () => this.act('run'),
      });
      this.find('[data-static-code]').hidden = true;
      parent.hidden = false;
      this.button('edit').hidden = true;
      this.button('reset').hidden = false;
      this.editor = editor;
      return editor;
    });
    return this.editorLoading;
  }

  private edited(text: string): void {
    this.showEdited(text !== this.original);
    if (this.replacingQuietly) return;
    this.dirty = true;
    this.button('undo-reset').hidden = true;
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => this.save(text), SAVE_DELAY_MS);
  }

  private save(text: string): void {
    window.clearTimeout(this.saveTimer);
    const outcome = this.edits.save(text);
    if (outcome.ok) this.dirty = false;
    this.showSaveOutcome(outcome);
  }

  /** Another tab saved or reset this example: follow it, unless the reader is typing here. */
  private async followOtherTab(text: string | null): Promise<void> {
    if (this.dirty) return; // this tab's typing is saved next, and wins
    const shown = text ?? this.original;
    if (!this.editor && text === null) return this.showEdited(false);
    const editor = await this.openEditor();
    if (this.dirty || editor.text() === shown) return;
    this.replaceQuietly(editor, shown);
  }

  /** Replaces the editor's text without counting it as the reader's typing (nothing is saved for it). */
  private replaceQuietly(editor: CodeEditor, text: string): void {
    this.replacingQuietly = true;
    try {
      editor.replace(text);
    } finally {
      this.replacingQuietly = false;
    }
  }

  private async reset(): Promise<void> {
    const editor = await this.openEditor();
    const current = editor.text();
    if (current === this.original) return;
    this.textBeforeReset = current;
    this.replaceQuietly(editor, this.original); // saved below, as one removal
    window.clearTimeout(this.saveTimer);
    this.dirty = false;
    this.showSaveOutcome(this.edits.forget());
    this.showEdited(false);
    this.button('undo-reset').hidden = false;
    this.button('undo-reset').focus();
  }

  private async undoReset(): Promise<void> {
    if (this.textBeforeReset === undefined) return;
    const editor = await this.openEditor();
    editor.replace(this.textBeforeReset); // typed back, as far as saving goes: edited() saves it
    this.textBeforeReset = undefined;
    this.button('undo-reset').hidden = true;
    editor.focus();
  }

  /** The header's "edited" mark is the example's: it shows while either language is edited. */
  private showEdited(edited: boolean): void {
    this.root.toggleAttribute(`data-edited-${this.language}`, edited);
    const either = this.root.hasAttribute('data-edited-typescript') || this.root.hasAttribute('data-edited-python');
    required(this.root, '[data-edited]', `example ${this.id}`).hidden = !either;
  }

  private showSaveOutcome(outcome: SaveOutcome): void {
    const note = this.find('[data-save-error]');
    note.hidden = outcome.ok;
    note.textContent = outcome.ok ? '' : this.t('edits.saveFailed', { why: this.t(outcome.why === 'quota' ? 'edits.quota' : 'edits.unavailable') });
  }

  private currentSource(): string {
    return this.editor?.text() ?? this.edits.load() ?? this.original;
  }

  // --- running -----------------------------------------------------------------------------

  /** The reader's code as the files every runtime runs, or the syntax error that stops it. */
  private prepare(): Prepared {
    const { imageServer, kind, timeoutMs } = this.root.dataset;
    const source = this.currentSource();
    this.runEdited = source !== this.original; // what this run runs, whatever is typed meanwhile
    return runSpecFor({
      id: this.id,
      language: this.language,
      source,
      client: this.sources.client,
      imageServer: imageServer === 'true',
      kind: kind === 'server' ? 'server' : 'program',
      timeoutMs: Number(timeoutMs) || undefined,
    });
  }

  /** What the reader sees of each state of the run session. */
  private show(state: SessionState): void {
    switch (state.phase) {
      case 'idle':
        return;
      case 'invalid': {
        const { problem } = state;
        this.stopTicker();
        this.output.clear();
        this.output.append(`${this.t('output.syntax', { ...problem })}\n`, 'stderr');
        this.output.flush();
        this.timeline.replace([], 'run');
        this.find('[data-source-note]').textContent = '';
        this.setRunning(false);
        this.setStatus('status.syntax', { ...problem }, true);
        // Nothing ran, but an exercise must drop its last verdict and show this status.
        this.tell({ phase: 'started' });
        void this.openEditor().then((editor) => editor.markError(problem));
        return;
      }
      case 'starting':
        if (state.note) {
          // The same start, waiting for something slow (a WebContainer booting): the status says what.
          if (!isRecorded(state.runtime)) this.setStatus('status.startingNote', { runtime: this.label(state.runtime), note: state.note }, true);
          return;
        }
        this.editor?.markError(null);
        this.output.clear();
        this.showAction(undefined);
        this.showingRecording = isRecorded(state.runtime);
        this.transcript = [];
        this.tell({ phase: 'started' });
        this.showOrderNote(!this.showingRecording && state.runtime.eventLoopDiffers === true);
        if (this.showingRecording) {
          this.timeline.replace(this.recordedLines(), 'recorded');
          this.find('[data-source-note]').textContent = this.recordedNote;
        } else {
          this.timeline.start();
          this.find('[data-source-note]').textContent = this.t('example.live', { runtime: this.label(state.runtime) });
          this.setStatus('status.starting', { runtime: this.label(state.runtime) }, true);
        }
        this.setRunning(true);
        return;
      case 'running':
        if (isRecorded(state.runtime)) return;
        this.startTicker(state.runtime);
        if (state.spec.server) this.find('[data-clients]').hidden = false;
        return;
      case 'exited':
        this.ended();
        if (isRecorded(state.runtime)) {
          this.setStatus('status.fallback', { reason: state.runtime.reason }, true);
          this.showAction(state.runtime.action);
        } else this.setStatus('status.exited', { code: state.code, runtime: this.label(state.runtime), elapsed: seconds(state.elapsedMs) });
        this.tellEnd('exited', state.code, isRecorded(state.runtime), isRecorded(state.runtime) ? state.runtime.reason : this.label(state.runtime));
        return this.announceEnd();
      case 'stopped':
        this.ended();
        if (state.runtime) this.setStatus('status.stopped', { runtime: this.label(state.runtime), elapsed: seconds(state.elapsedMs) });
        else this.setStatus('status.stoppedEarly', {});
        this.tellEnd('stopped', null, false, state.runtime ? this.label(state.runtime) : '');
        return this.announceEnd();
      case 'failed':
        this.ended();
        this.setStatus('status.failed', { reason: state.reason }, true);
        this.tellEnd('failed', null, false, state.reason);
        return;
    }
  }

  /** Tells the page (an exercise around this example) how a run ended and what it printed. */
  private tellEnd(outcome: 'exited' | 'stopped' | 'failed', exitCode: number | null, recorded: boolean, runtime: string): void {
    this.tell({ phase: 'ended', language: this.language, outcome, exitCode, recorded, runtime, edited: this.runEdited && !recorded, lines: this.transcript });
  }

  private tell(detail: RunEventDetail): void {
    this.root.dispatchEvent(new CustomEvent<RunEventDetail>(RUN_EVENT, { detail, bubbles: true }));
  }

  /** The link next to the status line when the reader can do something about a missing runtime. */
  private showAction(action: UnavailableAction | undefined): void {
    const link = actionLink(action, location.href, this.id);
    const shown = this.pane.querySelector<HTMLAnchorElement>('[data-status-action]');
    if (!link) return shown?.remove();
    const anchor = shown ?? this.placeAction();
    anchor.href = link.href;
    anchor.textContent = this.t(link.label); // text: a runtime's words never become markup
    if (link.newTab) {
      anchor.target = '_blank';
      anchor.rel = 'noopener';
    } else {
      anchor.removeAttribute('target');
      anchor.removeAttribute('rel');
    }
  }

  /** The action link, from its template, in the template's place. */
  private placeAction(): HTMLAnchorElement {
    // One template for the example, outside the tabs (ExamplePane.astro says why); the link goes
    // where the status line's neighbours expect it, just before the output.
    const template = required<HTMLTemplateElement>(this.root, ':scope > template[data-status-action-template]', `example ${this.id}`);
    const anchor = required<HTMLAnchorElement>(template.content, '[data-status-action]', `example ${this.id}`).cloneNode(true) as HTMLAnchorElement;
    this.find('[data-output]').closest('figure')?.before(anchor);
    return anchor;
  }

  /** An example that teaches the event loop's order says when a live run's loop may order differently. */
  private showOrderNote(differs: boolean): void {
    const note = this.pane.querySelector<HTMLElement>('[data-order-note]');
    if (note) note.hidden = !differs;
  }

  private ended(): void {
    this.stopTicker();
    this.output.flush();
    if (!this.showingRecording) this.timeline.finish();
    this.showingRecording = false;
    this.setRunning(false);
    const clients = this.pane.querySelector<HTMLElement>('[data-clients]');
    if (clients) clients.hidden = true;
  }

  private startTicker(runtime: Runtime): void {
    this.stopTicker();
    const update = () => {
      const started = this.session.startedAt;
      const elapsed = started === undefined ? 0 : performance.now() - started;
      this.setStatus('status.running', { runtime: this.label(runtime), elapsed: seconds(elapsed) });
      this.timeline.tick();
    };
    update();
    this.announce(this.find('[data-status]').textContent ?? '');
    this.ticker = window.setInterval(update, 100);
  }

  private stopTicker(): void {
    window.clearInterval(this.ticker);
    this.ticker = 0;
  }

  /** The end of a run is told once, with what the timeline shows. */
  private announceEnd(): void {
    requestAnimationFrame(() => this.announce(`${this.find('[data-status]').textContent ?? ''} ${this.timeline.summary()}`.trim()));
  }

  private recordedLines(): string[] {
    return this.recordedText.split('\n');
  }

  /** The server example: a client process inside the same runtime sends the request. */
  private async client(command: 'scrape' | 'cancel'): Promise<void> {
    if (this.session.state.phase !== 'running') return; // the buttons show only while the server runs
    const user = (this.find<HTMLInputElement>('[data-user]').value.trim() || 'alice').replace(/[^\w-]/g, '');
    const pre = this.find('[data-client-output]');
    const append = (text: string) => {
      pre.append(text); // text node: a response is never interpreted as HTML
      pre.scrollTop = pre.scrollHeight;
    };
    const delay = String(Math.max(0, Math.round(Number(this.find<HTMLInputElement>('[data-delay]').value) || 0)));
    const args = command === 'scrape' ? [command, user, '3', delay] : [command, user];
    append(`$ node client.js ${args.join(' ')}\n`);
    await this.session.startClient('client.js', args, (text) => append(text));
  }

  // --- the timeline -------------------------------------------------------------------------

  private pin(): void {
    const source = this.t(this.timeline.source === 'run' ? 'timeline.yourRun' : 'timeline.recorded');
    if (this.timeline.pin(`${source} · ${this.root.dataset.title ?? this.id}`)) this.announce(this.t('timeline.pinnedNow'));
  }

  /**
   * Sets another example's run in this language (as its output shows it now) beside this one, on
   * the same scale.
   */
  private compare(): void {
    const id = this.button('compare').dataset.compareWith ?? '';
    const other = document.getElementById(`example-${id}`);
    if (!other) return;
    this.pinShown(paneShows(other, this.language), other.dataset.title ?? id);
  }

  /**
   * Sets this example's run in the other language (as its tab shows it now: its recording, or the
   * reader's last run there) beside this one, on the same scale: where CPython and Node differ.
   */
  private compareLanguage(): void {
    const language = this.button('compare-language').dataset.compareLanguage === 'python' ? 'python' : 'typescript';
    this.pinShown(paneShows(this.root, language), this.t(language === 'python' ? 'example.python' : 'example.typescript'));
  }

  private pinShown(shown: { lines: string[]; run: boolean } | null, title: string): void {
    if (!shown) return;
    const source = this.t(shown.run ? 'timeline.yourRun' : 'timeline.recorded');
    const pinned = this.timeline.pinOutput(`${source} · ${title}`, shown.lines);
    this.announce(this.t(pinned ? 'timeline.compared' : 'timeline.nothingToCompare', { title }));
  }

  private async copy(): Promise<void> {
    await navigator.clipboard.writeText(this.output.text());
    this.announce(this.t('example.copied'));
  }

  /** A reader's action failed outside a run (copying, a client of the server example). */
  private fail(error: unknown): void {
    this.setStatus('status.failed', { reason: errorMessage(error) }, true);
  }

  // --- the page ----------------------------------------------------------------------------

  private setRunning(running: boolean): void {
    this.button('stop').disabled = !running;
    this.root.toggleAttribute('data-running', running);
  }

  /** The status line; `announce` also tells screen readers (not every tenth of a second). */
  private setStatus(key: UiKey, values: Values, announce = false): void {
    const text = this.t(key, values);
    this.find('[data-status]').textContent = text;
    if (announce) this.announce(text);
  }

  private announce(text: string): void {
    required(this.root, '[data-announce]', `example ${this.id}`).textContent = text;
  }

  /** The runtime's name for a run in this pane's language. */
  private label(runtime: Runtime): string {
    return runtimeLabel(runtime, this.language);
  }

  private t(key: UiKey, values?: Values): string {
    return t(this.locale, key, values);
  }

  private button(action: string): HTMLButtonElement {
    return this.find<HTMLButtonElement>(`[data-action="${action}"]`);
  }

  /** An element of this language's pane. */
  private find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return required<T>(this.pane, selector, `example ${this.id} (${this.language})`);
  }
}

/**
 * What an example's pane in `language` shows now: its output's lines, and whether they are a run
 * on this page (else the recording). A pane whose tab was never shown is still its template, whose
 * output is the recording.
 */
function paneShows(example: HTMLElement, language: ProgramLanguage): { lines: string[]; run: boolean } | null {
  const pane = example.querySelector<HTMLElement>(`[data-pane="${language}"]`);
  if (!pane) return null;
  const output =
    pane.querySelector('[data-output]') ??
    example.querySelector<HTMLTemplateElement>(`:scope > template[data-pane-parts="${language}"]`)?.content.querySelector('[data-output]');
  if (!output) return null;
  const run = pane.querySelector<HTMLElement>('[data-timeline]')?.dataset.timelineOrigin === 'run';
  return { lines: (output.textContent ?? '').split('\n'), run };
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}
