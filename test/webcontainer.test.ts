/**
 * src/runtime/webcontainer.ts against a FAKE WebContainer, typed by @webcontainer/api's own
 * declarations. A real WebContainer needs StackBlitz's service, which this machine cannot reach
 * (its boot() never settles here), so nothing in this file ran in a real one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  BootOptions,
  CodeListener,
  ErrorListener,
  FileSystemTree,
  LoadFilesOptions,
  OpenListener,
  PortListener,
  PreviewMessageListener,
  ServerReadyListener,
  SpawnOptions,
  Unsubscribe,
  WebContainerProcess,
} from '@webcontainer/api';
import { ISOLATION_HEADERS } from '../src/runtime/isolation.ts';
import { OUTPUT_GUARD } from '../src/runtime/utf8-guard.ts';
import { deferred } from '../src/lib/async.ts';
import { RunAborted, RuntimeUnavailable, type OutputStream, type RunSpec } from '../src/runtime/types.ts';
import { BOOT_OPTIONS, createWebContainerRuntime, type Container, type WebContainerRuntimeOptions } from '../src/runtime/webcontainer.ts';

// ---- the fake ---------------------------------------------------------------------------------

/** A process as WebContainer gives one: a terminal stream (stdout and stderr mixed) and an exit. */
class FakeProcess implements WebContainerProcess {
  readonly command: string;
  readonly args: string[];
  readonly options: SpawnOptions;
  readonly output: ReadableStream<string>;
  readonly input = new WritableStream<string>();
  readonly exit: Promise<number>;
  /** A hot loop: kill() is ignored. */
  ignoreKill = false;
  kills = 0;
  ended = false;
  /** The reader of `output` let go of it (a torn-down instance never closes its streams). */
  released = false;
  #out?: ReadableStreamDefaultController<string>;
  #settle: (code: number) => void = () => {};

