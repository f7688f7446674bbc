/**
 * Pyodide on the book's own origin (src/runtime/browser/python/files.ts): `astro build` copies its
 * files from node_modules/pyodide into dist/pyodide/, and `astro dev` serves them from there at the
 * same address. Never a CDN: the examples run offline and on any static host.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import { PYODIDE_DIR, PYODIDE_FILES } from '../runtime/browser/python/files.ts';

/** node_modules/pyodide, wherever npm put it. */
export function pyodidePackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
}

const TYPES: Record<string, string> = {
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.zip': 'application/zip',
  '.json': 'application/json; charset=utf-8',
};

export default function pyodide(): AstroIntegration {
  let base = '/';
  return {
    name: 'asyncio-book:pyodide',
    hooks: {
      'astro:config:setup': ({ config, command, updateConfig }) => {
        base = config.base.replace(/\/?$/, '/');
        if (command !== 'dev') return;
        const prefix = `${base}${PYODIDE_DIR}`;
        updateConfig({
          vite: {
            plugins: [
              {
                name: 'asyncio-book:pyodide-files',
                configureServer(server) {
                  server.middlewares.use((req, res, next) => {
                    const pathname = (req.url ?? '').split(/[?#]/, 1)[0] ?? '';
                    const name = pathname.startsWith(prefix) ? pathname.slice(prefix.length) : '';
                    if (!(PYODIDE_FILES as readonly string[]).includes(name)) return next();
                    const file = path.join(pyodidePackageDir(), name);
                    res.writeHead(200, {
                      'Content-Type': TYPES[path.extname(name)] ?? 'application/octet-stream',
                      'Content-Length': statSync(file).size,
                      'Cross-Origin-Resource-Policy': 'same-origin',
                    });
                    createReadStream(file).pipe(res);
                  });
                },
              },
            ],
          },
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const target = path.join(fileURLToPath(dir), PYODIDE_DIR);
        await mkdir(target, { recursive: true });
        const from = pyodidePackageDir();
        await Promise.all(PYODIDE_FILES.map((name) => copyFile(path.join(from, name), path.join(target, name))));
        logger.info(`copied ${PYODIDE_FILES.length} files of Pyodide into ${PYODIDE_DIR}`);
      },
    },
  };
}
