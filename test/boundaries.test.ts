/**
 * The line between the page and Node: everything a page can load (the `<script>` of each
 * component, and all it imports, statically or lazily) must be browser code. It may not reach the
 * local runtime's server (src/runtime/local/server/), the Node-only example files
 * (src/examples/files.ts), the build scripts, or any Node built-in module. The page's side and the
 * server's side share only what they both import from src/runtime/local/protocol.ts and friends.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../src/examples/files.ts';

const NODE_ONLY = ['src/runtime/local/server/', 'src/examples/files.ts', 'src/integrations/', 'scripts/'];
const BUILTINS = new Set(builtinModules);

/** Every module specifier a file imports: `import … from`, `import '…'`, `export … from`, `import(…)`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  const patterns = [/\bimport\s+(?:type\s+)?[^'"();]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bexport\s+[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
    // A worker's script: `new Worker(new URL('./worker.ts', import.meta.url))` is bundled for the page too.
    /\bnew URL\(\s*['"]([^'"]+)['"]\s*,\s*import\.meta\.url\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) found.push(match[1]!);
  // `import type` is erased: it never loads anything in the page.
  const typeOnly = new Set([...source.matchAll(/\bimport\s+type\s+[^'"();]*?\bfrom\s*['"]([^'"]+)['"]/g)].map((match) => match[1]!));
  return found.filter((specifier) => !typeOnly.has(specifier));
}

/** A specifier as a file of this repository, or null for a package. */
function resolve(from: string, specifier: string): string | null {
  const bare = specifier.replace(/\?.*$/, '');
  let base: string;
  if (bare.startsWith('~/')) base = path.join(ROOT, 'src', bare.slice(2));
  else if (bare.startsWith('.') || bare.startsWith('/')) base = bare.startsWith('/') ? path.join(ROOT, bare) : path.resolve(path.dirname(from), bare);
  else return null;
  for (const candidate of [base, `${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate) && !candidate.endsWith('/')) return candidate;
  throw new Error(`${path.relative(ROOT, from)}: cannot resolve ${specifier}`);
}

function isNodeBuiltin(specifier: string): boolean {
  // `buffer/index.js`, `events/events.js`: a file of the npm package of that name, which a bundler
  // resolves from node_modules, never Node's built-in.
  if (/^[^/:]+\/.+\.js$/.test(specifier)) return false;
  return specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!);
}

/** Walks what `entries` load; returns each forbidden import with the chain that reaches it. */
function forbiddenImports(entries: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const queue = entries.map((entry) => ({ file: entry, chain: [path.relative(ROOT, entry)] }));
  while (queue.length) {
    const { file, chain } = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const relative = path.relative(ROOT, file);
    if (NODE_ONLY.some((prefix) => relative.startsWith(prefix))) {
      problems.push(`${chain.join(' → ')} (Node-only code)`);
      continue;
    }
    if (!/\.(ts|js|mjs)$/.test(file) || file.includes('?raw')) continue;
    const source = readFileSync(file, 'utf8');
    for (const specifier of specifiers(source)) {
      if (specifier.includes('?raw')) continue; // the text of a file, not code the page runs
      if (isNodeBuiltin(specifier)) {
        problems.push(`${chain.join(' → ')} imports ${specifier}`);
        continue;
      }
      const target = resolve(file, specifier);
      if (target) queue.push({ file: target, chain: [...chain, path.relative(ROOT, target)] });
    }
  }
  return problems;
}

/** The modules each component's client `<script>` imports: what Astro bundles for the page. */
function pageEntries(): string[] {
  const entries: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.astro')) {
        const source = readFileSync(full, 'utf8');
        for (const script of source.matchAll(/<script(?![^>]*type="application\/json")[^>]*>([\s\S]*?)<\/script>/g)) {
          for (const specifier of specifiers(script[1]!)) {
            const target = resolve(full, specifier);
            if (target) entries.push(target);
          }
        }
      }
    }
  };
  walk(path.join(ROOT, 'src'));
  return entries;
}

describe('browser and Node code stay apart', () => {
  it('the page loads the sandbox through a component script', () => {
    const entries = pageEntries().map((file) => path.relative(ROOT, file));
    assert.ok(entries.includes('src/sandbox/element.ts'), `page entries: ${entries.join(', ')}`);
  });

  it('nothing the page loads imports Node-only code or a Node built-in', () => {
    assert.deepEqual(forbiddenImports(pageEntries()), []);
  });

  it('the page side of each runtime, and the run session, are browser code', () => {
    const files = ['session.ts', 'choice.ts', 'recorded.ts', 'webcontainer.ts', 'local/client.ts', 'local/protocol.ts', 'browser/runtime.ts', 'browser/worker/main.ts'].map((file) =>
      path.join(ROOT, 'src/runtime', file),
    );
    assert.deepEqual(forbiddenImports(files), []);
  });

  it('the check sees a forbidden import when there is one, with the chain that reaches it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'boundaries-'));
    try {
      writeFileSync(path.join(dir, 'page.ts'), "import { helper } from './helper.ts';\nimport type { Plan } from './types.ts';\nexport const later = () => import('node:path');\n");
      writeFileSync(path.join(dir, 'helper.ts'), "import { readFileSync } from 'node:fs';\nexport const helper = readFileSync;\n");
      writeFileSync(path.join(dir, 'types.ts'), "import net from 'node:net';\nexport type Plan = typeof net;\n");
      const problems = forbiddenImports([path.join(dir, 'page.ts')]).map((problem) => problem.replace(/^.*?(page\.ts)/, '$1').replace(/[^ ]*(helper\.ts)/, '$1'));
      assert.deepEqual(problems.sort(), ['page.ts imports node:path', 'page.ts → helper.ts imports node:fs']);
      assert.deepEqual(forbiddenImports([path.join(ROOT, 'src/runtime/local/server/handler.ts')]), ['src/runtime/local/server/handler.ts (Node-only code)']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
