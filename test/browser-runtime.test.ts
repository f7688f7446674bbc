/**
 * The page side of the in-page runtime (src/runtime/browser/runtime.ts) with workers that a test
 * drives: the limits every live runtime keeps, Stop, what a worker that dies says, and the
 * sentences it adds, in the page's language. (The workers themselves run in e2e/page-runtime.spec.ts.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBrowserRuntime } from '../src/runtime/browser/runtime.ts';
import type { ProgramEvent, StartProgram } from '../src/runtime/browser/protocol.ts';
import { wordsFor } from '../src/runtime/messages.ts';
import type { OutputStream } from '../src/runtime/types.ts';

/** A worker whose program the test plays: it sees the start message and sends what the test says. */
class ScriptedWorker {
  onmessage: ((event: MessageEvent<ProgramEvent>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  started: StartProgram | undefined;
  terminated = false;
  private readonly script: (worker: ScriptedWorker) => void;
  constructor(script: (worker: ScriptedWorker) => void) {
    this.script = script;
  }
  postMessage(message: StartProgram): void {
    this.started = message;
    queueMicrotask(() => this.script(this));
  }
  send(event: ProgramEvent): void {
    if (!this.terminated) this.onmessage?.({ data: event } as MessageEvent<ProgramEvent>);
  }
  terminate(): void {
    this.terminated = true;
  }
}

function runtimeWith(script: (worker: ScriptedWorker) => void, options: { locale?: 'en' | 'ru'; timeoutMs?: number; outputLimitBytes?: number } = {}) {
  const workers: ScriptedWorker[] = [];
  const runtime = createBrowserRuntime({
    words: wordsFor(options.locale ?? 'en'),
    createWorker: () => {
      const worker = new ScriptedWorker(script);
      workers.push(worker);
      return worker as unknown as Worker;
    },
    imageServerSource: async () => '',
    programTimeoutMs: options.timeoutMs,
    outputLimitBytes: options.outputLimitBytes,
  });
  return { runtime, workers };
}

const spec = { exampleId: '07-execution-order', files: { 'main.js': 'console.log(1)' }, entry: 'main.js', imageServer: false };

async function exitOf(run: Promise<{ exit: Promise<number> }>): Promise<number> {
  return (await run).exit;
}

describe('the in-page runtime (page side)', () => {
  it('passes output on and reports the exit code; the worker is ended after', async () => {
    const { runtime, workers } = runtimeWith((w) => {
      w.send({ type: 'output', stream: 'stdout', text: 'hello\n' });
      w.send({ type: 'exit', code: 3 });
    });
    const output: Array<[string, OutputStream]> = [];
    const code = await exitOf(runtime.run(spec, (text, stream) => output.push([text, stream])));
    assert.equal(code, 3);
    assert.deepEqual(output, [['hello\n', 'stdout']]);
    assert.equal(workers[0]!.terminated, true);
    assert.equal(workers[0]!.started?.entry, 'main.js');
    assert.equal(runtime.label, 'this page’s JavaScript (Web Worker)');
  });

  it('stops a program that runs past its time limit, and says so', async () => {
    const { runtime, workers } = runtimeWith(() => {}, { timeoutMs: 50 });
    const output: string[] = [];
    const program = await runtime.run(spec, (text) => output.push(text));
    assert.equal(await program.exit, 137);
    assert.equal(workers[0]!.terminated, true);
    assert.match(output.join(''), /^The program ran for more than 0\.1 s, the limit of this page’s JavaScript \(Web Worker\), so it was stopped\.\n$/);
  });

  it('cuts the output at its limit and stops the program', async () => {
    const { runtime, workers } = runtimeWith((w) => {
      w.send({ type: 'output', stream: 'stdout', text: 'x'.repeat(60) });
      w.send({ type: 'output', stream: 'stdout', text: 'y'.repeat(60) });
      w.send({ type: 'output', stream: 'stdout', text: 'never' });
    }, { outputLimitBytes: 100 });
    const output: Array<[string, OutputStream]> = [];
    const program = await runtime.run(spec, (text, stream) => output.push([text, stream]));
    assert.equal(await program.exit, 137);
    const printed = output.filter(([, s]) => s !== 'system').map(([t]) => t).join('');
    assert.equal(printed, `${'x'.repeat(60)}${'y'.repeat(40)}`);
    assert.ok(output.some(([text, s]) => s === 'system' && /100 bytes/.test(text)));
    assert.equal(workers[0]!.terminated, true);
  });

  it('names a missing module in the page’s language, and hands the worker the sentence for its own use', async () => {
    const { runtime, workers } = runtimeWith((w) => {
      w.send({ type: 'missing', name: 'node:fs/promises' });
      w.send({ type: 'exit', code: 1 });
    }, { locale: 'ru' });
    const output: string[] = [];
    const program = await runtime.run(spec, (text) => output.push(text));
    assert.equal(await program.exit, 1);
    assert.match(output.join(''), /^node:fs\/promises нет в среде выполнения этой страницы/);
    assert.match(workers[0]!.started!.words.missing, /^\{name\} нет в среде выполнения этой страницы/);
  });

  it('Stop ends the worker at once; a worker that dies says so', async () => {
    const { runtime, workers } = runtimeWith(() => {});
    const program = await runtime.run(spec, () => {});
    await program.stop();
    assert.equal(await program.exit, 137);
    assert.equal(workers[0]!.terminated, true);

    const dying = runtimeWith((w) => w.onerror?.({ message: 'out of memory', preventDefault() {} } as ErrorEvent));
    const said: string[] = [];
    const crashed = await dying.runtime.run(spec, (text) => said.push(text));
    assert.equal(await crashed.exit, 1);
    assert.match(said.join(''), /ended unexpectedly \(out of memory\)/);
  });
});
