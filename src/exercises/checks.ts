/**
 * The check of a "fix the program" exercise: does the output of a run show that the flaw is gone?
 * It reads the printed lines only (every runtime and the recording give those), never the code, so
 * any fix that behaves right passes and a copied text does not help. Framework-free: the page, the
 * exercise tests and the recorder's checks all use it.
 *
 * A verdict carries a key and figures rather than a sentence, so the page says it in its own
 * language (src/i18n/ui.ts, "check.*").
 */
import type { ExerciseCheck } from '../examples/schema.ts';
import { readStamp } from '../timeline/parse.ts';

export interface OutputLine {
  text: string;
  stream?: 'stdout' | 'stderr';
}

export type VerdictKey =
  | 'failed' // the program ended with an error: nothing else is judged
  | 'ticks.ok'
  | 'ticks.late'
  | 'ticks.few'
  | 'inFlight.ok'
  | 'inFlight.unfinished'
  | 'inFlight.serial'
  | 'inFlight.tooMany'
  | 'before.ok'
  | 'before.missing'
  | 'before.late'
  | 'line.ok'
  | 'line.missing'
  | 'line.wrong';

export interface Verdict {
  passed: boolean;
  key: VerdictKey;
  /** The figures the sentence for `key` names ({gap}, {limit}, {count}, …). */
  values: Record<string, string | number>;
}

export interface Message {
  /** On the program's clock, from the line's timestamp; null for a line without one. */
  time: number | null;
  text: string;
}

/**
 * What a program printed on stdout, line by line: each message without its timestamp, and its
 * time. Blank lines are left out. The checks read this, and so does a prediction's answer.
 */
export function printedMessages(lines: readonly OutputLine[]): Message[] {
  return lines
    .filter((line) => line.stream !== 'stderr' && line.text.trim() !== '')
    .map((line) => {
      const stamped = readStamp(line.text);
      return stamped ? { time: stamped.time, text: stamped.message } : { time: null, text: line.text.trim() };
    });
}

/** The most of `count` jobs that ran at once, counting start and end lines in the order printed. */
export function mostAtOnce(messages: readonly { text: string }[], start: string, end: string): { most: number; ended: number } {
  let running = 0;
  let most = 0;
  let ended = 0;
  for (const { text } of messages) {
    if (text.startsWith(start)) most = Math.max(most, ++running);
    else if (text.startsWith(end)) {
      running = Math.max(0, running - 1);
      ended++;
    }
  }
  return { most, ended };
}

/** Judges one run's output against an exercise's check. `exitCode` other than 0 fails it first. */
export function runCheck(check: ExerciseCheck, lines: readonly OutputLine[], exitCode = 0): Verdict {
  if (exitCode !== 0) return { passed: false, key: 'failed', values: { code: exitCode } };
  const messages = printedMessages(lines);
  switch (check.kind) {
    case 'ticks': {
      const times = messages.filter((m) => m.text.startsWith(check.prefix) && m.time !== null).map((m) => m.time as number);
      // The gaps between ticks, and from the last tick to the program's last line: work moved after
      // the heartbeat stops blocks the loop as much as work during it.
      const stamped = messages.filter((m) => m.time !== null).map((m) => m.time as number);
      const end = stamped.length ? Math.max(...stamped) : undefined;
      let gap = 0;
      for (let i = 1; i < times.length; i++) gap = Math.max(gap, times[i] - times[i - 1]);
      if (times.length && end !== undefined) gap = Math.max(gap, end - times[times.length - 1]);
      // A late tick is the flaw itself; it is named before a short run, which may only be a symptom.
      if (gap > check.maxGapMs) return { passed: false, key: 'ticks.late', values: { gap, limit: check.maxGapMs } };
      if (times.length < check.minTicks) return { passed: false, key: 'ticks.few', values: { count: times.length, need: check.minTicks } };
      return { passed: true, key: 'ticks.ok', values: { gap, limit: check.maxGapMs, count: times.length } };
    }
    case 'inFlight': {
      const { most, ended } = mostAtOnce(messages, check.start, check.end);
      if (ended < check.count) return { passed: false, key: 'inFlight.unfinished', values: { ended, count: check.count } };
      if (check.max !== undefined && most > check.max) return { passed: false, key: 'inFlight.tooMany', values: { most, max: check.max } };
      if (check.min !== undefined && most < check.min) return { passed: false, key: 'inFlight.serial', values: { most, min: check.min } };
      return { passed: true, key: 'inFlight.ok', values: { most, count: check.count } };
    }
    case 'before': {
      const end = messages.findIndex((m) => m.text.startsWith(check.before));
      const all = messages.filter((m) => m.text.startsWith(check.each)).length;
      const inTime = messages.slice(0, end === -1 ? messages.length : end).filter((m) => m.text.startsWith(check.each)).length;
      if (all < check.count) return { passed: false, key: 'before.missing', values: { seen: all, count: check.count, each: check.each.trim() } };
      if (end === -1 || inTime < check.count) {
        return { passed: false, key: 'before.late', values: { seen: inTime, count: check.count, each: check.each.trim(), before: check.before.trim() } };
      }
      return { passed: true, key: 'before.ok', values: { count: check.count, each: check.each.trim(), before: check.before.trim() } };
    }
    case 'line': {
      const line = messages.find((m) => m.text.startsWith(check.prefix));
      if (!line) return { passed: false, key: 'line.missing', values: { prefix: check.prefix.trim() } };
      const value = line.text.slice(check.prefix.length).trim();
      if (value !== check.expected) return { passed: false, key: 'line.wrong', values: { value, expected: check.expected, prefix: check.prefix.trim() } };
      return { passed: true, key: 'line.ok', values: { value } };
    }
  }
}
