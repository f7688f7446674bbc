/**
 * What happens when a reader uses an example: editing, running, stopping, resetting, and for the
 * server example sending it requests. It talks to runtimes only through src/runtime/types.ts.
 */
import { localeOf, t, type UiKey } from '~/i18n/ui';
import { RuntimeUnavailable, type RunningProgram, type Runtime, type RunSpec } from '~/runtime/types';
import { stripTypes } from '~/runtime/strip-types';
import { compile } from './compile.ts';
import { forgetEdit, loadEdit, saveEdit } from './edits.ts';
import { OutputView } from './output-view.ts';
import { TimelinePanel } from '~/timeline/panel';
import { required } from '~/dom';
import { chooseRuntime } from './runtime-choice.ts';
import type { CodeEditor } from './editor.ts';

interface Sources {
  typescript: string;
  client: string | null;
}

type Values = Record<string, string | number>;

export class Controller {
  private readonly root: HTMLElement;
  private readonly id: string;
  private readonly locale = localeOf(document.documentElement.lang);
  private readonly sources: Sources;
  private readonly output: OutputView;
  private readonly timeline: TimelinePanel;
  private readonly recordedText: string;
  private readonly recordedNote: string;
  private editor: CodeEditor | undefined;
  private editorLoading: Promise<CodeEditor> | undefined;
  private program: RunningProgram | undefined;
  private runtime: Runtime | undefined;
  private runStarted = 0;
  private ticker = 0;
  private textBeforeReset: string | undefined;
  private saveTimer = 0;
  /** Counts Run and Stop clicks, so that a run still starting when a newer click came is abandoned. */
  private generation = 0;

  constructor(root: HTMLElement) {
    this.root = root;
    this.id = root.dataset.exampleId ?? '';
    this.sources = JSON.parse(this.find('[data-sources]').textContent ?? '{}') as Sources;
    const pre = this.find('[data-output]');
    this.recordedText = pre.textContent ?? '';
    this.recordedNote = this.find('[data-source-note]').textContent ?? '';
    this.timeline = new TimelinePanel(this.find('[data-timeline]'), this.locale, this.recordedText.split('\n'));
    this.output = new OutputView(pre, this.find('[data-dropped]'), {
      dropped: (count) => this.t('output.dropped', { count: count.toLocaleString(this.locale) }),
      cut: (count) => this.t('output.cut', { count: count.toLocaleString(this.locale) }),
      line: (text) => this.timeline.line(text),
    });
    this.showEdited(loadEdit(this.id) !== null);
    // Typing is saved a moment after it stops; leaving the page saves whatever is still pending.
    addEventListener('pagehide', () => {
      if (this.editor) saveEdit(this.id, this.editor.text(), this.sources.typescript);
    });
  }

