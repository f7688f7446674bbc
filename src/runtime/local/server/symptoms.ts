/**
 * What a run's output says about the runtime's confinement, read as it streams by: a refusal of
 * Node's permission model, memory running out, a file grown past the size limit. The program
 * itself does not tell the runtime; Node and V8 print these on stderr (or the program prints the
 * error it caught), in words that have been stable across Node versions:
 *
 *   code: 'ERR_ACCESS_DENIED', permission: 'FileSystemWrite', resource: '/home/…'   (util.inspect of the error)
 *   FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory
 *   RangeError: Failed to allocate memory … code: 'ERR_MEMORY_ALLOCATION_FAILED'  (RLIMIT_DATA, a Buffer)
 *   # Fatal process out of memory: …                                            (RLIMIT_DATA, V8 itself)
 *   Error: EFBIG: file too large, write                                          (RLIMIT_FSIZE; Node ignores SIGXFSZ)
 *
 * CPython has no permission model, so a Python run has no refusals; it reports the OS limits as
 * the exceptions they cause (CPython ignores SIGXFSZ, as Node does):
 *
 *   MemoryError                                                                  (RLIMIT_DATA)
 *   OSError: [Errno 27] File too large                                           (RLIMIT_FSIZE)
 *
 * A chunk may end in the middle of one of them, so the end of the text seen so far is kept and
 * read again with the next chunk.
 */

export type Symptom =
  | { kind: 'denied'; permission: string; resource?: string }
  /** `heap`: V8's heap limit; `data`: the OS limit on all the memory it allocates. */
  | { kind: 'memory'; which: 'heap' | 'data' }
  | { kind: 'file' };

const DENIED = /code: 'ERR_ACCESS_DENIED',\s*permission: '(\w+)'(?:,\s*resource: '((?:[^'\\\n]|\\.)*)')?/g;
const HEAP = /FATAL ERROR:[^\n]*heap out of memory/g;
const DATA = /ERR_MEMORY_ALLOCATION_FAILED|Array buffer allocation failed|Fatal process out of memory/g;
const FILE = /\bEFBIG\b/g;
const PYTHON_MEMORY = /^MemoryError\b/gm;
const PYTHON_FILE = /\[Errno 27\] File too large/g;

/** How much of the text before a chunk is read again with it: the longest symptom, and room. */
const KEEP = 2048;

export interface SymptomReader {
  /** The symptoms that `text`, the next chunk of `stream`, completes. */
  read(stream: 'stdout' | 'stderr', text: string): Symptom[];
}

/**
 * Reads both streams of a Node run (`node`) or a Python run (`python`). Refusals count on either
 * (a program may print the error it caught with console.log); the others, which stop the run, only
 * on stderr, where Node, V8 and CPython print them.
 */
export function symptomReader(language: 'node' | 'python' = 'node'): SymptomReader {
  const python = language === 'python';
  const tails = { stdout: { text: '', seen: 0 }, stderr: { text: '', seen: 0 } };
  return {
    read(stream, text) {
      const tail = tails[stream];
      const window = tail.text + text;
      const found: Symptom[] = [];
      // Only matches that end after what was read before: each is reported once.
      const fresh = (match: RegExpMatchArray) => match.index! + match[0].length > tail.seen;
      const any = (pattern: RegExp) => [...window.matchAll(pattern)].some(fresh);
      if (python) {
        if (stream === 'stderr' && any(PYTHON_MEMORY)) found.push({ kind: 'memory', which: 'data' });
        if (stream === 'stderr' && any(PYTHON_FILE)) found.push({ kind: 'file' });
      } else {
        for (const match of window.matchAll(DENIED)) {
          if (fresh(match)) found.push({ kind: 'denied', permission: match[1]!, ...(match[2] ? { resource: unescape(match[2]) } : {}) });
        }
        if (stream === 'stderr') {
          if (any(HEAP)) found.push({ kind: 'memory', which: 'heap' });
          else if (any(DATA)) found.push({ kind: 'memory', which: 'data' });
          if (any(FILE)) found.push({ kind: 'file' });
        }
      }
      tail.text = window.slice(-KEEP);
      tail.seen = tail.text.length;
      return found;
    },
  };
}

/** A string as util.inspect quotes it in single quotes: `\'` and `\\` back to `'` and `\`. */
function unescape(quoted: string): string {
  return quoted.replace(/\\(.)/g, '$1');
}
