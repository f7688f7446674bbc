/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) copy beside each text file of the build, as hosts that
 * serve precompressed files want them (nginx's gzip_static and brotli_static, Caddy's precompressed), so
 * that `npm start`'s server (scripts/serve.ts, sirv with `brotli` and `gzip`) sends compressed
 * responses too: Lighthouse's `uses-text-compression` failed on every page without them (issue 15).
 *
 * Only files worth it get a copy: text types, at least MIN_BYTES, that shrink by at least 10 %.
 * Node's own zlib does the work, so this adds no dependency. Runs last, after the files are final
 * (Pagefind's index, the sitemap).
 */
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { AstroIntegration } from 'astro';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** The types worth compressing; Pagefind's fragments and index are compressed already. */
export const COMPRESSIBLE = /\.(html|css|js|mjs|json|svg|xml|txt|map|webmanifest|wasm)$/i;
export const MIN_BYTES = 1024;

export interface Compressed {
  files: number;
  bytes: number;
  brotliBytes: number;
}

/** Compresses every eligible file under `dir` (both copies, or neither when it does not pay). */
export async function precompress(dir: string): Promise<Compressed> {
  const result: Compressed = { files: 0, bytes: 0, brotliBytes: 0 };
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (!entry.isFile() || !COMPRESSIBLE.test(file) || (await stat(file)).size < MIN_BYTES) continue;
    const content = await readFile(file);
    const br = await brotli(content, {
      params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: content.length },
    });
    if (br.length > content.length * 0.9) continue;
    await writeFile(`${file}.br`, br);
    await writeFile(`${file}.gz`, await gzip(content, { level: 9 }));
    result.files++;
    result.bytes += content.length;
    result.brotliBytes += br.length;
  }
  return result;
}

export default function precompressIntegration(): AstroIntegration {
  return {
    name: 'asyncio-book:precompress',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const started = performance.now();
        const { files, bytes, brotliBytes } = await precompress(fileURLToPath(dir));
        const kb = (n: number) => `${Math.round(n / 1024).toLocaleString('en')} KB`;
        logger.info(`${files} files: ${kb(bytes)} → ${kb(brotliBytes)} brotli, with gzip copies, in ${((performance.now() - started) / 1000).toFixed(1)} s`);
      },
    },
  };
}