  constructor(command: string, args: string[], options: SpawnOptions) {
    this.command = command;
    this.args = args;
    this.options = options;
    this.output = new ReadableStream<string>({ start: (controller) => void (this.#out = controller), cancel: () => void (this.released = true) });
    this.exit = new Promise((resolve) => (this.#settle = resolve));
  }

  /** The file it runs: the first argument after node's own options. */
  get file(): string {
    return this.args[this.args[0] === '--require' ? 2 : 0] ?? '';
  }

  /** Its arguments after the file. */
  get rest(): string[] {
    return this.args.slice(this.args[0] === '--require' ? 3 : 1);
  }

  print(text: string): void {
    if (!this.ended || this.printsAfterExit) this.#out?.enqueue(text);
  }

  /** Output that still arrives after the exit (the terminal flushing late). */
  printsAfterExit = false;

  /** Exits, and keeps its stream open: output may still come. */
  exitOnly(code: number): void {
    this.ended = true;
    this.printsAfterExit = true;
    this.#settle(code);
  }

  end(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.#out?.close();
    this.#settle(code);
  }

  kill(): void {
    this.kills++;
    if (!this.ignoreKill) this.end(143);
  }

  resize(): void {}
}

type Behaviour = (process: FakeProcess, container: FakeContainer) => void;

/** Prints its ready line like content/examples/_support/image-server.ts, through a terminal. */
const imageServerReady: Behaviour = (p) => setTimeout(() => p.print('image-server ready http://127.0.0.1:8765\r\n'), 1);

/** Implements, against the package's own declarations, the members the runtime uses. */
class FakeContainer implements Container {
  readonly mounts: { tree: FileSystemTree; options?: LoadFilesOptions }[] = [];
  readonly processes: FakeProcess[] = [];
  readonly removed: string[] = [];
  tornDown = false;
  readonly fs = {
    rm: async (path: string) => {
      if (this.tornDown) throw new Error('WebContainer torn down');
      this.removed.push(path);
    },
  };
  readonly #ports = new Set<PortListener>();
  readonly #ready = new Set<ServerReadyListener>();
  readonly #errors = new Set<ErrorListener>();
  readonly #behaviours: Record<string, Behaviour>;

  constructor(behaviours: Record<string, Behaviour>) {
    this.#behaviours = behaviours;
  }

  async mount(tree: FileSystemTree | Uint8Array | ArrayBuffer, options?: LoadFilesOptions): Promise<void> {
    if (this.tornDown) throw new Error('WebContainer torn down');
    if (tree instanceof Uint8Array || tree instanceof ArrayBuffer) throw new Error('the runtime mounts trees, not snapshots');
    this.mounts.push({ tree: structuredClone(tree), options });
  }

  async spawn(command: string, argsOrOptions?: string[] | SpawnOptions, maybeOptions?: SpawnOptions): Promise<WebContainerProcess> {
    if (this.tornDown) throw new Error('WebContainer torn down');
    const args = Array.isArray(argsOrOptions) ? argsOrOptions : [];
    const options = (Array.isArray(argsOrOptions) ? maybeOptions : argsOrOptions) ?? {};
    const process = new FakeProcess(command, args, options);
    this.processes.push(process);
    const behave = this.#behaviours[process.file];
    if (!behave) throw new Error(`the fake has no behaviour for ${process.file}`);
    behave(process, this);
    return process;
  }

  // One signature for the package's six overloads: each pairs an event with its listener type.
  on(
    event: 'port' | 'server-ready' | 'preview-message' | 'error' | 'xdg-open' | 'code',
    listener: PortListener | ServerReadyListener | PreviewMessageListener | ErrorListener | OpenListener | CodeListener,
  ): Unsubscribe {
    // The overload that matched guarantees the listener's type for its event.
    const set = (event === 'port' ? this.#ports : event === 'server-ready' ? this.#ready : event === 'error' ? this.#errors : undefined) as
      | Set<typeof listener>
      | undefined;
    set?.add(listener);
    return () => set?.delete(listener);
  }

  teardown(): void {
    if (this.tornDown) throw new Error('WebContainer already torn down');
    this.tornDown = true; // like the real one: its processes' exits never settle after this
  }

  openPort(port: number): void {
    for (const listener of this.#ports) listener(port, 'open', `https://fake--${port}.local`);
    for (const listener of this.#ready) listener(port, `https://fake--${port}.local`);
  }

  /** An internal error of the service, as its `error` event reports one. */
  fail(message: string): void {
    for (const listener of this.#errors) listener({ message });
  }

  get listeners(): number {
    return this.#ports.size + this.#ready.size;
  }

  spawned(file: string): FakeProcess[] {
    return this.processes.filter((p) => p.file === file);
  }

  /** The run folders mounted, in order (`<example>/run-<n>`). */
  runFolders(): string[] {
    return this.mounts.flatMap(({ tree }) =>
      Object.entries(tree)
        .filter(([name]) => name !== '_support')
        .flatMap(([name, node]) => ('directory' in node ? Object.keys(node.directory).map((run) => `${name}/${run}`) : [])),
    );
  }
}

const SUPPORT = { 'image-server.js': 'console.log("image-server ready http://127.0.0.1:8765")' };

/** A runtime over fresh fakes; `boot` can be replaced to make it slow, hang or fail. */
function setup(behaviours: Record<string, Behaviour>, options: Partial<WebContainerRuntimeOptions> = {}) {
  const containers: FakeContainer[] = [];
  const bootOptions: BootOptions[] = [];
  let boots = 0;
  const runtime = createWebContainerRuntime({
    boot: async (given) => {
      bootOptions.push(given);
      boots++;
      const container = new FakeContainer({ 'image-server.js': imageServerReady, ...behaviours });
      containers.push(container);
      return container;
    },
    supportFiles: async () => SUPPORT,
    killGraceMs: 50,
    readyTimeoutMs: 500,
    ...options,
  });
  return { runtime, containers, boots: () => boots, bootOptions };
}

function sink() {
  const chunks: { text: string; stream: OutputStream }[] = [];
  return {
    chunks,
    onOutput: (text: string, stream: OutputStream) => void chunks.push({ text, stream }),
    text: (stream: OutputStream = 'stdout') => chunks.filter((c) => c.stream === stream).map((c) => c.text).join(''),
  };
}

const spec = (exampleId: string, extra: Partial<RunSpec> = {}): RunSpec => ({
  exampleId,
  files: { 'main.js': `console.log(${JSON.stringify(exampleId)})` },
  entry: 'main.js',
  imageServer: true,
  ...extra,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const runsUntilKilled: Behaviour = () => {};

// ---- the tests --------------------------------------------------------------------------------

describe('WebContainer runtime (against a fake WebContainer)', () => {
  it('mounts each run in a folder of its own with package.json type module, removed after; the support files once, as ES modules too', async () => {
    const { runtime, containers } = setup({ 'main.js': (p) => setTimeout(() => p.end(0), 1) });
    const files = { 'main.js': 'import "./lib/util.js"', 'lib/util.js': 'export {}' };
    await (await runtime.run(spec('01-a', { files }), () => {})).exit;
    await (await runtime.run(spec('01-a', { files: { ...files, 'main.js': 'edited' } }), () => {})).exit;

    const [container] = containers;
    const trees = container.mounts.map((m) => m.tree);
    const moduleType = { file: { contents: '{ "type": "module" }\n' } };
    // The WebContainer's Node detects no ES modules: without this package.json the image server dies
    // at its first `import` (SyntaxError: Cannot use import statement outside a module).
    assert.deepEqual(trees[0], {
      _support: {
        directory: {
          'image-server.js': { file: { contents: SUPPORT['image-server.js'] } },
          'output-guard.cjs': { file: { contents: OUTPUT_GUARD } },
          'package.json': moduleType,
        },
      },
    });
    const example = (run: string, contents: string) => ({
      '01-a': {
        directory: {
          [run]: {
            directory: {
              'main.js': { file: { contents } },
              lib: { directory: { 'util.js': { file: { contents: 'export {}' } } } },
              'package.json': moduleType,
            },
          },
        },
      },
    });
    assert.deepEqual(trees.slice(1), [example('run-1', 'import "./lib/util.js"'), example('run-2', 'edited')], 'a new folder for every run, with the edits');
    assert.equal(trees.filter((t) => '_support' in t).length, 1, 'support files mounted once');
    await sleep(10);
    assert.deepEqual(container.removed, ['01-a/run-1', '01-a/run-2'], 'each folder removed once its program is gone');
  });

  it('spawns node <entry> <args> in the example folder with the env, forwards output in order and reports the exit code', async () => {
    const { runtime, containers } = setup({
      'main.js': (p) => {
        p.print('one\r\n');
        p.print('two\r');
        p.print('\nerr: three\r\n');
        setTimeout(() => {
          p.print('last line, just before the exit\r\n');
          p.end(3);
        }, 5);
      },
    });
    const out = sink();
    const program = await runtime.run(spec('02-b', { args: ['--fast', 'x'], env: { FOO: 'bar' } }), out.onOutput);
    assert.equal(await program.exit, 3);
    assert.equal(out.text(), 'one\ntwo\nerr: three\nlast line, just before the exit\n', 'in order, \\r\\n made \\n, all of it before exit');
    assert.deepEqual(new Set(out.chunks.map((c) => c.stream)), new Set(['stdout']), 'mixed stdout/stderr reported as stdout');

    const [imageServer, main] = containers[0].processes;
    assert.equal(imageServer.command, 'node');
    assert.deepEqual(imageServer.args, ['image-server.js']);
    assert.equal(imageServer.options.cwd, '_support');
    assert.equal(imageServer.options.env?.IMAGE_SERVER_PORT, '8765');
    assert.equal(main.command, 'node');
    assert.deepEqual(main.args, ['--require', '../../_support/output-guard.cjs', 'main.js', '--fast', 'x'], 'with the output guard, from its run folder');
    assert.equal(main.options.cwd, '02-b/run-1');
    assert.deepEqual(main.options.env, { NODE_NO_WARNINGS: '1', FOO: 'bar', IMAGE_SERVER: 'http://127.0.0.1:8765' });
  });

  it('takes the image server URL from its ready line, and starts none for an example without images', async () => {
    const { runtime, containers } = setup({
      'image-server.js': (p) => p.print('image-server ready http://127.0.0.1:9999\n'),
      'main.js': (p) => p.end(0),
    });
    await (await runtime.run(spec('03-c', { imageServer: false }), () => {})).exit;
    assert.equal(containers[0].spawned('image-server.js').length, 0);
    assert.equal(containers[0].spawned('main.js')[0].options.env?.IMAGE_SERVER, undefined);
    await (await runtime.run(spec('03-c'), () => {})).exit;
    assert.equal(containers[0].spawned('main.js')[1].options.env?.IMAGE_SERVER, 'http://127.0.0.1:9999');
  });

  it('shares one instance between examples: one boot, one image server', async () => {
    const { runtime, containers, boots } = setup({ 'main.js': (p) => p.end(0) });
    await (await runtime.run(spec('01-a'), () => {})).exit;
    await (await runtime.run(spec('02-b'), () => {})).exit;
    assert.equal(boots(), 1);
    assert.equal(containers[0].spawned('image-server.js').length, 1);
    assert.deepEqual(containers[0].spawned('main.js').map((p) => p.options.cwd), ['01-a/run-1', '02-b/run-2']);
  });

  it('lets concurrent first runs share one boot and one image server', async () => {
    let boots = 0;
    const container = new FakeContainer({ 'image-server.js': imageServerReady, 'main.js': (p) => p.end(0) });
    const runtime = createWebContainerRuntime({
      boot: async () => {
        boots++;
        await sleep(20);
        return container;
      },
      supportFiles: async () => SUPPORT,
    });
    const programs = await Promise.all([runtime.run(spec('01-a'), () => {}), runtime.run(spec('02-b'), () => {}), runtime.run(spec('03-c'), () => {})]);
    assert.equal(boots, 1);
    assert.equal(container.spawned('image-server.js').length, 1);
    assert.equal(container.mounts.filter((m) => '_support' in m.tree).length, 1);
    await Promise.all(programs.map((p) => p?.exit));
  });

  it('stop() kills the process, and exit resolves with what the container reports', async () => {
    const { runtime, containers } = setup({ 'main.js': runsUntilKilled });
    const out = sink();
    const program = await runtime.run(spec('01-a'), out.onOutput);
    await program.stop();
    assert.equal(await program.exit, 143);
    const [main] = containers[0].spawned('main.js');
    assert.equal(main.kills, 1);
    assert.equal(containers[0].tornDown, false, 'no teardown when the kill works');
    assert.equal(out.text('system'), '');
    await program.stop(); // a second stop is harmless
    assert.equal(main.kills, 1);
  });

  it('a process that ignores kill: teardown within the grace time, exit 137, and the next run boots a new instance', async () => {
    const { runtime, containers, boots } = setup({
      'main.js': (p) => void (p.ignoreKill = true),
      'other.js': runsUntilKilled,
    });
    const out = sink();
    const hot = await runtime.run(spec('01-a'), out.onOutput);
    const bystanderOut = sink();
    const bystander = await runtime.run(spec('02-b', { entry: 'other.js', files: { 'other.js': '' } }), bystanderOut.onOutput);

    const started = performance.now();
    await hot.stop();
    const took = performance.now() - started;
    assert.ok(took < 50 + 200, `stop() took ${Math.round(took)} ms with killGraceMs 50`);
    assert.equal(await hot.exit, 137);
    assert.match(out.text('system'), /did not stop within 0\.05 s, so the WebContainer was restarted/);
    assert.equal(containers[0].tornDown, true);
    assert.equal(await bystander.exit, 137, 'other programs of the torn-down instance end too');
    assert.match(bystanderOut.text('system'), /restarted because another program/);

    const next = await runtime.run(spec('01-a', { files: { 'main.js': '' } }), () => {});
    assert.equal(boots(), 2);
    assert.equal(containers[1].spawned('image-server.js').length, 1, 'the image server is started again in the new instance');
    assert.equal(containers[1].mounts.filter((m) => '_support' in m.tree).length, 1, 'and the support files mounted again');
    containers[1].spawned('main.js')[0].ignoreKill = false;
    await next.stop();
  });

  it('boot that never settles: RuntimeUnavailable within the timeout, then later runs fail fast without booting again', async () => {
    let boots = 0;
    const runtime = createWebContainerRuntime({
      boot: () => {
        boots++;
        return new Promise<never>(() => {}); // offline: boot() neither resolves nor rejects
      },
      bootTimeoutMs: 200,
      supportFiles: async () => SUPPORT,
    });
    let started = performance.now();
    const first = await runtime.run(spec('01-a'), () => {}).catch((error: unknown) => error);
    const took = performance.now() - started;
    assert.ok(took >= 190 && took < 200 + 300, `rejected after ${Math.round(took)} ms with bootTimeoutMs 200`);
    assert.ok(first instanceof RuntimeUnavailable);
    assert.equal(first.runtime, 'webcontainer');
    assert.match(first.message, /did not start within 0\.2 s: StackBlitz’s service, which it needs, is blocked \(by a browser extension, by blocked third-party cookies, or in a private window\), or this browser is offline/);

    started = performance.now();
    await assert.rejects(runtime.run(spec('02-b'), () => {}), (error) => error === first);
    await assert.rejects(runtime.run(spec('03-c'), () => {}), (error) => error === first);
    assert.ok(performance.now() - started < 100, 'fails fast, without waiting for another timeout');
    assert.equal(boots, 1);
  });

  it('a boot that finishes after the timeout is used by the next run', async () => {
    let boots = 0;
    const container = new FakeContainer({ 'main.js': (p) => p.end(0) });
    const runtime = createWebContainerRuntime({
      boot: async () => {
        boots++;
        await sleep(60);
        return container;
      },
      bootTimeoutMs: 20,
      supportFiles: async () => SUPPORT,
    });
    await assert.rejects(runtime.run(spec('01-a', { imageServer: false }), () => {}), RuntimeUnavailable);
    await sleep(80);
    const program = await runtime.run(spec('01-a', { imageServer: false }), () => {});
    assert.equal(await program.exit, 0);
    assert.equal(boots, 1);
  });

  it('boot that throws: RuntimeUnavailable with the reason, remembered', async () => {
    for (const boot of [
      async (): Promise<Container> => {
        throw new Error('SharedArrayBuffer is not defined');
      },
      (): Promise<Container> => {
        throw new Error('SharedArrayBuffer is not defined'); // throws before it returns a promise
      },
    ]) {
      let boots = 0;
      const runtime = createWebContainerRuntime({ boot: () => (boots++, boot()), supportFiles: async () => SUPPORT });
      await assert.rejects(runtime.run(spec('01-a'), () => {}), (error: unknown) => {
        assert.ok(error instanceof RuntimeUnavailable);
        assert.match(error.message, /could not start: SharedArrayBuffer is not defined/);
        return true;
      });
      await assert.rejects(runtime.run(spec('01-a'), () => {}), RuntimeUnavailable);
      assert.equal(boots, 1);
    }
  });

  it('an image server that never says ready: unavailable (so the reader gets the recording) with what it printed, and the next run tries again', async () => {
    let attempts = 0;
    const { runtime, containers } = setup(
      {
        'image-server.js': (p) => {
          attempts++;
          if (attempts === 1) p.print('starting…\r\n');
          else imageServerReady(p, containers[0]);
        },
        'main.js': (p) => p.end(0),
      },
      { readyTimeoutMs: 50 },
    );
    await assert.rejects(runtime.run(spec('01-a'), () => {}), (error: unknown) => {
      assert.ok(error instanceof RuntimeUnavailable, 'a RuntimeUnavailable: the session shows the recording beside the reason');
      assert.equal(error.message, 'the image server in the WebContainer did not say it was ready within 0.05 s. The last it printed: “starting…”.');
      return true;
    });
    assert.equal(containers[0].spawned('image-server.js')[0].kills, 1, 'the silent one is killed');
    const program = await runtime.run(spec('01-a'), () => {});
    assert.equal(await program.exit, 0);
    assert.equal(containers[0].spawned('image-server.js').length, 2);
  });

  it('a server gets PORT=8080; its clients run inside the container with SCRAPER_SERVER, once it listens', async () => {
    let listen!: () => void;
    const { runtime, containers } = setup({
      'main.js': (p) => {
        listen = () => p.print('2026-01-01 00:00:00,000 Serving on http://127.0.0.1:8080 (Ctrl+C to stop)\r\n');
      },
      'client.js': (p) => {
        p.print('scrape alice: 200\r\n');
        p.end(0);
      },
    });
    const serverOut = sink();
    const files = { 'main.js': 'server', 'client.js': 'client' };
    const server = await runtime.run(spec('04-scraper-server', { files, server: true }), serverOut.onOutput);
    const [main] = containers[0].spawned('main.js');
    assert.deepEqual(main.options.env, { NODE_NO_WARNINGS: '1', IMAGE_SERVER: 'http://127.0.0.1:8765', PORT: '8080' });

    const clientOut = sink();
    assert.ok(server.startClient);
    const starting = server.startClient('client.js', ['scrape', 'alice', '3', '300'], clientOut.onOutput);
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(containers[0].spawned('client.js').length, 0, 'the client waits until the server listens');
    listen();
    const client = await starting;
    assert.equal(await client.exit, 0);
    const [clientProcess] = containers[0].spawned('client.js');
    assert.deepEqual(clientProcess.rest, ['scrape', 'alice', '3', '300']);
    assert.equal(clientProcess.options.cwd, '04-scraper-server/run-1', "in the server's own run folder");
    assert.deepEqual(clientProcess.options.env, {
      NODE_NO_WARNINGS: '1',
      IMAGE_SERVER: 'http://127.0.0.1:8765',
      SCRAPER_SERVER: 'http://127.0.0.1:8080',
    });
    assert.equal(clientOut.text(), 'scrape alice: 200\n', "the client's output goes to the client's sink");
    assert.doesNotMatch(serverOut.text(), /scrape alice/);
    assert.equal(containers[0].listeners, 0, 'port listeners removed once the server is ready');

    await server.stop();
    assert.equal(await server.exit, 143);
    await assert.rejects(server.startClient('client.js', ['cancel', 'bob'], () => {}), /server is not running \(it exited with code 143\)/);
  });

  it("a server is also ready when the container reports its port open (the program's line not needed)", async () => {
    const { runtime, containers } = setup({
      'main.js': (_p, container) => setTimeout(() => container.openPort(8080), 10),
      'client.js': (p) => p.end(0),
    });
    const server = await runtime.run(spec('04-scraper-server', { server: true, imageServer: false }), () => {});
    const client = await server.startClient?.('client.js', ['cancel', 'bob'], () => {});
    assert.equal(await client?.exit, 0);
    assert.equal(containers[0].spawned('client.js')[0].options.env?.SCRAPER_SERVER, 'http://127.0.0.1:8080');
    await server.stop();
  });

  it('a server that exits before it listens: startClient says so instead of waiting', async () => {
    const { runtime } = setup({ 'main.js': (p) => setTimeout(() => (p.print('Error: EADDRINUSE\r\n'), p.end(1)), 10) });
    const server = await runtime.run(spec('04-scraper-server', { server: true, imageServer: false }), () => {});
    await assert.rejects(server.startClient?.('client.js', [], () => {}) ?? Promise.resolve(), /server is not running \(it exited with code 1\)/);
  });

  it('reports its name and a label, and that its event loop may order callbacks unlike Node', () => {
    const { runtime } = setup({});
    assert.equal(runtime.name, 'webcontainer');
    assert.match(runtime.label, /WebContainer/);
    assert.equal(runtime.eventLoopDiffers, true, 'stackblitz/webcontainer-core #980, #1048');
  });
});

describe('WebContainer runtime: what a read of @webcontainer/api and working projects asks for', () => {
  it("boots with explicit options: the COEP the book's headers send, and a named workdir the library accepts", async () => {
    const { runtime, bootOptions } = setup({ 'main.js': (p) => p.end(0) });
    await (await runtime.run(spec('07-x', { imageServer: false }), () => {})).exit;
    assert.deepEqual(bootOptions, [{ ...BOOT_OPTIONS }]);
    assert.equal(bootOptions[0]?.coep, ISOLATION_HEADERS['Cross-Origin-Embedder-Policy'], 'the same COEP as the page itself');
    const name = bootOptions[0]?.workdirName ?? '';
    // What WebContainer.boot() itself refuses (dist/index.js): a path, '.', '..'.
    assert.ok(name && !name.includes('/') && name !== '.' && name !== '..', `a plain folder name: ${name}`);
  });

  it('says "starting the sandbox" while the WebContainer boots, and nothing of the kind once it has', async () => {
    const notes: string[] = [];
    const { runtime } = setup({ 'main.js': (p) => p.end(0) }, { bootTimeoutMs: 30_000 });
    await (await runtime.run(spec('07-x', { imageServer: false }), () => {}, { onProgress: (note) => void notes.push(note) })).exit;
    assert.deepEqual(notes, ['starting the sandbox… the first start can take up to 30 s']);
    await (await runtime.run(spec('07-x', { imageServer: false }), () => {}, { onProgress: (note) => void notes.push(note) })).exit;
    assert.equal(notes.length, 1, 'the second run finds it booted');
  });

  it('warmUp() boots and mounts the support files ahead of the first run, which then uses that instance', async () => {
    const { runtime, containers, boots } = setup({ 'main.js': (p) => p.end(0) });
    runtime.warmUp();
    runtime.warmUp();
    await sleep(10);
    assert.equal(boots(), 1);
    assert.equal(containers[0]!.mounts.filter((m) => '_support' in m.tree).length, 1);
    const notes: string[] = [];
    await (await runtime.run(spec('01-a'), () => {}, { onProgress: (note) => void notes.push(note) })).exit;
    assert.equal(boots(), 1);
    assert.deepEqual(notes, [], 'booted already: no "starting the sandbox"');
  });

  it('a container error ends its running programs with the reason, releases their output, and the next run boots anew', async () => {
    const { runtime, containers, boots } = setup({ 'main.js': runsUntilKilled });
    const program = await runtime.run(spec('01-a'), () => {});
    containers[0]!.fail('out of memory');
    await assert.rejects(program.exit, /WebContainer reported an internal error \(out of memory\) and was restarted/);
    assert.equal(containers[0]!.tornDown, true);
    assert.ok(
      containers[0]!.processes.every((p) => p.released),
      'the readers of its streams are released (a torn-down instance never closes them)',
    );
    const next = await runtime.run(spec('01-a'), () => {});
    assert.equal(boots(), 2);
    await next.stop();
  });

  it('a container error while the image server starts: unavailable at once with the reason, not after the ready timeout', async () => {
    const { runtime, containers } = setup({ 'image-server.js': () => {}, 'main.js': (p) => p.end(0) }, { readyTimeoutMs: 5000 });
    const running = runtime.run(spec('01-a'), () => {});
    await sleep(5);
    const started = performance.now();
    containers[0]!.fail('worker crashed');
    await assert.rejects(running, (error: unknown) => error instanceof RuntimeUnavailable && /internal error \(worker crashed\)/.test(error.message));
    assert.ok(performance.now() - started < 1000);
  });

  it('Stop with a slow but obedient exit (within the grace): no teardown, and the other programs go on', async () => {
    const { runtime, containers } = setup(
      {
        'slow.js': (p) => {
          p.ignoreKill = true; // handles the signal itself, and exits a moment later
          const kill = p.kill.bind(p);
          p.kill = () => {
            kill();
            setTimeout(() => p.end(0), 60);
          };
        },
        'other.js': runsUntilKilled,
      },
      { killGraceMs: 1000 },
    );
    const slow = await runtime.run(spec('05-a', { entry: 'slow.js', files: { 'slow.js': '' }, imageServer: false }), () => {});
    const other = await runtime.run(spec('07-b', { entry: 'other.js', files: { 'other.js': '' }, imageServer: false }), () => {});
    await slow.stop();
    assert.equal(await slow.exit, 0);
    assert.equal(containers[0]!.tornDown, false, 'the instance stays');
    assert.equal(containers[0]!.spawned('other.js')[0]!.ended, false, 'the bystander still runs');
    await other.stop();
  });

  it('a Run while the same example is still starting: the first start gives up cleanly (nothing spawned, its folder removed), the second runs', async () => {
    const imageServerReady = deferred<void>();
    const { runtime, containers } = setup({
      'image-server.js': (p) => void imageServerReady.promise.then(() => p.print('image-server ready http://127.0.0.1:8765\r\n')),
      'main.js': (p) => p.end(0),
    });
    const first = new AbortController();
    const firstRun = runtime.run(spec('02-b'), () => {}, { signal: first.signal });
    await sleep(5); // mounted, waiting for the image server
    first.abort(); // the session aborts it when a newer Run comes
    await assert.rejects(firstRun, RunAborted);
    const secondRun = runtime.run(spec('02-b'), () => {}, { signal: new AbortController().signal });
    imageServerReady.resolve();
    await (await secondRun).exit;
    const [container] = containers;
    assert.deepEqual(container!.spawned('main.js').map((p) => p.options.cwd), ['02-b/run-2'], 'only the second run spawned its program');
    await sleep(5);
    assert.deepEqual(container!.removed.sort(), ['02-b/run-1', '02-b/run-2'], 'the abandoned folder is removed too');
  });

  it('a start abandoned during the boot never mounts anything', async () => {
    const booted = deferred<void>();
    const container = new FakeContainer({ 'main.js': (p) => p.end(0) });
    const runtime = createWebContainerRuntime({
      boot: async () => {
        await booted.promise;
        return container;
      },
      supportFiles: async () => SUPPORT,
    });
    const abort = new AbortController();
    const running = runtime.run(spec('01-a'), () => {}, { signal: abort.signal });
    abort.abort();
    await assert.rejects(running, RunAborted, 'at once, without waiting for the boot');
    booted.resolve();
    await sleep(5);
    assert.deepEqual(container.runFolders(), []);
    assert.equal(container.processes.length, 0);
  });

  it('output that arrives after the exit (and its drain) never reaches the page', async () => {
    let main: FakeProcess | undefined;
    const { runtime } = setup({
      'main.js': (p) => {
        main = p;
        p.print('during\r\n');
        setTimeout(() => p.exitOnly(0), 1);
      },
    });
    const out = sink();
    const program = await runtime.run(spec('07-x', { imageServer: false }), out.onOutput);
    assert.equal(await program.exit, 0);
    await sleep(150); // past the drain after the exit
    main!.print('after the end\r\n');
    await sleep(5);
    assert.equal(out.text(), 'during\n');
  });

  it("a program's time limit: the example's timeoutMs (held to the runtime's own), said in the limit's words, and the program stopped", async () => {
    const { runtime, containers } = setup({ 'main.js': runsUntilKilled }, { programTimeoutMs: 60_000 });
    const out = sink();
    const program = await runtime.run(spec('06-x', { imageServer: false, timeoutMs: 300 }), out.onOutput);
    assert.equal(await program.exit, 143);
    assert.equal(out.text('system'), 'The program ran for more than 0.3 s, the limit of WebContainer, so it was stopped.\n');
    assert.equal(containers[0]!.spawned('main.js')[0]!.kills, 1);

    const capped = setup({ 'main.js': runsUntilKilled }, { programTimeoutMs: 200 });
    const cappedOut = sink();
    await (await capped.runtime.run(spec('06-x', { imageServer: false, timeoutMs: 600_000 }), cappedOut.onOutput)).exit;
    assert.match(cappedOut.text('system'), /more than 0\.2 s/, "the runtime's own limit when the example's is longer");
  });

  it('the output limit: no more than the limit reaches the page, the limit is said, and the program stopped', async () => {
    const { runtime } = setup({ 'main.js': (p) => p.print(`${'я'.repeat(300)}${'x'.repeat(600)}\r\n`) }, { outputLimitBytes: 1000 });
    const out = sink();
    const program = await runtime.run(spec('08-x', { imageServer: false }), out.onOutput);
    assert.equal(await program.exit, 143);
    const shown = out.text();
    assert.equal(new TextEncoder().encode(shown).length, 1000, 'exactly the limit, counted in UTF-8 bytes');
    assert.equal(out.text('system'), 'The program printed more than 1,000 bytes, the limit of WebContainer, so it was stopped.\n');
  });

  it('a spawn that fails: unavailable with the reason (the reader gets the recording, not an empty output)', async () => {
    const { runtime } = setup({});
    await assert.rejects(runtime.run(spec('09-x', { entry: 'missing.js', files: { 'missing.js': '' }, imageServer: false }), () => {}), (error: unknown) => {
      assert.ok(error instanceof RuntimeUnavailable);
      assert.match(error.message, /^the program could not be started in the WebContainer: the fake has no behaviour for missing\.js$/);
      return true;
    });
  });

  it("a server's clients are stopped with it, and its folder goes once all of them are gone", async () => {
    const { runtime, containers } = setup({
      'main.js': (p) => setTimeout(() => p.print('Serving on http://127.0.0.1:8080\r\n'), 1),
      'client.js': runsUntilKilled,
    });
    const server = await runtime.run(spec('04-scraper-server', { files: { 'main.js': '', 'client.js': '' }, server: true }), () => {});
    const client = await server.startClient!('client.js', ['scrape', 'bob', '4', '10000'], () => {});
    await server.stop();
    assert.equal(await client.exit, 143, 'the client stopped with its server');
    await sleep(5);
    assert.deepEqual(containers[0]!.removed, ['04-scraper-server/run-1']);
  });
});
