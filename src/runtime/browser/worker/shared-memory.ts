/**
 * SharedArrayBuffer and Atomics.wait where the page is not cross-origin isolated (a plain static
 * host): browsers then have no SharedArrayBuffer at all, and example 06 blocks its thread with
 * `Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)`, as Python's time.sleep()
 * blocks the event loop. The stand-in is an ordinary ArrayBuffer, and a wait on it spins the CPU
 * until its timeout: nothing else runs on the thread meanwhile, exactly as with a real wait, which
 * is the lesson; only the CPU is busy instead of asleep. (Nobody else can hold the memory, so no
 * `Atomics.notify` could end the wait early.)
 */

export function installSharedMemoryStandIn(scope: typeof globalThis): boolean {
  if (typeof scope.SharedArrayBuffer === 'function') return false;
  class SharedArrayBuffer extends ArrayBuffer {}
  Object.defineProperty(SharedArrayBuffer.prototype, Symbol.toStringTag, { value: 'SharedArrayBuffer' });
  const atomics = scope.Atomics;
  const realWait = atomics.wait.bind(atomics);
  const realNotify = atomics.notify.bind(atomics);
  type WaitArray = Int32Array | BigInt64Array;
  const standIn = (array: unknown): array is WaitArray =>
    (array instanceof Int32Array || array instanceof BigInt64Array) && array.buffer instanceof SharedArrayBuffer;
  Object.defineProperty(atomics, 'wait', {
    configurable: true,
    writable: true,
    value(array: WaitArray, index: number, value: number | bigint, timeout?: number): 'ok' | 'not-equal' | 'timed-out' {
      if (!standIn(array)) return realWait(array as Int32Array, index, value as number, timeout);
      if (array[index] !== value) return 'not-equal';
      const ms = timeout === undefined || Number.isNaN(Number(timeout)) ? Infinity : Math.max(0, Number(timeout));
      const end = performance.now() + ms;
      while (performance.now() < end) {
        // the thread is blocked, as a real wait blocks it
      }
      return 'timed-out';
    },
  });
  Object.defineProperty(atomics, 'notify', {
    configurable: true,
    writable: true,
    value(array: WaitArray, index: number, count?: number): number {
      return standIn(array) ? 0 : realNotify(array as Int32Array, index, count);
    },
  });
  Object.defineProperty(scope, 'SharedArrayBuffer', { configurable: true, writable: true, value: SharedArrayBuffer });
  return true;
}
