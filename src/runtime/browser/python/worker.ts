/**
 * The in-page Python runtime's worker: one per run. It loads Pyodide from the book's own origin as
 * soon as it exists (the page keeps a spare, so a later run finds it loaded), then runs one
 * program with ./driver.py, synchronously: the program has the worker's thread to itself, as a
 * CPython process has its own, and the page ends the worker on Stop (`terminate()` ends even
 * `while True: pass`), at the time limit and after the exit.
 *
 * Confinement: a worker has no DOM and no access to the page's objects or storage; before the
 * program runs, what Pyodide's `js` module would still reach of the origin's data or of the page
 * is taken away, as the JavaScript runtime's worker does (../worker/main.ts): IndexedDB, the Cache
 * API, fetch, XMLHttpRequest, WebSocket, workers, and this worker's own line to the page.
 */
import type { PyodideAPI } from 'pyodide';
import type { PythonCommand, PythonEvent } from '../protocol.ts';
import driver from './driver.py?raw';

interface WorkerScope {
  postMessage(message: unknown): void;
  onmessage: ((event: MessageEvent<PythonCommand>) => void) | null;
}
const scope = self as unknown as WorkerScope;
// Bound now: confine() takes postMessage away from the program's reach before it runs.
const postMessage = scope.postMessage.bind(scope);
const post = (event: PythonEvent) => postMessage(event);

/** Where the reader's files are, and the program's working directory. */
const ROOT = '/book';

let loading: Promise<PyodideAPI> | undefined;

async function load(indexURL: string): Promise<PyodideAPI> {
  const started = performance.now();
  // The loader is a file of the site, not part of this bundle: it loads its siblings from indexURL.
  const { loadPyodide } = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as typeof import('pyodide');
  const pyodide = await loadPyodide({ indexURL, packages: [], env: { HOME: ROOT } });
  const python = String(pyodide.runPython('import platform; platform.python_version()'));
  post({ type: 'ready', python, loadMs: Math.round(performance.now() - started) });
  return pyodide;
}

function streamTo(stream: 'stdout' | 'stderr') {
  const decoder = new TextDecoder();
  return {
    write(buffer: Uint8Array): number {
      const text = decoder.decode(buffer, { stream: true });
      if (text) post({ type: 'output', stream, text });
      return buffer.length;
    },
    isatty: false,
  };
}

/** Takes away what a program has no use for and could reach the origin's data or the page with. */
function confine(): void {
  for (const name of ['indexedDB', 'caches', 'fetch', 'XMLHttpRequest', 'WebSocket', 'EventSource', 'importScripts', 'Worker', 'SharedWorker', 'BroadcastChannel', 'postMessage', 'onmessage', 'close', 'cookieStore']) {
    for (let object: object | null = globalThis; object; object = Object.getPrototypeOf(object)) {
      if (Object.prototype.hasOwnProperty.call(object, name)) {
        try {
          delete (object as Record<string, unknown>)[name];
        } catch {
          // not configurable in this browser: left as it is
        }
      }
    }
  }
}

async function run(pyodide: PyodideAPI, command: Extract<PythonCommand, { type: 'run' }>): Promise<void> {
  pyodide.setStdout(streamTo('stdout'));
  pyodide.setStderr(streamTo('stderr'));
  pyodide.FS.mkdirTree(ROOT);
  for (const [name, text] of Object.entries(command.files)) pyodide.FS.writeFile(`${ROOT}/${name}`, new TextEncoder().encode(text));
  pyodide.FS.chdir(ROOT);
  const namespace = pyodide.globals.get('dict')();
  pyodide.runPython(driver, { globals: namespace, filename: 'book-driver.py' });
  pyodide.runPython('install()', { globals: namespace });
  confine();
  const runProgram = namespace.get('run_program');
  const code = Number(runProgram(command.entry, pyodide.toPy(command.args), pyodide.toPy(command.env)));
  post({ type: 'exit', code });
}

scope.onmessage = (event) => {
  const command = event.data;
  if (command.type === 'load') {
    loading = load(command.indexURL);
    loading.catch((error: unknown) => post({ type: 'load-failed', detail: error instanceof Error ? error.message : String(error) }));
  } else if (command.type === 'run') {
    scope.onmessage = null; // one run per worker
    if (!loading) return post({ type: 'load-failed', detail: 'the worker was asked to run before it loaded Pyodide' });
    void loading.then(
      (pyodide) =>
        run(pyodide, command).catch((error: unknown) => {
          // The driver prints the program's own errors; this is the book's (or Pyodide's) failing.
          post({ type: 'output', stream: 'stderr', text: `${error instanceof Error ? error.message : String(error)}\n` });
          post({ type: 'exit', code: 1 });
        }),
      () => {}, // reported as load-failed
    );
  }
};
