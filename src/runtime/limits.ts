/**
 * The limits every live runtime puts on a run, defined once so that a program is stopped at the
 * same point whichever runtime runs it (the local server, a WebContainer).
 */
export const RUN_LIMITS = Object.freeze({
  /** Longest run of a program; an example's own `timeoutMs` may lower it. */
  programTimeoutMs: 60_000,
  /** Longest run of a server example: as long as a reader may want to play with it. */
  serverTimeoutMs: 15 * 60_000,
  /** Most output one run may print, in bytes. */
  outputLimitBytes: 64 * 1024 * 1024,
});

/**
 * A program's time limit: the runtime's, or less when the example says it needs less (a program
 * that hangs is then stopped as soon as it is clearly hanging), never more.
 */
export function programTimeLimit(exampleTimeoutMs: number | undefined, runtimeLimitMs: number): number {
  return exampleTimeoutMs && exampleTimeoutMs > 0 ? Math.min(runtimeLimitMs, exampleTimeoutMs) : runtimeLimitMs;
}
