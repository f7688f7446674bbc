/** Reading an example's output in the tests. */
import { formatLines, type Line, type RunResult } from '../../scripts/lib/processes.ts';

/** Python logging's "%(asctime)s %(message)s": 2026-01-27 19:02:11,532 <message> */
export const ASCTIME = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3}) (.*)$/;

export interface Message extends Line {
  message: string; // the text without the asctime
  at: number; // the asctime as ms since the epoch (local time)
}

export function messages(result: RunResult): Message[] {
  return result.lines.map((line) => {
    const match = ASCTIME.exec(line.text);
    if (!match) return { ...line, message: line.text, at: NaN };
    const [date, time] = match[1].split(' ');
    const [y, mo, d] = date.split('-').map(Number);
    const [h, mi, rest] = time.split(':');
    const [s, ms] = rest.split(',').map(Number);
    return { ...line, message: match[2], at: new Date(y, mo - 1, d, Number(h), Number(mi), s, ms).getTime() };
  });
}

/** The output, for assertion messages. */
export function shown(result: RunResult): string {
  return `exit code ${result.exitCode}${result.timedOut ? ' (timed out)' : ''}, output:\n${formatLines(result.lines)}`;
}

/** The numbers captured by `pattern` in the first message that matches it. */
export function find(result: RunResult, pattern: RegExp): RegExpExecArray {
  for (const line of messages(result)) {
    const match = pattern.exec(line.message);
    if (match) return match;
  }
  throw new Error(`no line matches ${pattern}; ${shown(result)}`);
}

export function indexOf(list: Message[], pattern: RegExp, from = 0): number {
  for (let i = from; i < list.length; i++) if (pattern.test(list[i].message)) return i;
  return -1;
}

export const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
