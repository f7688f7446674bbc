/**
 * The program's stdout and stderr, sent to the page. Node writes to a pipe at once; posting one
 * message per line would flood the page when a program prints a million lines. So a write is sent
 * at once when nothing was sent in the last few milliseconds (a line printed just before a long
 * computation or a hot loop still shows), and otherwise gathered and sent with the next batch: when
 * the batch is large, when the writer's timer fires, or when the program ends.
 */

export type Send = (stream: 'stdout' | 'stderr', text: string) => void;

/** Writes closer together than this are sent together. */
const GATHER_MS = 8;
/** A batch this long is sent at once. */
const BATCH_CHARS = 64 * 1024;

export class Output {
  private readonly send: Send;
  private stream: 'stdout' | 'stderr' = 'stdout';
  private pending = '';
  private lastSent = -Infinity;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly nativeSetTimeout: typeof setTimeout;
  private readonly nativeClearTimeout: typeof clearTimeout;

  /**
   * The browser's own timers, taken before the layer puts Node's in their place (a layer timer's
   * id is not the browser's).
   */
  constructor(send: Send, nativeSetTimeout: typeof setTimeout, nativeClearTimeout: typeof clearTimeout) {
    this.send = send;
    this.nativeSetTimeout = nativeSetTimeout;
    this.nativeClearTimeout = nativeClearTimeout;
  }

  write(stream: 'stdout' | 'stderr', text: string): void {
    if (text === '') return;
    if (stream !== this.stream) this.flush();
    this.stream = stream;
    this.pending += text;
    const now = performance.now();
    if (this.pending.length >= BATCH_CHARS || now - this.lastSent >= GATHER_MS) this.flush();
    else this.timer ??= this.nativeSetTimeout(() => this.flush(), GATHER_MS);
  }

  flush(): void {
    if (this.timer !== undefined) this.nativeClearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    this.lastSent = performance.now();
    this.send(this.stream, text);
  }
}
