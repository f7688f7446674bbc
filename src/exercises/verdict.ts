/**
 * What an exercise says about a run of its program, in the page's language. The sentences come
 * from the page (Exercise.astro writes this locale's words into the exercise's data), so this
 * module carries no strings of its own. Framework-free.
 */
import type { ExerciseCheck } from '../examples/schema.ts';
import type { RunEventDetail, TranscriptLine } from '../sandbox/run-event.ts';
import { readStamp } from '../timeline/parse.ts';
import { runCheck, sentenceOf } from './checks.ts';
import type { SavedVerdict } from './store.ts';

/** The page's sentences, by their ui.ts key ("exercise.fixed", "check.ticks.late", …). */
export type Words = Record<string, string>;

type Ended = Extract<RunEventDetail, { phase: 'ended' }>;

const say = (words: Words, key: string, values: Record<string, string | number> = {}) => sentenceOf(words[key] ?? key, values);

/** A fix exercise's verdict on a run, or null when the run did not end by itself (nothing to judge). */
export function judgeFix(check: ExerciseCheck, run: Ended): SavedVerdict | null {
  // 137 is a kill (SIGKILL): a runtime's time or output limit, not the program's own end.
  if (run.outcome !== 'exited' || run.exitCode === null || run.exitCode === 137) return null;
  return { ...runCheck(check, run.lines, run.exitCode), edited: run.edited, recorded: run.recorded, runtime: run.runtime };
}

export function fixText(words: Words, verdict: SavedVerdict | null): string {
  if (!verdict) return say(words, 'exercise.noEnd');
  const why = say(words, `check.${verdict.key}`, verdict.values);
  if (verdict.recorded) return say(words, 'exercise.recordedRun', { reason: verdict.runtime, why });
  const text = say(words, verdict.passed ? 'exercise.fixed' : 'exercise.notFixed', { why });
  return verdict.edited ? text : `${text} ${say(words, 'exercise.asGiven')}`;
}

/** The messages a run printed on stdout, without their timestamps. */
export function printedMessages(lines: readonly TranscriptLine[]): string[] {
  return lines
    .filter((line) => line.stream === 'stdout' && line.text.trim() !== '')
    .map((line) => readStamp(line.text)?.message ?? line.text.trim());
}

/** A predict exercise's word on a run: did it print the answer's lines in the answer's order? */
export function predictRunText(words: Words, run: Ended, answer: readonly string[]): string | null {
  // The recording is the answer itself: only a live run can agree or differ.
  // An edited program is another program: its order says nothing about the answer.
  if (run.outcome !== 'exited' || run.recorded || run.edited) return null;
  const printed = printedMessages(run.lines);
  const same = printed.length === answer.length && printed.every((message, i) => message === answer[i]);
  return say(words, same ? 'exercise.runMatches' : 'exercise.runDiffers', { runtime: run.runtime });
}
