/**
 * A Python traceback names the files by their full path, which for a run is the temporary folder:
 * `File "/tmp/asyncio-book-run-4242-Xy7/main.py", line 3`. The reader's file is `main.py`, so the
 * folder is cut out of the output as it streams by. A chunk may end inside the folder's path: what
 * could be the start of it is held back until the next chunk (or the end) says.
 */
export interface PathRewriter {
  /** `text` without the folder, less any tail that may be the start of it. */
  write(text: string): string;
  /** What was held back, at the end of the stream. */
  end(): string;
}

export function folderRewriter(folder: string): PathRewriter {
  const prefix = `${folder.replace(/\/+$/, '')}/`;
  let held = '';
  return {
    write(text) {
      const joined = (held + text).split(prefix).join('');
      held = '';
      // The longest end of the text that is a beginning of the prefix (never the whole prefix: that is gone).
      for (let size = Math.min(prefix.length - 1, joined.length); size > 0; size -= 1) {
        if (prefix.startsWith(joined.slice(-size))) {
          held = joined.slice(-size);
          return joined.slice(0, -size);
        }
      }
      return joined;
    },
    end() {
      const rest = held;
      held = '';
      return rest;
    },
  };
}
