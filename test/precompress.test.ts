/** The build's brotli and gzip copies: for text files that are worth it, and exactly the original inside. */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import zlib from 'node:zlib';
import { precompress } from '../src/integrations/precompress.ts';

describe('precompress', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'precompress-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes .br and .gz beside large text files, and nothing for small, binary or incompressible ones', async () => {
    const page = '<p>asyncio</p>\n'.repeat(500);
    mkdirSync(path.join(dir, 'en', '_astro'), { recursive: true });
    writeFileSync(path.join(dir, 'en', 'index.html'), page);
    writeFileSync(path.join(dir, 'en', '_astro', 'small.js'), 'console.log(1)');
    // Random bytes under a text name: brotli cannot take 10 % off them, so they get no copy.
    writeFileSync(path.join(dir, 'en', 'noise.txt'), randomBytes(4000));
    writeFileSync(path.join(dir, 'image.png'), Buffer.alloc(5000, 7));

    const result = await precompress(dir);
    const html = path.join(dir, 'en', 'index.html');
    assert.equal(zlib.brotliDecompressSync(readFileSync(`${html}.br`)).toString(), page);
    assert.equal(zlib.gunzipSync(readFileSync(`${html}.gz`)).toString(), page);
    assert.equal(existsSync(path.join(dir, 'en', '_astro', 'small.js.br')), false, 'under 1 KB: not worth a copy');
    assert.equal(existsSync(path.join(dir, 'image.png.br')), false, 'not a text type');
    assert.equal(existsSync(path.join(dir, 'en', 'noise.txt.br')), false, 'incompressible: no copy');
    assert.equal(result.files, 1);
    assert.ok(readFileSync(`${html}.br`).length < page.length / 20, 'a repetitive page shrinks to a few per cent');
    assert.ok(result.brotliBytes < result.bytes);
  });
});
