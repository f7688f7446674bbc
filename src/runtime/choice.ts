/**
 * Which live runtime runs this page's examples, decided once per page:
 * 1. the book's own server when it serves the page and this tab has its token (works offline);
 * 2. else a WebContainer where the page can have one (./browser-support.ts: isolated, not in a
 *    frame, a browser that qualifies);
 * 3. else this page itself (./browser/runtime.ts), which runs everywhere: on a plain static host,
 *    in Firefox and Safari, inside a course page's frame. A WebContainer that fails or times out
 *    falls back to it too, with the reason printed first.
 * The recording is what the run session shows only when nothing live can run. The reader can pick
 * among these with the control by the status line (./preference.ts, kept in localStorage), and `?runtime=local|
 * webcontainer|browser|recorded` overrides the choice for one address, for teachers and tests. A page
 * served by the book's server but opened without its token says once how to run examples locally.
 */
import { browserFacts, webContainerSupport } from './browser-support.ts';
import { connectLocalRuntime } from './local/client.ts';
import { tabToken } from './local/token.ts';
import type { Words } from './messages.ts';
import { PYODIDE_DIR, pyodideLabel } from './browser/python/files.ts';
import { PREFERENCE_EVENT, preferenceFromAddress, runtimePreference, type RuntimePreference } from './preference.ts';
import { RuntimeUnavailable, type Runtime } from './types.ts';
import { createWebContainerRuntime } from './webcontainer.ts';

let choice: Promise<Runtime> | undefined;
let browser: Runtime | undefined;
/** A pick made on this page (it holds even where storage is turned off). */
let picked: RuntimePreference | undefined;

addEventListener(PREFERENCE_EVENT, (event) => {
  picked = (event as CustomEvent<RuntimePreference>).detail;
  choice = undefined; // the next Run decides again
});

const preference = (): RuntimePreference => preferenceFromAddress() ?? picked ?? runtimePreference();

export function chooseRuntime(words: Words): Promise<Runtime> {
  choice ??= decide(words, preference());
  return choice;
}

/**
 * Boots the page's runtime ahead of the first Run (../sandbox/warm-up.ts calls it when the first
 * example comes into view, on a browser that should). Never throws: the first Run reports.
 */
export function warmUpRuntime(words: Words): void {
  void chooseRuntime(words).then(
    (runtime) => runtime.warmUp?.(),
    () => {},
  );
}

/**
 * What runs when `failed` could not: the page itself after a WebContainer (unless the reader asked
 * for the WebContainer), else nothing live (the session then shows the recording).
 */
export function fallbackRuntime(failed: RuntimeUnavailable, words: Words): Runtime | undefined {
  if (failed.runtime !== 'webcontainer' || preference() === 'webcontainer') return undefined;
  return withNote(browserRuntime(words), words.say('runtime.browser.instead', { reason: capitalized(failed.message) }));
}

async function decide(words: Words, wanted: RuntimePreference): Promise<Runtime> {
  if (wanted === 'recorded') throw new RuntimeUnavailable(words.say(preferenceFromAddress() ? 'runtime.requested' : 'runtime.picked'), null);
  if (wanted === 'browser') return browserRuntime(words);
  /** Why the book's own server, which serves this page, cannot run for this tab. */
  let localHint: RuntimeUnavailable | undefined;
  if (wanted !== 'webcontainer') {
    try {
      const local = await connectLocalRuntime({ words, token: tabToken() });
      if (local) return local;
    } catch (error) {
      if (!(error instanceof RuntimeUnavailable)) throw error;
      localHint = error;
    }
    if (wanted === 'local') throw localHint ?? new RuntimeUnavailable(words.say('runtime.noLocal'), 'local');
  }
  const withHint = (error: RuntimeUnavailable) =>
    localHint ? new RuntimeUnavailable(`${error.message} ${capitalized(localHint.message)}`, error.runtime, error.action) : error;
  const support = webContainerSupport(browserFacts());
  if (!support.ok) {
    const unavailable = withHint(new RuntimeUnavailable(words.say(support.key), 'webcontainer', support.action));
    if (wanted === 'webcontainer') throw unavailable;
    const inPage = browserRuntime(words);
    return localHint ? withNote(inPage, words.say('runtime.browser.localHint', { hint: capitalized(localHint.message) })) : inPage;
  }
  const webcontainer = createWebContainerRuntime({
    words,
    boot: async (options) => (await import('@webcontainer/api')).WebContainer.boot(options),
    supportFiles: async () => {
      const [{ supportFilesFrom }, { default: imageServer }] = await Promise.all([
        import('./support-files.ts'),
        import('../../content/examples/_support/image-server.ts?raw'),
      ]);
      return supportFilesFrom(imageServer);
    },
  });
  if (!localHint) return webcontainer;
  return {
    ...webcontainer,
    run: (spec, onOutput, options) =>
      webcontainer.run(spec, onOutput, options).catch((error: unknown) => {
        throw error instanceof RuntimeUnavailable ? withHint(error) : error;
      }),
  };
}

/**
 * The page's in-page runtime, one per page (its image server and loopback network are shared by
 * every example on it). Its code, and the worker's, load with the first run that uses it.
 */
function browserRuntime(words: Words): Runtime {
  if (browser) return browser;
  let loaded: Promise<Runtime> | undefined;
  const load = () =>
    (loaded ??= (async () => {
      const [{ createBrowserRuntime }, { supportFilesFrom }, { default: imageServer }] = await Promise.all([
        import('./browser/runtime.ts'),
        import('./support-files.ts'),
        import('../../content/examples/_support/image-server.ts?raw'),
      ]);
      return createBrowserRuntime({
        words,
        createWorker: () => new Worker(new URL('./browser/worker/main.ts', import.meta.url), { type: 'module', name: 'asyncio-book program' }),
        imageServerSource: async () => supportFilesFrom(imageServer)['image-server.js'] as string,
        python: {
          createWorker: () => new Worker(new URL('./browser/python/worker.ts', import.meta.url), { type: 'module', name: 'asyncio-book Python' }),
          indexURL: new URL(`${import.meta.env.BASE_URL.replace(/\/?$/, '/')}${PYODIDE_DIR}`, location.href).href,
        },
      });
    })());
  browser = {
    name: 'browser',
    label: words.say('runtime.browser.label'),
    pythonLabel: pyodideLabel(words),
    run: async (spec, onOutput, options) => (await load()).run(spec, onOutput, options),
  };
  return browser;
}

/** A runtime that first says why it is the one that runs (a system line before the output). */
function withNote(runtime: Runtime, note: string): Runtime {
  return {
    ...runtime,
    run: (spec, onOutput, options) => {
      onOutput(`${note}\n`, 'system');
      return runtime.run(spec, onOutput, options);
    },
  };
}

/** Reasons read as a clause after "No live run here:"; a second one starts its own sentence. */
function capitalized(sentence: string): string {
  return sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);
}
