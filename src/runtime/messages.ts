/**
 * What runtimes say to the reader (why they cannot run, limits, restarts) is looked up by key in the
 * book's UI strings (src/i18n/ui.ts, keys `runtime.*`), so a Russian page reads it in Russian. A
 * runtime is handed the `Words` of the page's language when it is created; without them it speaks
 * English, which is also what the tests of a runtime read.
 */
import { t, type Locale, type UiKey } from '../i18n/ui.ts';

export type RuntimeMessageKey = Extract<UiKey, `runtime.${string}`>;
export type MessageValues = Record<string, string | number>;

export interface Words {
  readonly locale: Locale;
  say(key: RuntimeMessageKey, values?: MessageValues): string;
  /** "0.3 s", "15 мин": a time limit as a reader reads it. */
  duration(ms: number): string;
  /** "64 MB", "512 байт": an output limit as a reader reads it. */
  bytes(count: number): string;
}

export function wordsFor(locale: Locale): Words {
  const ru = locale === 'ru';
  const number = (value: number) => value.toLocaleString(locale);
  return {
    locale,
    say: (key, values) => t(locale, key, values),
    duration(ms) {
      const seconds = ms / 1000;
      if (seconds >= 120) return `${number(Math.round(seconds / 60))} ${ru ? 'мин' : 'min'}`;
      return `${number(Math.round(seconds * 10) / 10)} ${ru ? 'с' : 's'}`;
    },
    bytes(count) {
      if (count >= 1024 * 1024) return `${number(Math.round((count / 1024 / 1024) * 10) / 10)} ${ru ? 'МБ' : 'MB'}`;
      return `${number(count)} ${ru ? 'байт' : 'bytes'}`;
    },
  };
}

export const ENGLISH: Words = wordsFor('en');