  act(action: string): void {
    const actions: Record<string, () => unknown> = {
      run: () => this.run(),
      stop: () => this.stop(),
      edit: () => this.openEditor().then((editor) => editor.focus()),
      reset: () => this.reset(),
      'undo-reset': () => this.undoReset(),
      copy: () => this.copy(),
      pin: () => this.pin(),
      unpin: () => this.timeline.unpin(),
      compare: () => this.compare(),
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
        doc: loadEdit(this.id) ?? this.sources.typescript,
        label: this.t('example.editorLabel', { title: this.find('.book-example__title').textContent?.trim() ?? this.id }),
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
    this.showEdited(text !== this.sources.typescript);
    this.button('undo-reset').hidden = true;
    window.clearTimeout(this.saveTimer);
    this.saveTimer = window.setTimeout(() => saveEdit(this.id, text, this.sources.typescript), 250);
  }

  private async reset(): Promise<void> {
    const editor = await this.openEditor();
    const current = editor.text();
    if (current === this.sources.typescript) return;
    this.textBeforeReset = current;
    editor.replace(this.sources.typescript);
    window.clearTimeout(this.saveTimer);
    forgetEdit(this.id);
    this.showEdited(false);
    this.button('undo-reset').hidden = false;
    this.button('undo-reset').focus();
  }

  private async undoReset(): Promise<void> {
    if (this.textBeforeReset === undefined) return;
    const editor = await this.openEditor();
    editor.replace(this.textBeforeReset);
    this.textBeforeReset = undefined;
    this.button('undo-reset').hidden = true;
    editor.focus();
  }

  private showEdited(edited: boolean): void {
    this.find('[data-edited]').hidden = !edited;
  }

  private currentSource(): string {
    return this.editor?.text() ?? loadEdit(this.id) ?? this.sources.typescript;
  }

  // --- running -----------------------------------------------------------------------------

  private async run(): Promise<void> {
    const generation = ++this.generation;
    if (this.program) await this.halt();
    const compiled = compile(this.currentSource(), 'main.ts');
    if (!compiled.ok) {
      const { problem } = compiled;
      this.output.clear();
      this.output.append(`${this.t('output.syntax', { ...problem })}\n`, 'stderr');
      this.output.flush();
      this.timeline.replace([], 'run');
      this.find('[data-source-note]').textContent = '';
      this.setStatus('status.syntax', { ...problem }, true);
      (await this.openEditor()).markError(problem);
      return;
    }
    this.editor?.markError(null);

    const choice = await chooseRuntime();
    if (!choice.runtime) return this.showRecorded(this.t(choice.reason));
    const runtime = choice.runtime;
    this.runtime = runtime;

    const files: Record<string, string> = { 'main.js': compiled.code };
    if (this.sources.client) files['client.js'] = stripTypes(this.sources.client, 'client.ts');
    const spec: RunSpec = {
      exampleId: this.id,
      files,
      entry: 'main.js',
      imageServer: this.root.dataset.imageServer === 'true',
      server: this.root.dataset.kind === 'server',
    };

    this.output.clear();
    this.timeline.start();
    this.find('[data-source-note]').textContent = this.t('example.live', { runtime: runtime.label });
    this.setRunning(true);
    this.setStatus('status.starting', { runtime: runtime.label }, true);
    let program: RunningProgram;
    try {
      program = await runtime.run(spec, (text, stream) => this.output.append(text, stream));
    } catch (error) {
      this.setRunning(false);
      this.timeline.finish();
      if (error instanceof RuntimeUnavailable) {
        return this.showRecorded(this.t('reason.webcontainer', { detail: error.message }));
      }
      throw error;
    }
    if (generation !== this.generation) {
      await program.stop(); // Run or Stop was clicked again while this one was starting
      return;
    }
    this.program = program;
    this.runStarted = performance.now();
    this.ticker = window.setInterval(() => {
      this.setStatus('status.running', { runtime: runtime.label, elapsed: this.elapsed() });
      this.timeline.tick();
    }, 100);
    this.setStatus('status.running', { runtime: runtime.label, elapsed: this.elapsed() }, true);
    if (spec.server) this.find('[data-clients]').hidden = false;

    const code = await program.exit;
    if (this.program !== program) return; // a newer run or a stop has already taken over
    this.finish('status.exited', { code, runtime: runtime.label });
  }

  private async stop(): Promise<void> {
    this.generation += 1;
    if (this.program) await this.halt();
    else this.setRunning(false);
  }

  private async halt(): Promise<void> {
    const program = this.program;
    if (!program) return;
    this.program = undefined;
    await program.stop();
    this.finish('status.stopped', { runtime: this.runtime?.label ?? '' });
  }

  private finish(key: UiKey, values: Values): void {
    window.clearInterval(this.ticker);
    this.output.flush();
    this.timeline.finish();
    this.program = undefined;
    this.setRunning(false);
    this.setStatus(key, { ...values, elapsed: this.elapsed() });
    // The end of a run is told once, with what the timeline shows.
    requestAnimationFrame(() => this.announce(`${this.find('[data-status]').textContent ?? ''} ${this.timeline.summary()}`.trim()));
    const clients = this.root.querySelector<HTMLElement>('[data-clients]');
    if (clients) clients.hidden = true;
  }

  private showRecorded(reason: string): void {
    this.output.clear();
    this.output.append(this.recordedText, 'stdout');
    this.output.flush();
    this.timeline.replace(this.recordedText.split('\n'), 'recorded');
    this.find('[data-source-note]').textContent = this.recordedNote;
    this.setStatus('status.fallback', { reason }, true);
  }

  /** The server example: a client process inside the same runtime sends the request. */
  private async client(command: 'scrape' | 'cancel'): Promise<void> {
    const program = this.program;
    if (!program?.startClient) return;
    const user = (this.find<HTMLInputElement>('[data-user]').value.trim() || 'alice').replace(/[^\w-]/g, '');
    const pre = this.find('[data-client-output]');
    const append = (text: string) => {
      pre.append(text); // text node: a response is never interpreted as HTML
      pre.scrollTop = pre.scrollHeight;
    };
    const delay = String(Math.max(0, Math.round(Number(this.find<HTMLInputElement>('[data-delay]').value) || 0)));
    const args = command === 'scrape' ? [command, user, '3', delay] : [command, user];
    append(`$ node client.js ${args.join(' ')}\n`);
    await program.startClient('client.js', args, (text) => append(text));
  }

  // --- the timeline -------------------------------------------------------------------------

  private pin(): void {
    const source = this.t(this.timeline.source === 'run' ? 'timeline.yourRun' : 'timeline.recorded');
    if (this.timeline.pin(`${source} · ${this.root.dataset.title ?? this.id}`)) this.announce(this.t('timeline.pinnedNow'));
  }

  /** Sets another example's run (as its output shows it now) beside this one, on the same scale. */
  private compare(): void {
    const id = this.button('compare').dataset.compareWith ?? '';
    const other = document.getElementById(`example-${id}`);
    const output = other?.querySelector('[data-output]');
    if (!other || !output) return;
    const title = other.dataset.title ?? id;
    const origin = other.querySelector<HTMLElement>('[data-timeline]')?.dataset.timelineOrigin;
    const source = this.t(origin === 'run' ? 'timeline.yourRun' : 'timeline.recorded');
    const pinned = this.timeline.pinOutput(`${source} · ${title}`, (output.textContent ?? '').split('\n'));
    this.announce(this.t(pinned ? 'timeline.compared' : 'timeline.nothingToCompare', { title }));
  }

  private async copy(): Promise<void> {
    await navigator.clipboard.writeText(this.output.text());
    this.announce(this.t('example.copied'));
  }

  private fail(error: unknown): void {
    window.clearInterval(this.ticker);
    this.timeline.finish();
    this.program = undefined;
    this.setRunning(false);
    this.setStatus('status.failed', { reason: error instanceof Error ? error.message : String(error) }, true);
  }

  // --- the page ----------------------------------------------------------------------------

  private setRunning(running: boolean): void {
    this.button('stop').disabled = !running;
    this.root.toggleAttribute('data-running', running);
  }

  private elapsed(): string {
    return ((performance.now() - this.runStarted) / 1000).toFixed(1);
  }

  /** The status line; `announce` also tells screen readers (not every tenth of a second). */
  private setStatus(key: UiKey, values: Values, announce = false): void {
    const text = this.t(key, values);
    this.find('[data-status]').textContent = text;
    if (announce) this.announce(text);
  }

  private announce(text: string): void {
    this.find('[data-announce]').textContent = text;
  }

  private t(key: UiKey, values?: Values): string {
    return t(this.locale, key, values);
  }

  private button(action: string): HTMLButtonElement {
    return this.find<HTMLButtonElement>(`[data-action="${action}"]`);
  }

  private find<T extends HTMLElement = HTMLElement>(selector: string): T {
    return required<T>(this.root, selector, `example ${this.id}`);
  }
}
