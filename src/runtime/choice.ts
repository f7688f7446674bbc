/**
 * Which live runtime runs this page's examples, decided once per page: the book's own server when
 * it serves the page (works offline), else a WebContainer where the page can have one. When none
 * can, the promise rejects with RuntimeUnavailable, whose words say why, and the run session shows
 * the recording instead. `?runtime=webcontainer|local|recorded` overrides the choice, for teachers
 * and for tests.
 */
import { connectLocalRuntime } from './local/client.ts';
import type { Words } from './messages.ts';
import { stripTypes } from './strip-types.ts';
import { RuntimeUnavailable, type Runtime } from './types.ts';
import { createWebContainerRuntime } from './webcontainer.ts';

let choice: Promise<Runtime> | undefined;

export function chooseRuntime(words: Words): Promise<Runtime> {
  choice ??= decide(words);
  return choice;
}

async function decide(words: Words): Promise<Runtime> {
  const wanted = new URLSearchParams(location.search).get('runtime');
  if (wanted === 'recorded') throw new RuntimeUnavailable(words.say('runtime.requested'), null);
  if (wanted !== 'webcontainer') {
    const local = await connectLocalRuntime({ words }).catch(() => null);
    if (local) return local;
    if (wanted === 'local') throw new RuntimeUnavailable(words.say('runtime.noLocal'), 'local');
  }
  if (!globalThis.crossOriginIsolated) throw new RuntimeUnavailable(words.say('runtime.notIsolated'), 'webcontainer');
  if (typeof SharedArrayBuffer === 'undefined' || !('serviceWorker' in navigator)) {
    throw new RuntimeUnavailable(words.say('runtime.unsupported'), 'webcontainer');
  }
  return createWebContainerRuntime({
    words,
    boot: async () => (await import('@webcontainer/api')).WebContainer.boot(),
    supportFiles: async () => {
      const { default: imageServer } = await import('../../content/examples/_support/image-server.ts?raw');
      return { 'image-server.js': stripTypes(imageServer, 'image-server.ts') };
    },
  });
}
