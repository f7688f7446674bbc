/**
 * Node's event loop, as far as the book's programs can see it, on top of a browser worker's tasks.
 * A browser has no setImmediate, no process.nextTick, and no notion of "nothing left to do, so the
 * program ends"; Node's order of timers and immediates is what example 07 teaches. So the layer
 * runs every callback of timers, immediates and I/O itself:
 *
 * - each turn has Node's phases that matter here: due timers (by due time, then by the order they
 *   were set), then the immediates queued before the check phase began; immediates queued during
 *   the check phase wait for the next turn;
 * - every callback runs in a browser task of its own (a MessageChannel message), so that the
 *   microtasks it queues (promise reactions, the rest of an async function) all run before the next
 *   callback, as Node drains them between callbacks since Node 11; process.nextTick callbacks run
 *   right after the callback that queued them, before its promise reactions;
 * - timers hold the program open unless unref'd, like every other handle (a listening server, a
 *   request in flight, a worker thread: `hold()`); when nothing holds it, `onIdle` is called, after
 *   the microtasks have run, and the program may end.
 *
 * Framework-free and host-agnostic: the worker hands in the browser's MessageChannel and timers,
 * the tests hand in Node's, and compare the order with real Node's.
 */

export interface LoopHost {
  /** Runs `task` in a task of its own, as soon as possible (after the current microtasks). */
  post(task: () => void): void;
  /** Runs `task` in a task of its own after `ms`; returns a way to cancel it. */
  after(ms: number, task: () => void): () => void;
  now(): number;
}

/**
 * A host on the tasks of this JavaScript world: one MessageChannel for "as soon as possible" (in
 * order, unlike timers of 0 ms, which browsers clamp), and timers for later. `setTimer` and
 * `clearTimer` are the world's own, taken before the layer puts Node's timers in their place.
 */
export function channelHost(setTimer: (task: () => void, ms: number) => unknown, clearTimer: (id: never) => void): LoopHost & { close(): void } {
  const channel = new MessageChannel();
  const tasks: Array<() => void> = [];
  channel.port1.onmessage = () => tasks.shift()?.();
  return {
    post(task) {
      tasks.push(task);
      channel.port2.postMessage(null);
    },
    after(ms, task) {
      const id = setTimer(task, ms);
      return () => clearTimer(id as never);
    },
    now: () => performance.now(),
    close: () => channel.port1.close(),
  };
}

/** Node's largest timer delay; a larger (or non-positive, or NaN) delay becomes 1 ms, as in Node. */
const TIMEOUT_MAX = 2 ** 31 - 1;

type Callback = (...args: unknown[]) => void;

/** What Node's timer objects have in common: holding the program open, or not. */
abstract class Handle {
  refed = true;
  protected abstract readonly loop: EventLoop;
  ref(): this {
    this.refed = true;
    this.loop.changed();
    return this;
  }
  unref(): this {
    this.refed = false;
    this.loop.changed();
    return this;
  }
  hasRef(): boolean {
    return this.refed;
  }
}

export class Timeout extends Handle {
  /** For clearTimeout(Number(timer)), as Node's timers convert to their id. */
  readonly id: number;
  /** The delay it was set with (1 ms at least, as in Node). */
  readonly delay: number;
  readonly repeat: number | null;
  due = 0;
  seq = 0;
  active = true;
  readonly callback: Callback;
  readonly args: unknown[];
  protected readonly loop: EventLoop;

  constructor(loop: EventLoop, id: number, callback: Callback, args: unknown[], delay: number, repeat: boolean) {
    super();
    this.loop = loop;
    this.id = id;
    this.callback = callback;
    this.args = args;
    this.delay = delay;
    this.repeat = repeat ? delay : null;
  }

  refresh(): this {
    if (this.active) this.loop.reschedule(this);
    return this;
  }
  close(): this {
    this.loop.clear(this);
    return this;
  }
  [Symbol.toPrimitive](): number {
    return this.id;
  }
}

