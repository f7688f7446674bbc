/**
 * The isolation headers are defined once (src/runtime/isolation.ts); the files that static hosts
 * read cannot import it, so this holds them to the same words.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ROOT } from '../src/examples/files.ts';
import { ISOLATION_HEADERS } from '../src/runtime/isolation.ts';

const expected = Object.fromEntries(Object.entries(ISOLATION_HEADERS).map(([name, value]) => [name.toLowerCase(), value]));

describe('isolation headers', () => {
  it('public/_headers (Netlify, Cloudflare Pages) sends exactly them on every path', () => {
    const text = readFileSync(`${ROOT}public/_headers`, 'utf8');
    const blocks = text.split(/\n(?=\S)/).filter((block) => block.trim());
    assert.equal(blocks.length, 1, 'one rule, for every path');
    const [pathLine, ...headerLines] = blocks[0]!.trim().split('\n');
    assert.equal(pathLine?.trim(), '/*');
    const sent = Object.fromEntries(
      headerLines.map((line) => {
        const [name, ...value] = line.split(':');
        return [name!.trim().toLowerCase(), value.join(':').trim()];
      }),
    );
    assert.deepEqual(sent, expected);
  });

  it('vercel.json sends exactly them on every path', () => {
    const config = JSON.parse(readFileSync(`${ROOT}vercel.json`, 'utf8')) as { headers: { source: string; headers: { key: string; value: string }[] }[] };
    assert.equal(config.headers.length, 1);
    assert.equal(config.headers[0]!.source, '/(.*)');
    assert.deepEqual(Object.fromEntries(config.headers[0]!.headers.map(({ key, value }) => [key.toLowerCase(), value])), expected);
  });
});
