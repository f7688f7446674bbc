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
    'example.edit': 'Редактировать',
    'example.run': 'Запустить',
    'example.stop': 'Остановить',
    'example.reset': 'Сбросить',
    'example.undoReset': 'Вернуть правки',
    'example.edited': 'изменён',
    'example.copy': 'Копировать вывод',
    'example.copied': 'Вывод скопирован',
    'example.editorLabel': 'Код примера {title} на TypeScript',
    'example.shortcut': 'Ctrl+Enter или ⌘+Enter — запустить',
    'example.live': 'Живой запуск: {runtime}',
    'status.recorded': 'Показан вывод, записанный при сборке сайта.',
    'status.starting': 'Запуск ({runtime})…',
    'status.running': 'Выполняется в {runtime} · {elapsed} с',
    'status.exited': 'Завершилась с кодом {code} за {elapsed} с · {runtime}',
    'status.stopped': 'Остановлена через {elapsed} с · {runtime}',
    'status.syntax': 'Синтаксическая ошибка в строке {line}, столбце {column}: {message}. Программа не запускалась.',
    'status.fallback': 'Живой запуск недоступен: {reason} Показан вывод, записанный при сборке.',
    'status.failed': 'Не удалось запустить: {reason}',
    'reason.recordedRequested': 'в адресе указано ?runtime=recorded.',
    'reason.noLocal': 'страница открыта не с сервера книги (npm start или npm run dev), поэтому локального Node нет.',
    'reason.notIsolated': 'страница не изолирована (сервер не прислал заголовки COOP/COEP), а WebContainer без этого не работает.',
    'reason.unsupported': 'этот браузер не поддерживает WebContainer.',
    'reason.webcontainer': 'WebContainer не запустился. {detail}',
    'output.dropped': 'Показаны последние строки; {count} более ранних строк пропущено.',
    'output.syntax': 'SyntaxError: {message} (main.ts:{line}:{column})',
    'server.user': 'Пользователь',
    'server.delay': 'Задержка картинки, мс',
    'server.scrape': 'Загрузить картинки',
    'server.cancel': 'Отменить загрузки',
    'server.responses': 'Ответы сервера',
    'server.hint': 'Сервер запущен: отправьте ему запросы от имени пользователя. Каждый запрос выполняет отдельный клиентский процесс в той же песочнице.',
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
    'example.edit': 'Edit',
    'example.run': 'Run',
    'example.stop': 'Stop',
    'example.reset': 'Reset',
    'example.undoReset': 'Undo reset',
    'example.edited': 'edited',
    'example.copy': 'Copy output',
    'example.copied': 'Output copied',
    'example.editorLabel': 'TypeScript code of the example {title}',
    'example.shortcut': 'Ctrl+Enter or ⌘+Enter runs it',
    'example.live': 'Live run: {runtime}',
    'status.recorded': 'Showing the output recorded when the site was built.',
    'status.starting': 'Starting ({runtime})…',
    'status.running': 'Running in {runtime} · {elapsed} s',
    'status.exited': 'Exited with code {code} after {elapsed} s · {runtime}',
    'status.stopped': 'Stopped after {elapsed} s · {runtime}',
    'status.syntax': 'Syntax error at line {line}, column {column}: {message}. Nothing was run.',
    'status.fallback': 'No live run here: {reason} Showing the output recorded when the site was built.',
    'status.failed': 'Could not run: {reason}',
    'reason.recordedRequested': 'the address asks for ?runtime=recorded.',
    'reason.noLocal': 'the page is not served by the book’s own server (npm start or npm run dev), so there is no local Node.',
    'reason.notIsolated': 'the page is not cross-origin isolated (the server sent no COOP/COEP headers), and a WebContainer needs that.',
    'reason.unsupported': 'this browser does not support WebContainers.',
    'reason.webcontainer': 'the WebContainer did not start. {detail}',
    'output.dropped': 'Showing the last lines; {count} earlier lines were dropped.',
    'output.syntax': 'SyntaxError: {message} (main.ts:{line}:{column})',
    'server.user': 'User',
    'server.delay': 'Delay per image, ms',
    'server.scrape': 'Scrape images',
    'server.cancel': 'Cancel downloads',
    'server.responses': 'Server responses',
    'server.hint': 'The server is running: send it requests as a user. Each request is made by a separate client process in the same sandbox.',
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
