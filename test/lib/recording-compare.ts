/**
 * A live run's lines against the example's recording (content/examples/<id>/recorded.json), with
 * what varies from run to run taken out, and order ignored only where the example is concurrent.
 *
 * Each example says how it is compared (`COMPARISONS`):
 * - `normalise` takes out what a run cannot repeat: the asctime of every line, durations
 *   (`in 1113 ms`, `after 334 ms`, `566 ms since the previous tick`), ports, machine figures (steps
 *   of a busy loop, a speed-up, the number of CPU cores). What a run must repeat stays: which image,
 *   its delay, its size in bytes and the digest of the bytes (the PNGs are generated from a fixed
 *   seed, and Node 18, 20 and 24 compress them to the same bytes), results, the numbered order of 07;
 * - `group` names the lines whose order among themselves is up to the scheduler: consecutive lines
 *   of one group are compared as a multiset, and the sequence of groups as a sequence;
 * - `collapse` (06): a run of identical lines (the timer's ticks) counts once, because how many ticks
 *   fit between two events depends on the machine's load; the late ticks are checked on their own.
 */
import { ASCTIME } from './output.ts';

export interface Comparison {
  normalise: (message: string) => string;
  /** The group of a normalised line, or undefined for a line whose place is fixed. */
  group?: (line: string) => string | undefined;
  collapse?: boolean;
}

/** What no run repeats, for every example. */
function common(message: string): string {
  return message
    .replace(/http:\/\/127\.0\.0\.1:\d+/g, 'http://HOST')
    .replace(/\bin \d+ ms\b/g, 'in N ms')
    .replace(/\bafter \d+ ms\b/g, 'after N ms');
}

const CLIENT = /^\[client\] (?:(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) )?/;

export const COMPARISONS: Record<string, Comparison> = {
  // One download after another: the order is the lesson.
  '01-scraper-sync': { normalise: common },
  // All start at once, then the responses come as their delays allow: each phase as a multiset.
  '02-scraper-async': {
    normalise: common,
    group: (line) => (/^Starting download/.test(line) ? 'starts' : /^Response received/.test(line) ? 'responses' : undefined),
  },
  '03-fibonacci': { normalise: common },
  // A scripted session (scripts/lib/server-session.ts): each client command is a step whose server
  // and client lines interleave as two processes print them; the steps come in order.
  '04-scraper-server': {
    normalise: (message) => common(message.replace(CLIENT, '[client] ')),
    group: (line) => (line.startsWith('[client] $ ') ? undefined : 'step'),
  },
  // The parts on one loop run one after another; in the workers they end in any order.
  '05-cpu-parallel': {
    normalise: (message) => common(message).replace(/^Speed-up: [\d.]+x with (\d+) threads on \d+ CPU cores$/, 'Speed-up: Nx with $1 threads on N CPU cores'),
    group: (line) => (/^Worker threads: part \d of \d done$/.test(line) ? 'worker done' : undefined),
  },
  // How many ticks fit between the blocking steps depends on the load: runs of ticks count once.
  '06-blocked-timer': {
    normalise: (message) => message.replace(/^Tick \d+: \d+ ms since the previous tick$/, 'Tick').replace(/after \d+ steps$/, 'after N steps'),
    collapse: true,
  },
  // The order is the lesson, and on Node it is fixed.
  '07-execution-order': { normalise: common },
  '08-async-generator': { normalise: common },
  // Within each style the three responses come as their delays allow.
  '09-collector-styles': {
    normalise: common,
    group: (line) => /^(callbacks|promises|async\/await): response received/.exec(line)?.[1],
  },
  // The downloads start in their numbered order (the semaphore's waiters go first come, first
  // served), and each finish frees a place that the next one takes at once. Which download finishes
  // first depends on the machine (the first fetch's set-up shifts its lane), so a finish keeps only
  // its in-flight count: the sequence of starts and counts is the lesson, and it is fixed.
  '10-bounded-concurrency': { normalise: (message) => common(message).replace(/^Download \d+ done, size \d+, /, 'Download done, ') },
  // The three downloads of part B are cancelled together: their cancel lines in any order.
  '11-cancellation-timeouts': {
    normalise: common,
    group: (line) => (/^B: Starting download/.test(line) ? 'B starts' : /^B: Cancelled download/.test(line) ? 'B cancels' : undefined),
  },
  // Exercises. 21, 23, 25: the order is the lesson (predict); 22 downloads one after another as given;
  // 26 as given prints only that main is done.
  '21-gather-order': { normalise: common },
  '22-sequential-awaits': { normalise: common },
  '23-yield-points': { normalise: common },
  // How many heartbeats fit before and after the computation depends on the load, as in 06.
  '24-cpu-heartbeat': { normalise: (message) => message.replace(/^Tick \d+$/, 'Tick'), collapse: true },
  '25-generator-send': { normalise: common },
  '26-fire-and-forget': { normalise: common },
  // The exercises. In 27, 28 and 29 the order is the lesson (the answer of a "predict").
  '27-cancel-cleanup': { normalise: common },
  '28-lost-update': { normalise: common },
  '29-pool-completion-order': { normalise: common },
  // Which 5 of the 20 requests reach the server first is up to the network: the answers count as
  // 5 responses and 15 refusals, in any order and for any of the URLs.
  '30-unbounded-fan-out': {
    normalise: (message) =>
      common(message)
        .replace(/^Response received from \S+, size \d+$/, 'Response received from URL, size N')
        .replace(/^Bad \S+, status (\d+)$/, 'Bad URL, status $1'),
    group: (line) => (/^Starting download/.test(line) ? 'starts' : /^(Response received|Bad) /.test(line) ? 'answers' : undefined),
  },
};

/** A line without its asctime; `[client]` lines keep their prefix (04). */
export function message(text: string): string {
  return ASCTIME.exec(text)?.[2] ?? text;
}

/** The lines as the comparison sees them: normalised, then grouped (each group sorted), then collapsed. */
export function comparable(lines: string[], comparison: Comparison): string[][] {
  const normalised = lines.map((line) => comparison.normalise(message(line)));
  const chunks: { key: string | undefined; lines: string[] }[] = [];
  for (const line of normalised) {
    const key = comparison.group?.(line);
    const last = chunks.at(-1);
    if (key !== undefined && last?.key === key) last.lines.push(line);
    else if (comparison.collapse && key === undefined && last?.lines.length === 1 && last.lines[0] === line) continue;
    else chunks.push({ key, lines: [line] });
  }
  return chunks.map((chunk) => [...chunk.lines].sort());
}
