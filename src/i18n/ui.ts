// Strings used by the book's own components. Starlight's UI strings come from Starlight itself.
export const locales = ['ru', 'en'] as const;
export type Locale = (typeof locales)[number];

const strings = {
  ru: {
    'since.label': 'После лекции',
    'example.label': 'Пример',
    'example.link': 'Ссылка на этот пример',
  },
  en: {
    'since.label': 'Since the lecture',
    'example.label': 'Example',
    'example.link': 'Link to this example',
  },
} satisfies Record<Locale, Record<string, string>>;

export type UiKey = keyof (typeof strings)['ru'];

/** Astro reports the locale of the page being rendered; anything but English is the Russian root. */
export function localeOf(currentLocale: string | undefined): Locale {
  return currentLocale === 'en' ? 'en' : 'ru';
}

export function t(locale: Locale, key: UiKey): string {
  return strings[locale][key];
}
