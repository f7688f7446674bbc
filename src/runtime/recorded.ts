/**
 * The recorded "runtime": what a real run printed when the site was built, shown when nothing live
 * can run, with the reason why. It is a Runtime like the others so that the run session treats
 * every outcome the same way: the output view shows its lines, the timeline draws them, and the
 * status line says which runtime produced them (and here, why no live one did).
 */
import { ENGLISH, type Words } from './messages.ts';
import { RuntimeUnavailable, type OutputSink, type Runtime, type RunningProgram, type UnavailableAction } from './types.ts';

export interface Recorded {
  /** The recorded output, as it is shown on the page before any run. */
  text: string;
  exitCode: number;
}

export interface RecordedRuntime extends Runtime {
  readonly name: 'recorded';
  /** Why no live runtime ran this: a sentence in the page's language. */
  readonly reason: string;
  /** What the reader can do about it (a link next to the reason), when there is something. */
  readonly action?: UnavailableAction;
}

/** `why`: the live runtime's refusal (its words, and what the reader can do about it), or just words. */
export function createRecordedRuntime(recorded: Recorded, why: string | RuntimeUnavailable, words: Words = ENGLISH): RecordedRuntime {
  const action = why instanceof RuntimeUnavailable ? why.action : undefined;
  return {
    name: 'recorded',
    label: words.say('runtime.recorded.label'),
    reason: why instanceof RuntimeUnavailable ? why.message : why,
    ...(action ? { action } : {}),
    async run(_spec, onOutput: OutputSink): Promise<RunningProgram> {
      if (recorded.text) onOutput(recorded.text, 'stdout');
      return { exit: Promise.resolve(recorded.exitCode), stop: async () => {} };
    },
  };
}

export function isRecorded(runtime: Runtime): runtime is RecordedRuntime {
  return runtime.name === 'recorded';
}