export class Immediate extends Handle {
  active = true;
  readonly callback: Callback;
  readonly args: unknown[];
  protected readonly loop: EventLoop;
  constructor(loop: EventLoop, callback: Callback, args: unknown[]) {
    super();
    this.loop = loop;
    this.callback = callback;
    this.args = args;
  }
}

export interface EventLoopOptions {
  host: LoopHost;
  /** An exception that no callback caught. */
  onUncaught(error: unknown): void;
  /** Nothing holds the program any more (checked after the microtasks of the last callback). */
  onIdle(): void;
}

export class EventLoop {
  private readonly host: LoopHost;
  private readonly options: EventLoopOptions;
  private timers: Timeout[] = [];
  private immediates: Immediate[] = [];
  private ticks: Array<() => void> = [];
  private tickDrainQueued = false;
  private holds = 0;
  private nextId = 1;
  private nextSeq = 1;
  /** A turn is queued or running; `cancelWait` cancels a wait for the next due timer. */
  private turnQueued = false;
  private cancelWait: (() => void) | undefined;
  private waitingUntil = Infinity;
  private idleCheckQueued = false;
  private closed = false;

  constructor(options: EventLoopOptions) {
    this.host = options.host;
    this.options = options;
  }

  setTimeout(callback: Callback, delay: unknown, args: unknown[], repeat = false): Timeout {
    if (typeof callback !== 'function') throw typeError('The "callback" argument must be of type function.');
    let ms = Number(delay);
    if (!(ms >= 1 && ms <= TIMEOUT_MAX)) ms = 1;
    const timer = new Timeout(this, this.nextId++, callback, args, Math.trunc(ms), repeat);
    this.schedule(timer, this.host.now() + timer.delay);
    return timer;
  }

  setImmediate(callback: Callback, args: unknown[]): Immediate {
    if (typeof callback !== 'function') throw typeError('The "callback" argument must be of type function.');
    const immediate = new Immediate(this, callback, args);
    this.immediates.push(immediate);
    this.changed();
    return immediate;
  }

  clear(handle: unknown): void {
    if (handle instanceof Immediate) {
      handle.active = false;
      this.immediates = this.immediates.filter((i) => i !== handle);
    } else {
      const timer = handle instanceof Timeout ? handle : this.timers.find((t) => t.id === Number(handle));
      if (!timer) return;
      timer.active = false;
      this.timers = this.timers.filter((t) => t !== timer);
    }
    this.changed();
  }

  nextTick(callback: Callback, args: unknown[]): void {
    if (typeof callback !== 'function') throw typeError('The "callback" argument must be of type function.');
    this.ticks.push(() => callback(...args));
    if (!this.tickDrainQueued) {
      // Queued from top-level code or a microtask: run them as soon as the current job is done.
      this.tickDrainQueued = true;
      queueMicrotask(() => {
        this.tickDrainQueued = false;
        this.drainTicks();
      });
    }
  }

