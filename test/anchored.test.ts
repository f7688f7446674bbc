import { test } from 'node:test';
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { ANCHORED_ATTRIBUTE, ANCHORED_SCRIPT } from '../src/code-blocks/anchored.ts';

/** A page's head script as the browser would run it, against a stand-in for what it touches. */
function run(hash: string) {
  const attributes = new Set<string>();
  const listeners: Record<string, ((event: unknown) => void)[]> = {};
  const on = (type: string, listener: (event: unknown) => void) => (listeners[type] ??= []).push(listener);
  const scrolled: string[] = [];
  const location = { hash, pathname: '/en/history/' };
  const context = {
    location,
    document: {
      documentElement: { setAttribute: (name: string) => attributes.add(name), hasAttribute: (name: string) => attributes.has(name) },
      addEventListener: on,
      getElementById: (id: string) => ({ scrollIntoView: () => scrolled.push(id) }),
    },
    addEventListener: on,
    Element: class {},
    HTMLAnchorElement: class {},
  };
  // One line, as it goes into every page: a comment inside would swallow the rest of it.
  assert.doesNotMatch(ANCHORED_SCRIPT, /\n/);
  vm.runInNewContext(ANCHORED_SCRIPT, context);
  return { attributes, listeners, scrolled, location };
}

test('a page opened at an anchor is laid out whole from the start', () => {
  assert.ok(run('#example-02-scraper-async').attributes.has(ANCHORED_ATTRIBUTE));
  assert.ok(!run('').attributes.has(ANCHORED_ATTRIBUTE));
  assert.ok(!run('#').attributes.has(ANCHORED_ATTRIBUTE));
});

test('a later change of the anchor lays the page out and scrolls to the anchor again', () => {
  const page = run('');
  page.location.hash = '#cancellation';
  for (const listener of page.listeners.hashchange ?? []) listener({});
  assert.ok(page.attributes.has(ANCHORED_ATTRIBUTE));
  assert.deepEqual(page.scrolled, ['cancellation']);
});
