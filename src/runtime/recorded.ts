/**
 * The recorded "runtime": what a real run printed when the site was built, shown when nothing live
 * can run, with the reason why. It is a Runtime like the others so that the run session treats
 * every outcome the same way: the output view shows its lines, the timeline draws them, and the
 * status line says which runtime produced them (and here, why no live one did).
 */
import { ENGLISH, type Words } from './messages.ts';
import type { OutputSink, Runtime, RunningProgram } from './types.ts';

export interface Recorded {
  /** The recorded output, as it is shown on the page before any run. */
  text: string;
  exitCode: number;
}

export interface RecordedRuntime extends Runtime {
  readonly name: 'recorded';
  /** Why no live runtime ran this: a sentence in the page's language. */
  readonly reason: string;
}

export function createRecordedRuntime(recorded: Recorded, reason: string, words: Words = ENGLISH): RecordedRuntime {
  return {
    name: 'recorded',
    label: words.say('runtime.recorded.label'),
    reason,
    async run(_spec, onOutput: OutputSink): Promise<RunningProgram> {
      if (recorded.text) onOutput(recorded.text, 'stdout');
      return { exit: Promise.resolve(recorded.exitCode), stop: async () => {} };
    },
  };
}

export function isRecorded(runtime: Runtime): runtime is RecordedRuntime {
  return runtime.name === 'recorded';
}
