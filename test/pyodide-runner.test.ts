/**
 * src/runtime/browser/python/runner.ts, the page side of the in-page Python, with a worker that
 * stands in for Pyodide's loading (the real one runs in e2e/pyodide.spec.ts): what happens before
 * and while Pyodide loads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { wordsFor } from '../src/runtime/messages.ts';
import { createPythonRunner } from '../src/runtime/browser/python/runner.ts';
import { RunAborted, RuntimeUnavailable, type RunSpec } from '../src/runtime/types.ts';

/** A worker that takes the load command and never answers, as on a stalled line. */
class SilentWorker {
  static made: SilentWorker[] = [];
  terminated = false;
  onmessage: ((event: MessageEvent) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor() {
    SilentWorker.made.push(this);
  }
  postMessage(): void {}
  terminate(): void {
    this.terminated = true;
  }
}

const spec = (source: string): RunSpec => ({ exampleId: '07-execution-order', language: 'python', files: { 'main.py': source }, entry: 'main.py', imageServer: false });
const runner = () =>
  createPythonRunner({ words: wordsFor('en'), createWorker: () => new SilentWorker() as unknown as Worker, indexURL: 'http://127.0.0.1/pyodide/', outputLimitBytes: 1024 });

describe('the in-page Python runner', () => {
  it('refuses a program that needs sockets before any worker starts', async () => {
    SilentWorker.made = [];
    await assert.rejects(runner().run(spec('import aiohttp\n'), () => {}, 10_000), (error: unknown) => error instanceof RuntimeUnavailable && /needs the network \(aiohttp\)/.test(error.message));
    assert.equal(SilentWorker.made.length, 0);
  });

  it('Stop while Pyodide loads abandons the run at once and ends the worker', async () => {
    SilentWorker.made = [];
    const controller = new AbortController();
    const notes: string[] = [];
    const started = runner().run(spec('print(1)\n'), () => {}, 10_000, { signal: controller.signal, onProgress: (note) => notes.push(note) });
    assert.match(notes[0] ?? '', /loading Python \(Pyodide/);
    const before = performance.now();
    controller.abort();
    await assert.rejects(started, RunAborted);
    assert.ok(performance.now() - before < 1000, 'not left waiting for the load timeout');
    assert.equal(SilentWorker.made[0]?.terminated, true);
  });
});
