/**
 * What a Python program needs that Pyodide in a page cannot give it, read from its source before
 * anything loads: sockets (aiohttp's client has no browser support, aiohttp #7253, and a server
 * needs to listen; `requests` would reach the real network, not the book's image server), other
 * processes, and threads (Pyodide has none). Such a run is refused with the reason, and the page
 * shows the recorded CPython run instead; `npm start` runs it with the machine's CPython.
 *
 * Read per line, comments and strings aside as far as a line-based reading can: an import or a
 * call in a string does not count. A program that gets past this and still needs one of them fails
 * as Pyodide fails (an ImportError, an OSError), which its traceback says.
 */
export type PythonNeed = { kind: 'network' | 'processes' | 'threads'; name: string };

const NEEDS: { kind: PythonNeed['kind']; name: string; pattern: RegExp }[] = [
  { kind: 'network', name: 'aiohttp', pattern: /^\s*(?:import|from)\s+aiohttp\b/ },
  { kind: 'network', name: 'requests', pattern: /^\s*(?:import|from)\s+requests\b/ },
  { kind: 'network', name: 'socket', pattern: /^\s*(?:import|from)\s+socket\b/ },
  { kind: 'network', name: 'asyncio.open_connection', pattern: /\basyncio\.(?:open_connection|start_server)\b/ },
  { kind: 'processes', name: 'ProcessPoolExecutor', pattern: /\bProcessPoolExecutor\b/ },
  { kind: 'processes', name: 'multiprocessing', pattern: /^\s*(?:import|from)\s+multiprocessing\b/ },
  { kind: 'processes', name: 'subprocess', pattern: /^\s*(?:import|from)\s+subprocess\b|\basyncio\.create_subprocess_/ },
  { kind: 'threads', name: 'threading', pattern: /^\s*(?:import|from)\s+threading\b/ },
  { kind: 'threads', name: 'ThreadPoolExecutor', pattern: /\bThreadPoolExecutor\b/ },
  { kind: 'threads', name: 'asyncio.to_thread', pattern: /\bto_thread\b/ },
  { kind: 'threads', name: 'run_in_executor', pattern: /\brun_in_executor\b/ },
];

/** The first thing `source` needs that a page cannot give, or null. */
export function pythonNeed(source: string): PythonNeed | null {
  for (const raw of source.split('\n')) {
    const line = withoutStringsAndComment(raw);
    for (const need of NEEDS) if (need.pattern.test(line)) return { kind: need.kind, name: need.name };
  }
  return null;
}

/** The line with its string literals emptied and its comment cut (one line's worth of Python's lexer). */
function withoutStringsAndComment(line: string): string {
  return line.replace(/("""|'''|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')/g, '""').replace(/#.*/, '');
}
