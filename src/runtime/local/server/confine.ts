/**
 * What one run may do, as Node's flags and the OS limits it is started under: the confinement of
 * the local runtime, in one place. The numbers were measured with the book's examples on Node 24
 * (see the README, Architecture: the local runtime).
 *
 * Node's permission model (`--permission`) is a seat belt, not a sandbox: Node's documentation
 * says that code which sets out to break it can. It keeps a reader's mistake, or a snippet copied
 * from the web, from reading or changing the reader's files.
 */

/** What a run may do beyond reading and writing its own folder. */
export interface Grants {
  /** Start worker threads: an example whose meta.json has `"permissions": ["worker"]` (05). */
  worker: boolean;
  /** Start child processes: no example may; only a test runtime grants it (to test the kill). */
  childProcess: boolean;
}

/**
 * The V8 heap of each isolate (the program, and each of its worker threads). The examples need
 * far less: the largest, 03, peaks at about 120 MB of resident memory in all.
 */
export const HEAP_LIMIT_MB = 256;

/** RLIMIT_FSIZE: the largest file a run may write. */
export const FILE_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * RLIMIT_DATA: all the private writable memory of a run, which also caps what V8's heap limit
 * does not (Buffers, ArrayBuffers). Measured on Node 24: a program starts with 575 MB of it
 * (most of it V8's reservations, not memory in use) and every worker thread adds 540 MB, so
 * example 05 with its 4 workers needs 2.7 GB. RLIMIT_AS would be the obvious limit, but V8 and
 * WebAssembly reserve address space far beyond what they use (1.4 GB at start, 10 GB for one
 * WebAssembly memory), and those reservations do not count here.
 */
export function dataLimitBytes(grants: Grants): number {
  const gib = 1024 * 1024 * 1024;
  return grants.worker ? 6 * gib : 2 * gib; // about 1.4 GB to allocate; with workers, room for 8
}

/**
 * RLIMIT_CPU, in seconds: a little above the run's time limit, so that the runtime's own timer
 * stops a busy program first, and the OS stops it even if nothing else is left to (its server and
 * watchdog both killed with SIGKILL). A program with several threads uses CPU time faster than
 * time passes, so it can reach this limit first. The hard limit (SIGKILL) follows 5 s later, for
 * a program that catches SIGXCPU.
 */
export function cpuLimitSeconds(timeoutMs: number): { soft: number; hard: number } {
  const soft = Math.ceil(timeoutMs / 1000) + 5;
  return { soft, hard: soft + 5 };
}

/**
 * Node's flags for a run in `folder` (its real path: the permission model compares real paths).
 *
 * Measured with strace on Node 24: before the program runs, Node opens its shared libraries,
 * /etc/ssl/openssl.cnf, the time zone files, /proc/meminfo and its cgroup's memory limit, all from
 * C++, which the permission model does not check; through node:fs it reads only the entry file
 * and the folder's package.json (which the model lets through itself). So the folder is all a run
 * needs to be allowed. Network access stays open: Node 24's model does not restrict it (the
 * examples talk HTTP to the image server and to each other on 127.0.0.1).
 */
export function nodeFlags(folder: string, grants: Grants): string[] {
  return [
    '--permission',
    `--allow-fs-read=${folder}`,
    `--allow-fs-write=${folder}`,
    ...(grants.worker ? ['--allow-worker'] : []),
    ...(grants.childProcess ? ['--allow-child-process'] : []),
    // node:sqlite opens database files from C++, past the permission model (measured: it creates
    // a file anywhere); no example uses it.
    '--no-experimental-sqlite',
    `--max-old-space-size=${HEAP_LIMIT_MB}`,
  ];
}
