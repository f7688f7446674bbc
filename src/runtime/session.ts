/**
 * The run session of one example: what happens between a reader's Run and the status line that
 * says how it ended. Framework-free, so that node:test drives it with fake runtimes.
 *
 *   idle ──Run──▶ (prepare: the reader's code, compiled) ──syntax error──▶ invalid
 *                        │
 *                        ▼ choose a runtime (none live: the recorded runtime, with the reason)
 *                    starting ──runtime refuses (RuntimeUnavailable)──▶ starting (the fallback: in-page, then recorded)
 *                        │
 *                        ▼
 *                     running ──exit──▶ exited        ──Stop──▶ stopped
 *                        └─────lost (exit rejected)──▶ failed
 *
 * One run at a time: Run while a run is starting or running ends that run first (its program is
 * stopped, or never started), and only the newest run reports. Stop during the start abandons it
 * (the runtime sees its AbortSignal; a program it still hands back is stopped at once). Output of a
 * run that has ended, or been superseded, never reaches the page.
 */
import { errorMessage } from '../lib/errors.ts';
import type { SyntaxProblem } from './compile.ts';
import { RunAborted, RuntimeUnavailable, type OutputSink, type OutputStream, type RunningProgram, type Runtime, type RunSpec } from './types.ts';

/** How many times one run may move on to another runtime (WebContainer → this page → the recording). */
const MAX_FALLBACKS = 2;

export type Prepared = { ok: true; spec: RunSpec } | { ok: false; problem: SyntaxProblem };

export type SessionState =
  | { phase: 'idle' }
  | { phase: 'invalid'; problem: SyntaxProblem }
  /** `note`: what the start is waiting for, when the runtime says (e.g. "starting the sandbox…"). */
  | { phase: 'starting'; runtime: Runtime; spec: RunSpec; note?: string }
  | { phase: 'running'; runtime: Runtime; spec: RunSpec }
  | { phase: 'exited'; runtime: Runtime; code: number; elapsedMs: number }
  | { phase: 'stopped'; runtime: Runtime | null; elapsedMs: number }
  | { phase: 'failed'; runtime: Runtime | null; reason: string; elapsedMs: number };

export type Phase = SessionState['phase'];

export interface RunSessionOptions {
  /** The runtime for a run; rejects with RuntimeUnavailable when no live one can be had. */
  choose(): Promise<Runtime>;
  /**
   * What runs instead when a runtime is unavailable: another live runtime (the in-page one, when a
   * WebContainer cannot start), or the recorded runtime, carrying this reason.
   */
  fallback(reason: RuntimeUnavailable): Runtime;
  onState(state: SessionState): void;
  /** Output of the current run only. */
  onOutput(text: string, stream: OutputStream): void;
  /** Milliseconds on a monotonic clock (tests pass their own). */
  now?: () => number;
}

interface Attempt {
  readonly abort: AbortController;
  runtime: Runtime | null;
  program: RunningProgram | undefined;
  startedAt: number;
  /** Stop was asked for (by the reader, or by a newer run). */
  stopping: boolean;
  /** Its end has been reported, or it was superseded: its output is dropped from now on. */
  over: boolean;
}

export class RunSession {
  private readonly options: RunSessionOptions;
  private readonly now: () => number;
  private current: Attempt | undefined;
  private latest: SessionState = { phase: 'idle' };

  constructor(options: RunSessionOptions) {
    this.options = options;
    this.now = options.now ?? (() => performance.now());
  }

  get state(): SessionState {
    return this.latest;
  }

  /** When the current run's program started, on the session's clock (for the status line's seconds). */
  get startedAt(): number | undefined {
    return this.current?.program ? this.current.startedAt : undefined;
  }

