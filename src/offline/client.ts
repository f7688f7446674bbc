/**
 * The page's side of the offline copy (the worker: src/integrations/offline.ts). Registers the
 * service worker through Workbox's window library, and says two things in a note at the bottom of
 * the screen, in the page's language:
 * - while the network is gone and the worker serves the page: that this is the kept copy;
 * - when a new build's worker is ready: that a new version is out, with a button to reload.
 * The new worker takes over only from that button (or once every tab of the old one is closed);
 * every tab the old one controlled then reloads, so none goes on with one version's page and the
 * other's scripts. Not on the embed pages, which live inside other sites' pages.
 */
import { Workbox } from 'workbox-window';
import type { Locale, UiKey } from '../i18n/ui.ts';
import { isEmbedPath } from '../runtime/isolation.ts';
import { SERVICE_WORKER } from './constants.ts';
import { OfflineNote } from './note.ts';

/** The note's words (`offline.*` of src/i18n/ui.ts) in each language, from the build. */
export type OfflineWords = Record<Locale, Record<string, string>>;

export function start(words: OfflineWords): void {
  if (!('serviceWorker' in navigator) || isEmbedPath(location.pathname)) return;
  const said = words[document.documentElement.lang === 'en' ? 'en' : 'ru'];
  const say = (key: UiKey & `offline.${string}`) => said[key] ?? key;
  const note = new OfflineNote(document);
  const base = import.meta.env.BASE_URL.replace(/\/?$/, '/');
  const workbox = new Workbox(`${base}${SERVICE_WORKER}`, { scope: base });

  // A reload for a change of worker, not for the first one: that one takes over at the next page.
  const updating = Boolean(navigator.serviceWorker.controller);
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (updating) location.reload();
  });
  workbox.addEventListener('waiting', () => {
    note.offer(say('offline.update'), say('offline.reload'), say('offline.later'), () => workbox.messageSkipWaiting());
  });

  const sayWhetherOffline = () => note.offline(!navigator.onLine && Boolean(navigator.serviceWorker.controller) ? say('offline.copy') : '');
  addEventListener('online', sayWhetherOffline);
  addEventListener('offline', sayWhetherOffline);
  sayWhetherOffline();

  void workbox.register().catch((error: unknown) => console.warn('The offline copy is not available:', error));
}
