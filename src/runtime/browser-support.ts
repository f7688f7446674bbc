/**
 * Whether this page, in this browser, can have a WebContainer, decided from plain facts so that a
 * test can give any browser's. The checks are those working projects make (TutorialKit's
 * `isWebContainerSupported` and `safeBoot`, StackBlitz's browser-support page): Chromium fully,
 * Firefox and Safari 16.4 or later in beta; on iOS and iPadOS only when the reader asks, because a
 * tab there can run out of memory and crash; never inside a frame, where the page's cross-origin
 * isolation cannot hold.
 */
import type { RuntimeMessageKey } from './messages.ts';
import type { UnavailableAction } from './types.ts';

export interface BrowserFacts {
  /** The page's own address. */
  href: string;
  /** `window.top !== window`: shown inside another page. */
  inFrame: boolean;
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  serviceWorker: boolean;
  /** `Atomics.waitAsync`: Safari has it from 16.4 on, the first Safari WebContainers support. */
  atomicsWaitAsync: boolean;
  userAgent: string;
  platform: string;
  maxTouchPoints: number;
  /** The reader asked for it: `?runtime=webcontainer`. */
  requested: boolean;
  /** The reader's browser asks sites to save data (`navigator.connection.saveData`). */
  saveData: boolean;
}

export type Support = { ok: true } | { ok: false; key: RuntimeMessageKey; action?: UnavailableAction };

export function webContainerSupport(facts: BrowserFacts): Support {
  if (facts.inFrame) return { ok: false, key: 'runtime.webcontainer.inFrame', action: { kind: 'open-in-new-tab', href: facts.href } };
  if (appleMobile(facts) && !facts.requested) {
    return { ok: false, key: 'runtime.webcontainer.onRequest', action: { kind: 'run-on-request', href: withRuntime(facts.href) } };
  }
  if (!facts.crossOriginIsolated) return { ok: false, key: 'runtime.notIsolated' };
  if (!facts.sharedArrayBuffer || !facts.serviceWorker) return { ok: false, key: 'runtime.unsupported' };
  if (safari(facts) && !facts.atomicsWaitAsync) return { ok: false, key: 'runtime.webcontainer.oldSafari' };
  return { ok: true };
}

/**
 * Whether to boot the WebContainer before the first Run, as soon as an example is in view: only on
 * a desktop browser that can have one, and not when the reader asks sites to save data (a boot
 * loads StackBlitz's runtime whether or not anything is run).
 */
export function mayWarmUp(facts: BrowserFacts): boolean {
  return webContainerSupport(facts).ok && !appleMobile(facts) && !/Android|Mobi/.test(facts.userAgent) && !facts.saveData;
}

/** iPhone, iPad (whose Safari says "Macintosh", but has a touch screen) and iPod. */
function appleMobile({ userAgent, platform, maxTouchPoints }: BrowserFacts): boolean {
  return /iPhone|iPad|iPod/.test(userAgent) || /^(iPhone|iPad|iPod)/.test(platform) || (platform === 'MacIntel' && maxTouchPoints > 1);
}

/** Safari itself: every Chromium and Firefox on a Mac says "Safari" in its user agent too. */
function safari({ userAgent }: BrowserFacts): boolean {
  return /Safari\//.test(userAgent) && !/Chrome\/|Chromium\/|CriOS\/|Firefox\/|FxiOS\/|Edg\//.test(userAgent);
}

/** The same page with `?runtime=webcontainer`: the reader's explicit request. */
function withRuntime(href: string): string {
  const url = new URL(href);
  url.searchParams.set('runtime', 'webcontainer');
  return url.href;
}

/** What this page and this browser are (in the page; tests give their own facts). */
export function browserFacts(): BrowserFacts {
  let inFrame: boolean;
  try {
    inFrame = window.top !== window.self;
  } catch {
    inFrame = true; // a parent that will not even be compared is certainly another page
  }
  const connection = (navigator as Navigator & { connection?: { saveData?: boolean } }).connection;
  return {
    href: location.href,
    inFrame,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer !== 'undefined',
    serviceWorker: 'serviceWorker' in navigator,
    atomicsWaitAsync: typeof (Atomics as { waitAsync?: unknown }).waitAsync === 'function',
    userAgent: navigator.userAgent,
    // Deprecated, but the one way to tell an iPad (whose Safari says "Macintosh") from a Mac; Safari has no userAgentData.
    platform: navigator.platform,
    maxTouchPoints: navigator.maxTouchPoints,
    requested: new URLSearchParams(location.search).get('runtime') === 'webcontainer',
    saveData: connection?.saveData === true,
  };
}