  /**
   * Runs what `prepare` gives, after ending any run still going. Resolves when this run has ended
   * or has been superseded; a failure is reported as the `failed` state, never thrown.
   */
  async run(prepare: () => Prepared): Promise<void> {
    const previous = this.current;
    const attempt: Attempt = { abort: new AbortController(), runtime: null, program: undefined, startedAt: this.now(), stopping: false, over: false };
    this.current = attempt;
    if (previous) await this.end(previous);
    if (this.current !== attempt) return; // a newer Run or a Stop came while the previous one ended

    let prepared: Prepared;
    try {
      prepared = prepare();
    } catch (error) {
      return this.finish(attempt, { phase: 'failed', runtime: null, reason: errorMessage(error), elapsedMs: 0 });
    }
    if (!prepared.ok) return this.finish(attempt, { phase: 'invalid', problem: prepared.problem });

    let runtime: Runtime;
    try {
      runtime = await this.options.choose();
    } catch (error) {
      if (!(error instanceof RuntimeUnavailable)) {
        return this.finishIfCurrent(attempt, { phase: 'failed', runtime: null, reason: errorMessage(error), elapsedMs: 0 });
      }
      runtime = this.options.fallback(error);
    }
    if (this.current !== attempt) return;
    await this.launch(attempt, runtime, prepared.spec, MAX_FALLBACKS);
  }

  /** Ends the current run, if any: stops its program, or abandons its start. */
  async stop(): Promise<void> {
    const attempt = this.current;
    if (!attempt) return;
    await this.end(attempt);
    this.finishIfCurrent(attempt, { phase: 'stopped', runtime: attempt.runtime, elapsedMs: this.elapsed(attempt) });
  }

  /** For a running server example: a client program of the same example, with its own output. */
  async startClient(entry: string, args: string[], onOutput: OutputSink): Promise<RunningProgram> {
    const program = this.current?.program;
    if (!program?.startClient) throw new Error('No server is running.');
    return program.startClient(entry, args, onOutput);
  }

  private async launch(attempt: Attempt, runtime: Runtime, spec: RunSpec, fallbacks: number): Promise<void> {
    attempt.runtime = runtime;
    this.set({ phase: 'starting', runtime, spec });
    const sink: OutputSink = (text, stream) => {
      if (!attempt.over && this.current === attempt) this.options.onOutput(text, stream);
    };
    // Only while this very start is still the current one: a note never follows a later state.
    const onProgress = (note: string) => {
      const latest = this.latest;
      const starting = latest.phase === 'starting' && latest.runtime === runtime;
      if (!attempt.over && this.current === attempt && starting) this.set({ phase: 'starting', runtime, spec, note });
    };
    let program: RunningProgram;
    try {
      program = await runtime.run(spec, sink, { signal: attempt.abort.signal, onProgress });
    } catch (error) {
      if (this.current !== attempt || error instanceof RunAborted) return; // whoever took over reports
      if (error instanceof RuntimeUnavailable && fallbacks > 0) return this.launch(attempt, this.options.fallback(error), spec, fallbacks - 1);
      return this.finish(attempt, { phase: 'failed', runtime, reason: errorMessage(error), elapsedMs: this.elapsed(attempt) });
    }
    if (this.current !== attempt) {
      await program.stop(); // Stop or a newer Run came while this one was starting
      return;
    }
    attempt.program = program;
    attempt.startedAt = this.now();
    this.set({ phase: 'running', runtime, spec });

    let ended: SessionState;
    try {
      const code = await program.exit;
      ended = attempt.stopping
        ? { phase: 'stopped', runtime, elapsedMs: this.elapsed(attempt) }
        : { phase: 'exited', runtime, code, elapsedMs: this.elapsed(attempt) };
    } catch (error) {
      ended = attempt.stopping
        ? { phase: 'stopped', runtime, elapsedMs: this.elapsed(attempt) }
        : { phase: 'failed', runtime, reason: errorMessage(error), elapsedMs: this.elapsed(attempt) };
    }
    this.finishIfCurrent(attempt, ended);
  }

  /** Asks a run to end and waits until its program (if it has one yet) is gone. */
  private async end(attempt: Attempt): Promise<void> {
    attempt.stopping = true;
    attempt.abort.abort();
    await attempt.program?.stop().catch(() => {}); // stop() never hangs; a failing one leaves nothing to wait for
  }

  private finishIfCurrent(attempt: Attempt, state: SessionState): void {
    if (this.current === attempt) this.finish(attempt, state);
    else attempt.over = true;
  }

  private finish(attempt: Attempt, state: SessionState): void {
    attempt.over = true;
    if (this.current === attempt) this.current = undefined;
    this.set(state);
  }

  private set(state: SessionState): void {
    this.latest = state;
    this.options.onState(state);
  }

  private elapsed(attempt: Attempt): number {
    return attempt.program ? Math.max(0, this.now() - attempt.startedAt) : 0;
  }
}
