// Strings used by the book's own components. Starlight's UI strings come from Starlight itself.
export const locales = ['ru', 'en'] as const;
export type Locale = (typeof locales)[number];

const strings = {
  ru: {
    'since.label': 'После лекции',
    'example.label': 'Пример',
    'example.link': 'Ссылка на этот пример',
    'example.typescript': 'TypeScript (Node)',
    'example.python': 'Python',
    'example.output': 'Вывод',
    'example.recorded': 'Записан при сборке сайта {date}, Node {node}, код выхода {code}',
    'example.unrecorded': 'Запуск ещё не записан: выполните npm run record.',
  },
  en: {
    'since.label': 'Since the lecture',
    'example.label': 'Example',
    'example.link': 'Link to this example',
    'example.typescript': 'TypeScript (Node)',
    'example.python': 'Python',
    'example.output': 'Output',
    'example.recorded': 'Recorded when the site was built, {date}, Node {node}, exit code {code}',
    'example.unrecorded': 'No run recorded yet: run npm run record.',
  },
} satisfies Record<Locale, Record<string, string>>;

export type UiKey = keyof (typeof strings)['ru'];

/** Astro reports the locale of the page being rendered; anything but English is the Russian root. */
export function localeOf(currentLocale: string | undefined): Locale {
  return currentLocale === 'en' ? 'en' : 'ru';
}

/** A UI string, with `{name}` placeholders filled from `values`. */
export function t(locale: Locale, key: UiKey, values: Record<string, string | number> = {}): string {
  return strings[locale][key].replace(/\{(\w+)\}/g, (match, name: string) => String(values[name] ?? match));
}
