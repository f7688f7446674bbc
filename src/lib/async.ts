/** Small promise helpers used by the runtimes, the page and the scripts alike. */

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(reason: unknown): void;
}

/** `Promise.withResolvers()` where the platform has it (Node 22, browsers since 2024), else the same by hand. */
export function deferred<T>(): Deferred<T> {
  const native = (Promise as { withResolvers?: <U>() => Deferred<U> }).withResolvers;
  if (native) return native.call(Promise) as Deferred<T>;
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const TIMED_OUT: unique symbol = Symbol('timed out');

/** The promise's outcome, or TIMED_OUT after `ms`; the timer does not outlive the race. */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => (timer = setTimeout(resolve, ms, TIMED_OUT)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
