/**
 * The in-page runtime's Python: Pyodide in a module worker per run (./worker.ts), loaded from the
 * book's own origin on the first Python run (the status line says so while it loads), with a spare
 * worker loading meanwhile for the next run. The same limits as the other live runtimes: the
 * example's time limit (from when the program starts, not while Pyodide loads), 64 MB of output.
 * Stop ends the worker, whatever the program is doing.
 *
 * A program that needs what a page lacks (./needs.ts) is refused before anything loads, with a
 * reason that says what runs it: the session then shows the recorded CPython run.
 */
import { deferred } from '../../../lib/async.ts';
import type { Words } from '../../messages.ts';
import { RunAborted, RuntimeUnavailable, type OutputSink, type RunningProgram, type RunOptions, type RunSpec } from '../../types.ts';
import type { PythonCommand, PythonEvent } from '../protocol.ts';
import { outputCap } from '../output-cap.ts';
import { pyodideLabel } from './files.ts';
import { pythonNeed } from './needs.ts';

const KILLED = 137;

export interface PythonRunnerOptions {
  words: Words;
  createWorker: () => Worker;
  /** The absolute URL of the folder with Pyodide's files, ending in `/`. */
  indexURL: string;
  outputLimitBytes: number;
  /** How long loading Pyodide may take before the run is given up (default 120 s: 5.4 MB to download on a slow line). */
  loadTimeoutMs?: number;
}

export interface PythonRunner {
  readonly label: string;
  run(spec: RunSpec, onOutput: OutputSink, timeoutMs: number, options?: RunOptions): Promise<RunningProgram>;
}

/** A worker told to load Pyodide, and what it said about it. */
interface Loading {
  worker: Worker;
  /** Resolves when Pyodide is loaded; rejects with the reason it could not be. */
  ready: Promise<void>;
  loaded: boolean;
  /** The worker's messages after it is ready, for the run that takes it. */
  listen(handler: (event: PythonEvent) => void): void;
}

export function createPythonRunner(options: PythonRunnerOptions): PythonRunner {
  const { words } = options;
  const label = pyodideLabel(words);
  const loadTimeoutMs = options.loadTimeoutMs ?? 120_000;
  let spare: Loading | undefined;

  function startLoading(): Loading {
    const worker = options.createWorker();
    const ready = deferred<void>();
    let handler: ((event: PythonEvent) => void) | undefined;
    const loading: Loading = {
      worker,
      ready: ready.promise,
      loaded: false,
      listen: (next) => void (handler = next),
    };
    ready.promise.catch(() => {}); // a spare's failure is reported by the run that takes it
    worker.onmessage = (event: MessageEvent<PythonEvent>) => {
      const message = event.data;
      if (message.type === 'ready') {
        loading.loaded = true;
        ready.resolve();
      } else if (message.type === 'load-failed') {
        ready.reject(new RuntimeUnavailable(words.say('runtime.browser.pythonLoadFailed', { detail: message.detail }), 'browser'));
      } else {
        handler?.(message);
      }
    };
    worker.onerror = (event) => {
      event.preventDefault();
      // An error the worker could not report itself: its script failed to load, or it ran out of memory.
      if (!loading.loaded) {
        ready.reject(new RuntimeUnavailable(words.say('runtime.browser.pythonLoadFailed', { detail: event.message || '—' }), 'browser'));
        return;
      }
      handler?.({ type: 'output', stream: 'stderr', text: `${words.say('runtime.browser.crashed', { detail: event.message || 'no details' })}\n` });
      handler?.({ type: 'exit', code: 1 });
    };
    worker.postMessage({ type: 'load', indexURL: options.indexURL } satisfies PythonCommand);
    return loading;
  }

  async function run(spec: RunSpec, onOutput: OutputSink, timeoutMs: number, runOptions: RunOptions = {}): Promise<RunningProgram> {
    const { signal } = runOptions;
    const source = spec.files[spec.entry] ?? '';
    const need = pythonNeed(source);
    if (need) throw new RuntimeUnavailable(words.say(`runtime.browser.pythonNeeds.${need.kind}`, { name: need.name }), 'browser');
    if (signal?.aborted) throw new RunAborted();

    const loading = spare ?? startLoading();
    spare = undefined;
    if (!loading.loaded) runOptions.onProgress?.(words.say('runtime.browser.pythonLoading'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Stop while Pyodide loads: the worker goes, and the run is abandoned at once (its `ready` would never settle).
    const abandoned = deferred<never>();
    abandoned.promise.catch(() => {});
    const abandon = () => {
      loading.worker.terminate();
      abandoned.reject(new RunAborted());
    };
    signal?.addEventListener('abort', abandon, { once: true });
    try {
      await Promise.race([
        loading.ready,
        abandoned.promise,
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new RuntimeUnavailable(words.say('runtime.browser.pythonLoadFailed', { detail: words.say('runtime.browser.pythonSlow', { seconds: Math.round(loadTimeoutMs / 1000) }) }), 'browser')),
            loadTimeoutMs,
          );
        }),
      ]);
    } catch (error) {
      loading.worker.terminate();
      throw signal?.aborted ? new RunAborted() : error;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', abandon);
    }
    if (signal?.aborted) {
      loading.worker.terminate();
      throw new RunAborted();
    }
    // The next run's worker loads while this one runs (from the browser's cache, this time).
    spare = startLoading();

    const exited = deferred<number>();
    let done = false;
    const cap = outputCap(options.outputLimitBytes);
    const finish = (code: number, message?: string) => {
      if (done) return;
      done = true;
      clearTimeout(limit);
      loading.worker.terminate();
      if (message) onOutput(`${message}\n`, 'system');
      exited.resolve(code);
    };
    const limit = setTimeout(() => finish(KILLED, words.say('runtime.limit.time', { limit: words.duration(timeoutMs), runtime: label })), timeoutMs);
    loading.listen((event) => {
      if (done) return;
      if (event.type === 'output') {
        const { part, over } = cap(event.text);
        if (part) onOutput(part, event.stream);
        if (over) finish(KILLED, words.say('runtime.limit.output', { limit: words.bytes(options.outputLimitBytes), runtime: label }));
      } else if (event.type === 'exit') {
        finish(event.code);
      }
    });
    const command: PythonCommand = { type: 'run', files: spec.files, entry: spec.entry, args: spec.args ?? [], env: spec.env ?? {} };
    loading.worker.postMessage(command);
    return { exit: exited.promise, stop: async () => finish(KILLED) };
  }

  return { label, run };
}
