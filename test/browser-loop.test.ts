/**
 * The in-page runtime's event loop (src/runtime/browser/worker/loop.ts) against real Node: the same
 * scenarios, run once with Node's own timers and once with the layer's, must print the same order.
 * That order is what example 07 teaches and what its recording shows.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { channelHost, EventLoop } from '../src/runtime/browser/worker/loop.ts';

interface Api {
  setTimeout(fn: () => void, ms: number): unknown;
  setImmediate(fn: () => void): unknown;
  clearTimeout(handle: unknown): void;
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
  nextTick(fn: () => void): void;
}

/** A host on Node's own tasks, as the worker's is on the browser's. */
const nodeHost = () => channelHost(setTimeout, clearTimeout);

/** Runs `scenario` on the layer's loop until it is idle; resolves with what it logged. */
function onLayer(scenario: (api: Api, log: (line: string) => void) => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const host = nodeHost();
    const loop = new EventLoop({
      host,
      onUncaught: reject,
      onIdle: () => {
        host.close();
        resolve(lines);
      },
    });
    const api: Api = {
      setTimeout: (fn, ms) => loop.setTimeout(fn, ms, []),
      setImmediate: (fn) => loop.setImmediate(fn, []),
      clearTimeout: (handle) => loop.clear(handle),
      setInterval: (fn, ms) => loop.setTimeout(fn, ms, [], true),
      clearInterval: (handle) => loop.clear(handle),
      nextTick: (fn) => loop.nextTick(fn, []),
    };
    // Inside a turn of the loop, as example 07 runs main() after `await sleep(0)`.
    loop.setTimeout(() => scenario(api, (line) => lines.push(line)), 0, []);
  });
}

/** The same scenario on Node's own loop; resolves when it has logged `expected` lines. */
function onNode(scenario: (api: Api, log: (line: string) => void) => void, expected: number): Promise<string[]> {
  return new Promise((resolve) => {
    const lines: string[] = [];
    const api: Api = {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      setImmediate: (fn) => setImmediate(fn),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
      nextTick: (fn) => process.nextTick(fn),
    };
    setTimeout(() =>
      scenario(api, (line) => {
        lines.push(line);
        if (lines.length === expected) setTimeout(() => resolve(lines), 50);
      }),
    );
  });
}

const scenarios: Record<string, (api: Api, log: (line: string) => void) => void> = {
  'example 07: sync code, microtasks, setImmediate, then setTimeout(0)': (api, log) => {
    const child = async () => {
      log('3 child runs up to its await');
      await null;
      log('7 child continues');
      return 'result';
    };
    const main = async () => {
      log('1 main starts');
      api.setTimeout(() => log('10 setTimeout(0)'), 0);
      api.setImmediate(() => log('9 setImmediate'));
      queueMicrotask(() => log('5 queueMicrotask'));
      void Promise.resolve().then(() => log('6 then'));
      log('2 main calls child');
      const promise = child();
      log('4 main goes on');
      log(`8 main resumes with ${await promise}`);
    };
    void main();
  },
  'process.nextTick runs before promise reactions, after the current callback': (api, log) => {
    void Promise.resolve().then(() => log('promise'));
    api.nextTick(() => log('tick 1'));
    api.nextTick(() => {
      log('tick 2');
      api.nextTick(() => log('tick 3, queued by tick 2'));
    });
    log('sync');
  },
  'each timer callback has its microtasks run before the next timer': (api, log) => {
    api.setTimeout(() => {
      log('timer A');
      void Promise.resolve().then(() => log('microtask of A'));
      api.nextTick(() => log('tick of A'));
    }, 5);
    api.setTimeout(() => log('timer B'), 5);
  },
  'an immediate queued by an immediate runs in the next turn, after a due timer': (api, log) => {
    api.setImmediate(() => {
      log('immediate 1');
      api.setImmediate(() => log('immediate 3, next turn'));
    });
    api.setImmediate(() => log('immediate 2'));
  },
  'cleared timers and intervals do not run; an interval repeats until cleared': (api, log) => {
    const gone = api.setTimeout(() => log('never'), 1);
    api.clearTimeout(gone);
    let n = 0;
    const every = api.setInterval(() => {
      n += 1;
      log(`interval ${n}`);
      if (n === 3) api.clearInterval(every);
    }, 2);
  },
};

describe('the in-page event loop runs callbacks in Node’s order', () => {
  for (const [name, scenario] of Object.entries(scenarios)) {
    it(name, async () => {
      const layer = await onLayer(scenario);
      const node = await onNode(scenario, layer.length);
      assert.ok(layer.length > 0);
      assert.deepEqual(layer, node);
    });
  }

  it('example 07 prints its lines numbered 1 to 10, in order', async () => {
    const lines = await onLayer(scenarios['example 07: sync code, microtasks, setImmediate, then setTimeout(0)']!);
    assert.deepEqual(lines.map((line) => Number.parseInt(line, 10)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });
});

describe('the in-page event loop ends a program as Node does', () => {
  it('is idle once nothing is left, and an unref’d timer does not hold it', async () => {
    const started = performance.now();
    const lines = await onLayer((api, log) => {
      (api.setTimeout(() => log('never: unref’d'), 10_000) as { unref(): void }).unref();
      api.setTimeout(() => log('held'), 20);
    });
    assert.deepEqual(lines, ['held']);
    assert.ok(performance.now() - started < 5_000);
  });

  it('a hold keeps it alive until released', async () => {
    const host = nodeHost();
    let idleAt = 0;
    const loop = new EventLoop({ host, onUncaught: (error) => assert.fail(String(error)), onIdle: () => (idleAt = performance.now()) });
    const release = loop.hold();
    const start = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(idleAt, 0, 'idle while held');
    release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    host.close();
    assert.ok(idleAt - start >= 60);
  });

  it('an exception in a callback is reported, and the next callbacks still run', async () => {
    const errors: unknown[] = [];
    const lines: string[] = [];
    const host = nodeHost();
    await new Promise<void>((resolve) => {
      const loop = new EventLoop({ host, onUncaught: (error) => errors.push(error), onIdle: resolve });
      loop.setTimeout(() => {
        throw new Error('boom');
      }, 1, []);
      loop.setTimeout(() => lines.push('after'), 2, []);
    });
    host.close();
    assert.equal((errors[0] as Error).message, 'boom');
    assert.deepEqual(lines, ['after']);
  });
});
