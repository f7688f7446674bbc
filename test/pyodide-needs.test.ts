/** src/runtime/browser/python/needs.ts: which Python versions the page refuses, and why. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { exampleDir, exampleIds } from '../src/examples/files.ts';
import { pythonNeed } from '../src/runtime/browser/python/needs.ts';

describe('pythonNeed', () => {
  it('sorts the examples: sockets, processes, or nothing a page lacks', () => {
    const needs = Object.fromEntries(exampleIds().map((id) => [id, pythonNeed(readFileSync(path.join(exampleDir(id), 'main.py'), 'utf8'))?.kind ?? 'runs']));
    assert.deepEqual(needs, {
      '01-scraper-sync': 'network',
      '02-scraper-async': 'network',
      '03-fibonacci': 'runs',
      '04-scraper-server': 'network',
      '05-cpu-parallel': 'processes',
      '06-blocked-timer': 'runs',
      '07-execution-order': 'runs',
      '08-async-generator': 'runs',
      '09-collector-styles': 'network',
      '10-bounded-concurrency': 'network',
      '11-cancellation-timeouts': 'network',
      '21-gather-order': 'runs',
      '22-sequential-awaits': 'network',
      '23-yield-points': 'runs',
      '24-cpu-heartbeat': 'runs',
      '25-generator-send': 'runs',
      '26-fire-and-forget': 'runs',
      '27-cancel-cleanup': 'runs',
      '28-lost-update': 'runs',
      '29-pool-completion-order': 'network',
      '30-unbounded-fan-out': 'network',
    });
  });

  it('names what it found, and ignores comments and strings', () => {
    assert.deepEqual(pythonNeed('import asyncio\nfrom aiohttp import web\n'), { kind: 'network', name: 'aiohttp' });
    assert.deepEqual(pythonNeed('await asyncio.to_thread(f)\n'), { kind: 'threads', name: 'asyncio.to_thread' });
    assert.equal(pythonNeed('# import aiohttp\nprint("ProcessPoolExecutor")\nx = 1  # to_thread\n'), null);
  });
});