  /** Something else holds the program open (a server, a request, a worker) until released. */
  hold(): () => void {
    this.holds += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds -= 1;
      this.changed();
    };
  }

  /** Runs a callback of I/O (a message from the network or a worker) as Node runs one. */
  io(callback: () => void): void {
    if (this.closed) return;
    this.invoke(callback);
    this.changed();
  }

  /** The program ends: nothing runs any more. */
  close(): void {
    this.closed = true;
    this.cancelWait?.();
    this.timers = [];
    this.immediates = [];
    this.ticks = [];
  }

  /** True while a timer, an immediate or another handle holds the program. */
  get alive(): boolean {
    return this.holds > 0 || this.immediates.some((i) => i.refed) || this.timers.some((t) => t.refed);
  }

  /** Called when anything changed that may start a turn or end the program. */
  changed(): void {
    if (this.closed) return;
    if (!this.turnQueued) this.queueTurn();
    if (!this.alive) this.queueIdleCheck();
  }

  reschedule(timer: Timeout): void {
    this.timers = this.timers.filter((t) => t !== timer);
    this.schedule(timer, this.host.now() + timer.delay);
  }

  private schedule(timer: Timeout, due: number): void {
    timer.due = due;
    timer.seq = this.nextSeq++;
    timer.active = true;
    // Kept sorted by due time, then by the order they were set (a stable insert from the end).
    let at = this.timers.length;
    while (at > 0 && this.timers[at - 1].due > due) at--;
    this.timers.splice(at, 0, timer);
    this.changed();
  }

  /** Queues the next turn: at once when there are immediates or due timers, else at the next due time. */
  private queueTurn(): void {
    if (this.closed) return;
    if (this.immediates.length > 0 || (this.timers.length > 0 && this.timers[0].due <= this.host.now())) {
      this.cancelWait?.();
      this.cancelWait = undefined;
      this.waitingUntil = Infinity;
      this.turnQueued = true;
      this.host.post(() => this.turn());
      return;
    }
    const next = this.timers[0];
    if (!next) return;
    if (this.cancelWait && this.waitingUntil <= next.due) return; // already waiting for it, or for an earlier one
    this.cancelWait?.();
    this.waitingUntil = next.due;
    // Rounded up: a browser timer truncates a fractional delay, and an early wake would wait again.
    this.cancelWait = this.host.after(Math.max(0, Math.ceil(next.due - this.host.now())), () => {
      this.cancelWait = undefined;
      this.waitingUntil = Infinity;
      this.queueTurn();
    });
  }

  /** One turn of the loop: the timers phase, then the check phase, each callback in a task of its own. */
  private turn(): void {
    const now = this.host.now();
    const due: Timeout[] = [];
    for (const timer of this.timers) {
      if (timer.due > now) break;
      due.push(timer);
    }
    const steps: Array<() => void> = due.map((timer) => () => this.fire(timer, now));
    steps.push(() => {
      // The check phase takes the immediates queued until now, including those the timers just queued.
      const batch = this.immediates;
      this.immediates = [];
      const run = (i: number): void => {
        if (this.closed) return;
        if (i >= batch.length) return this.endTurn();
        const immediate = batch[i];
        if (immediate.active) {
          immediate.active = false;
          this.invoke(() => immediate.callback(...immediate.args));
        }
        this.host.post(() => run(i + 1));
      };
      run(0);
    });
    const next = (i: number): void => {
      if (this.closed) return;
      steps[i]();
      if (i + 1 < steps.length) this.host.post(() => next(i + 1));
    };
    next(0);
  }

  /**
   * Runs a due timer. An interval is due again `repeat` ms after the time its turn began, as Node
   * counts from the loop's time at the start of the turn (after a long callback, the next tick is
   * due at once: the lesson of example 06).
   */
  private fire(timer: Timeout, turnStart: number): void {
    if (!timer.active || this.closed) return;
    this.timers = this.timers.filter((t) => t !== timer);
    if (timer.repeat === null) timer.active = false;
    else this.schedule(timer, turnStart + timer.repeat);
    this.invoke(() => timer.callback(...timer.args));
  }

  private endTurn(): void {
    this.turnQueued = false;
    this.changed();
  }

  private invoke(callback: () => void): void {
    try {
      callback();
    } catch (error) {
      this.options.onUncaught(error);
    }
    this.drainTicks();
  }

  private drainTicks(): void {
    while (this.ticks.length > 0 && !this.closed) {
      const tick = this.ticks.shift() as () => void;
      try {
        tick();
      } catch (error) {
        this.options.onUncaught(error);
      }
    }
  }

  private queueIdleCheck(): void {
    if (this.idleCheckQueued) return;
    this.idleCheckQueued = true;
    // A task, not a microtask: the promise reactions of the last callback run first.
    this.host.post(() => {
      this.idleCheckQueued = false;
      if (!this.closed && !this.alive && !this.turnQueued && this.ticks.length === 0) this.options.onIdle();
    });
  }
}

function typeError(message: string): TypeError {
  return Object.assign(new TypeError(message), { code: 'ERR_INVALID_ARG_TYPE' });
}
