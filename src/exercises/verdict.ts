/**
 * What an exercise says about a run of its program, in the page's language (./words.ts: the
 * sentences come from the page, this module carries none of its own). Framework-free.
 */
import type { ExerciseCheck } from '../examples/schema.ts';
import type { RunEventDetail } from '../sandbox/run-event.ts';
import { printedMessages, runCheck } from './checks.ts';
import type { SavedVerdict } from './store.ts';
import { say, type Words } from './words.ts';

type Ended = Extract<RunEventDetail, { phase: 'ended' }>;

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

/** A predict exercise's word on a run: did it print the answer's lines in the answer's order? */
export function predictRunText(words: Words, run: Ended, answer: readonly string[]): string | null {
  // The recording is the answer itself: only a live run can agree or differ.
  // An edited program is another program: its order says nothing about the answer.
  if (run.outcome !== 'exited' || run.recorded || run.edited) return null;
  const printed = printedMessages(run.lines).map((message) => message.text);
  const same = printed.length === answer.length && printed.every((message, i) => message === answer[i]);
  return say(words, same ? 'exercise.runMatches' : 'exercise.runDiffers', { runtime: run.runtime });
}
