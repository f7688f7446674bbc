/**
 * Turns a program's files into modules the worker can import: every file becomes a blob: URL, and
 * every import in it is pointed at what it names: another file of the program, or one of the
 * layer's built-in modules (`node:process`, `node:http`, …; ./builtins.ts). An import of anything
 * else (a package, a built-in the layer does not have, a name a built-in does not export) is found
 * here, before anything runs, and named in one line. Specifiers are replaced in place, so lines and
 * columns stay those of the reader's file; `import.meta` becomes an object with the file's path as
 * its `url` (as Node's), declared at the start of the first line.
 * es-module-lexer finds the imports: it is what Vite uses for the same job, small and exact.
 */
import { init, parse } from 'es-module-lexer';

export interface Builtins {
  /** The module's URL, or null when the layer has no such module. `name` as written (`node:os`, `os`). */
  url(name: string): string | null;
  /** The names the module exports, to check named imports against. */
  exports(name: string): readonly string[] | null;
}

export type LinkResult =
  /** `shifts`: characters put before each file's first line (its columns there are that much further right). */
  | { ok: true; entryUrl: string; urls: Map<string, string>; shifts: Map<string, number> }
  | { ok: false; missing: string };

export interface LinkOptions {
  files: Record<string, string>;
  entry: string;
  /** Where the files are, as the program sees it, e.g. `/book/07-execution-order`. */
  root: string;
  builtins: Builtins;
  /** Code to run first in the entry, before the program's own (put on its first line). */
  entryPrelude?: string;
  /** Makes a module URL of a source (URL.createObjectURL of a Blob in the worker). */
  moduleUrl(source: string): string;
}

/** Starts compiling the lexer (WebAssembly) before a program arrives; `link` waits for it anyway. */
export function prepareLinker(): void {
  void init();
}

export async function link(options: LinkOptions): Promise<LinkResult> {
  await init();
  const urls = new Map<string, string>(); // file name → its module URL
  const shifts = new Map<string, number>();
  const linking = new Set<string>();

  const visit = (name: string): string | { missing: string } => {
    const done = urls.get(name);
    if (done) return done;
    if (linking.has(name)) return { missing: `${name} (a circular import between the program's files)` };
    const source = options.files[name];
    if (source === undefined) return { missing: `./${name}` };
    linking.add(name);
    const [imports] = parse(source, name);
    let out = '';
    let last = 0;
    let meta = false;
    for (const entry of imports) {
      if (entry.type === 'import-meta') {
        meta = true;
        out += source.slice(last, entry.start) + '__bookImportMeta';
        last = entry.end;
        continue;
      }
      const specifier = entry.specifier;
      if (specifier === undefined) continue; // import(expression): resolved, or not, when it runs
      let target: string | { missing: string };
      if (/^\.{0,2}\//.test(specifier)) target = visit(resolve(name, specifier));
      else {
        const url = options.builtins.url(specifier);
        if (!url) target = { missing: specifier };
        else {
          target = url;
          if (entry.type === 'static') {
            const unknown = namedImports(source.slice(entry.importStart, entry.importEnd)).find((n) => !options.builtins.exports(specifier)?.includes(n));
            if (unknown) target = { missing: `${specifier.replace(/^node:/, '')}.${unknown}` };
          }
        }
      }
      if (typeof target !== 'string') return target;
      // A static import's range is the specifier inside its quotes; a dynamic one's includes them.
      out += source.slice(last, entry.start) + (entry.type === 'dynamic' ? JSON.stringify(target) : target);
      last = entry.end;
    }
    out += source.slice(last);
    let prefix = name === options.entry ? (options.entryPrelude ?? '') : '';
    if (meta) {
      const path = `${options.root}/${name}`;
      prefix += `const __bookImportMeta = { url: ${JSON.stringify(`file://${path}`)}, filename: ${JSON.stringify(path)}, dirname: ${JSON.stringify(path.replace(/\/[^/]*$/, ''))} };`;
    }
    out = prefix + out;
    shifts.set(name, prefix.length);
    linking.delete(name);
    const url = options.moduleUrl(out);
    urls.set(name, url);
    return url;
  };

  const entryUrl = visit(options.entry);
  if (typeof entryUrl !== 'string') return { ok: false, missing: entryUrl.missing };
  return { ok: true, entryUrl, urls, shifts };
}

/** `a/b.js` importing `../c.js` → `c.js`. */
function resolve(from: string, specifier: string): string {
  const parts = specifier.startsWith('/') ? [] : from.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

/** The names an import statement takes by name: `import x, { a, b as c } from` → a, b. */
export function namedImports(statement: string): string[] {
  const clause = /^import\s*(?:[\w$]+\s*,\s*)?\{([^}]*)\}/.exec(statement.trim());
  if (!clause) return [];
  return clause[1]
    .split(',')
    .map((part) => part.trim().split(/\s+as\s+/)[0].trim())
    .filter((name) => name !== '' && name !== 'default');
}
