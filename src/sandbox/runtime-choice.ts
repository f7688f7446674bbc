/**
 * Which runtime runs this page's examples, decided once per page: the book's own server when it
 * serves the page (works offline), else a WebContainer, else none, with the reason in words.
 * `?runtime=webcontainer|local|recorded` overrides the choice, for teachers and for tests.
 */
import type { Runtime } from '~/runtime/types';
import { connectLocalRuntime } from '~/runtime/local/client';
import { createWebContainerRuntime } from '~/runtime/webcontainer';
import { stripTypes } from '~/runtime/strip-types';
import type { UiKey } from '~/i18n/ui';

export type RuntimeChoice = { runtime: Runtime } | { runtime: null; reason: UiKey };

let choice: Promise<RuntimeChoice> | undefined;

export function chooseRuntime(): Promise<RuntimeChoice> {
  choice ??= decide();
  return choice;
}

async function decide(): Promise<RuntimeChoice> {
  const wanted = new URLSearchParams(location.search).get('runtime');
  if (wanted === 'recorded') return { runtime: null, reason: 'reason.recordedRequested' };
  if (wanted !== 'webcontainer') {
    const local = await connectLocalRuntime().catch(() => null);
    if (local) return { runtime: local };
    if (wanted === 'local') return { runtime: null, reason: 'reason.noLocal' };
  }
  if (!globalThis.crossOriginIsolated) return { runtime: null, reason: 'reason.notIsolated' };
  if (typeof SharedArrayBuffer === 'undefined' || !('serviceWorker' in navigator)) {
    return { runtime: null, reason: 'reason.unsupported' };
  }
  return {
    runtime: createWebContainerRuntime({
      boot: async () => (await import('@webcontainer/api')).WebContainer.boot(),
      supportFiles: async () => {
        const { default: imageServer } = await import('../../content/examples/_support/image-server.ts?raw');
        return { 'image-server.js': stripTypes(imageServer, 'image-server.ts') };
      },
    }),
  };
}
