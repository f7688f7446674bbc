/**
 * What the recorder does about the Python recordings (recorded-python.json), decided apart from
 * the runs so that the "no Python here" path can be tested without faking one.
 *
 * A machine without a suitable Python (3.11+ with aiohttp and requests) can still build the book:
 * the last Python recordings stay as they are, the recorder says so in one line, and only a run
 * that asked for Python explicitly (`--python`) fails for it.
 */
import type { PythonFound } from './launchers.ts';

export type PythonPlan =
  /** Nothing to record. */
  | { action: 'none' }
  /** Record `ids` with this Python. */
  | { action: 'record'; ids: string[]; python: PythonFound }
  /** No Python: keep the recordings as they are and print `message`; not a failure. */
  | { action: 'keep'; message: string }
  /** No Python although `--python` asked for it: print `message` and fail. */
  | { action: 'fail'; message: string };

export interface PythonPlanInput {
  /** The examples to record now: out of date, or all of them with --force. */
  toRecord: string[];
  /** The examples whose recorded-python.json does not match main.py (a different hash). */
  stale: string[];
  /** The examples with no recorded-python.json at all. */
  missing: string[];
  /** `--python` was given: Python recordings are what the caller asked for. */
  required: boolean;
  /** findPython(), called only when there is something to record. */
  find: () => PythonFound | { error: string };
}

export function planPython({ toRecord, stale, missing, required, find }: PythonPlanInput): PythonPlan {
  if (!toRecord.length) return { action: 'none' };
  const found = find();
  if (!('error' in found)) return { action: 'record', ids: toRecord, python: found };
  if (required) return { action: 'fail', message: `record: cannot record the Python versions: ${found.error}` };
  const notMatching = [
    stale.length ? `out of date now (main.py changed): ${stale.join(', ')}` : '',
    missing.length ? `never recorded: ${missing.join(', ')}` : '',
  ].filter(Boolean);
  const state = notMatching.length ? notMatching.join('; ') : 'all of them still match their main.py';
  return { action: 'keep', message: `record: Python versions not recorded: ${found.error} The last Python recordings are kept; ${state}.` };
}
