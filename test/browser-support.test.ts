/**
 * Which browsers get a WebContainer (src/runtime/browser-support.ts), from the facts of real
 * browsers' user agents, and the link a reader is offered when the answer is no
 * (src/sandbox/action-link.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mayWarmUp, webContainerSupport, type BrowserFacts } from '../src/runtime/browser-support.ts';
import { actionLink } from '../src/sandbox/action-link.ts';
import { ENGLISH } from '../src/runtime/messages.ts';

const PAGE = 'https://book.example/en/how-asyncio-works/';
const UA = {
  chrome: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeOnMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  firefox: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:133.0) Gecko/20100101 Firefox/133.0',
  safari17: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  safari16_3: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.3 Safari/605.1.15',
  iphone: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  // iPadOS asks for the desktop site: its Safari says "Macintosh"; only the touch screen tells.
  ipad: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
  android: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
};

function facts(overrides: Partial<BrowserFacts> = {}): BrowserFacts {
  return {
    href: PAGE,
    inFrame: false,
    crossOriginIsolated: true,
    sharedArrayBuffer: true,
    serviceWorker: true,
    atomicsWaitAsync: true,
    userAgent: UA.chrome,
    platform: 'Linux x86_64',
    maxTouchPoints: 0,
    requested: false,
    saveData: false,
    ...overrides,
  };
}

const reason = (given: Partial<BrowserFacts>) => {
  const support = webContainerSupport(facts(given));
  return support.ok ? 'ok' : ENGLISH.say(support.key);
};

describe('which browsers get a WebContainer', () => {
  it('desktop Chromium, Firefox and Safari 16.4 or later: yes', () => {
    assert.equal(reason({}), 'ok');
    assert.equal(reason({ userAgent: UA.chromeOnMac, platform: 'MacIntel', atomicsWaitAsync: true }), 'ok');
    // The Safari check is for Safari: a Firefox without Atomics.waitAsync still gets one (in beta).
    assert.equal(reason({ userAgent: UA.firefox, platform: 'MacIntel', atomicsWaitAsync: false }), 'ok');
    assert.equal(reason({ userAgent: UA.safari17, platform: 'MacIntel' }), 'ok');
  });

  it('Safari before 16.4 (no Atomics.waitAsync): no, and it says why', () => {
    assert.match(reason({ userAgent: UA.safari16_3, platform: 'MacIntel', atomicsWaitAsync: false }), /Safari is too old.*16\.4/);
  });

  it('iPhone and iPad: only on the reader’s explicit request, with a link that asks for it', () => {
    for (const device of [
      { userAgent: UA.iphone, platform: 'iPhone', maxTouchPoints: 5 },
      { userAgent: UA.ipad, platform: 'MacIntel', maxTouchPoints: 5 },
    ]) {
      const support = webContainerSupport(facts(device));
      assert.ok(!support.ok);
      assert.match(ENGLISH.say(support.key), /iPhone and iPad .* only when the reader asks/);
      assert.deepEqual(support.action, { kind: 'run-on-request', href: `${PAGE}?runtime=webcontainer` });
      assert.equal(reason({ ...device, requested: true }), 'ok', '?runtime=webcontainer: the reader asked');
    }
    assert.equal(reason({ userAgent: UA.safari17, platform: 'MacIntel', maxTouchPoints: 0 }), 'ok', 'a Mac without a touch screen is a Mac');
  });

  it('inside a frame: its own reason (isolation cannot hold there), with a link that opens the page on its own', () => {
    const support = webContainerSupport(facts({ inFrame: true, crossOriginIsolated: false }));
    assert.ok(!support.ok);
    assert.match(ENGLISH.say(support.key), /inside another page \(in a frame\)/);
    assert.deepEqual(support.action, { kind: 'open-in-new-tab', href: PAGE });
  });

  it('a page without the isolation headers, or a browser without SharedArrayBuffer or service workers: no', () => {
    assert.match(reason({ crossOriginIsolated: false }), /not cross-origin isolated/);
    assert.match(reason({ sharedArrayBuffer: false }), /does not support WebContainers/);
    assert.match(reason({ serviceWorker: false }), /does not support WebContainers/);
  });

  it('boots ahead of the first Run only on a desktop browser that gets one, and not when the reader saves data', () => {
    assert.equal(mayWarmUp(facts()), true);
    assert.equal(mayWarmUp(facts({ userAgent: UA.android, platform: 'Linux armv8l', maxTouchPoints: 5 })), false, 'not on a phone');
    assert.equal(mayWarmUp(facts({ userAgent: UA.iphone, platform: 'iPhone', maxTouchPoints: 5, requested: true })), false, 'not on iOS, even on request');
    assert.equal(mayWarmUp(facts({ saveData: true })), false);
    assert.equal(mayWarmUp(facts({ crossOriginIsolated: false })), false);
  });
});

describe('the link next to the reason', () => {
  it('opens this site’s page in a new tab, at the example', () => {
    assert.deepEqual(actionLink({ kind: 'open-in-new-tab', href: PAGE }, PAGE, '07-execution-order'), {
      href: `${PAGE}#example-07-execution-order`,
      label: 'example.openInNewTab',
      newTab: true,
    });
  });

  it('asks for the WebContainer in place, at the example', () => {
    assert.deepEqual(actionLink({ kind: 'run-on-request', href: `${PAGE}?runtime=webcontainer` }, PAGE, '02-scraper-async'), {
      href: `${PAGE}?runtime=webcontainer#example-02-scraper-async`,
      label: 'example.runOnRequest',
      newTab: false,
    });
  });

  it('never points anywhere but this site', () => {
    for (const href of ['javascript:alert(1)', 'https://elsewhere.example/', 'data:text/html,<b>x</b>', '//elsewhere.example/page']) {
      assert.equal(actionLink({ kind: 'open-in-new-tab', href }, PAGE, '01-scraper-sync'), null, href);
    }
    assert.equal(actionLink(undefined, PAGE, '01-scraper-sync'), null);
  });
});
