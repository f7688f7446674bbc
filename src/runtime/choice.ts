/**
 * Which live runtime runs this page's examples, decided once per page: the book's own server when
 * it serves the page and this tab has its token (works offline), else a WebContainer where the page
 * can have one (./browser-support.ts). When none can, the promise rejects with RuntimeUnavailable,
 * whose words say why (and, where the reader can do something about it, offer a link), and the run
 * session shows the recording instead. A page served by the book's server but opened without the
 * token reads as the deployed book does, plus one sentence on how to run examples locally.
 * `?runtime=webcontainer|local|recorded` overrides the choice, for teachers and for tests.
 */
import { browserFacts, webContainerSupport } from './browser-support.ts';
import { connectLocalRuntime } from './local/client.ts';
import { tabToken } from './local/token.ts';
import type { Words } from './messages.ts';
import { RuntimeUnavailable, type Runtime } from './types.ts';
import { createWebContainerRuntime } from './webcontainer.ts';

let choice: Promise<Runtime> | undefined;

export function chooseRuntime(words: Words): Promise<Runtime> {
  choice ??= decide(words);
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

async function decide(words: Words): Promise<Runtime> {
  const wanted = new URLSearchParams(location.search).get('runtime');
  if (wanted === 'recorded') throw new RuntimeUnavailable(words.say('runtime.requested'), null);
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
  if (!support.ok) throw withHint(new RuntimeUnavailable(words.say(support.key), 'webcontainer', support.action));
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

/** Reasons read as a clause after "No live run here:"; a second one starts its own sentence. */
function capitalized(sentence: string): string {
  return sentence.charAt(0).toLocaleUpperCase() + sentence.slice(1);
}
