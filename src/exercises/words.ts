/**
 * The sentences an exercise says, as the page wrote them into its data (Exercise.astro puts this
 * locale's "exercise.*" and "check.*" strings there), so no page script loads the whole table.
 */
import { fillSlots } from '../i18n/fill.ts';

/** The page's sentences, by their ui.ts key ("exercise.fixed", "check.ticks.late", …). */
export type Words = Record<string, string>;

/** The sentence for `key` with its figures; an unknown key is shown as itself, never as nothing. */
export function say(words: Words, key: string, values: Record<string, string | number> = {}): string {
  return fillSlots(words[key] ?? key, values);
}
