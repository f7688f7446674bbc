/**
 * src/runtime/webcontainer.ts against a FAKE WebContainer, typed by @webcontainer/api's own
 * declarations. A real WebContainer needs StackBlitz's service, which this machine cannot reach
 * (its boot() never settles here), so nothing in this file ran in a real one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
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
import { RuntimeUnavailable, type OutputStream, type RunSpec } from '../src/runtime/types.ts';
import { createWebContainerRuntime, type Container, type WebContainerRuntimeOptions } from '../src/runtime/webcontainer.ts';

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
  #out?: ReadableStreamDefaultController<string>;
  #settle: (code: number) => void = () => {};

  constructor(command: string, args: string[], options: SpawnOptions) {
    this.command = command;
    this.args = args;
    this.options = options;
    this.output = new ReadableStream<string>({ start: (controller) => void (this.#out = controller) });
    this.exit = new Promise((resolve) => (this.#settle = resolve));
  }

  print(text: string): void {
    if (!this.ended) this.#out?.enqueue(text);
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
  tornDown = false;
  readonly #ports = new Set<PortListener>();
  readonly #ready = new Set<ServerReadyListener>();
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
    const behave = this.#behaviours[args[0] ?? ''];
    if (!behave) throw new Error(`the fake has no behaviour for ${args[0]}`);
    behave(process, this);
    return process;
  }

  // One signature for the package's six overloads: each pairs an event with its listener type.
  on(
    event: 'port' | 'server-ready' | 'preview-message' | 'error' | 'xdg-open' | 'code',
    listener: PortListener | ServerReadyListener | PreviewMessageListener | ErrorListener | OpenListener | CodeListener,
  ): Unsubscribe {
    // The overload that matched guarantees the listener's type for its event.
    const set = (event === 'port' ? this.#ports : event === 'server-ready' ? this.#ready : undefined) as Set<typeof listener> | undefined;
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

  get listeners(): number {
    return this.#ports.size + this.#ready.size;
  }

  spawned(file: string): FakeProcess[] {
    return this.processes.filter((p) => p.args[0] === file);
  }
}

const SUPPORT = { 'image-server.js': 'console.log("image-server ready http://127.0.0.1:8765")' };

/** A runtime over fresh fakes; `boot` can be replaced to make it slow, hang or fail. */
function setup(behaviours: Record<string, Behaviour>, options: Partial<WebContainerRuntimeOptions> = {}) {
  const containers: FakeContainer[] = [];
  let boots = 0;
  const runtime = createWebContainerRuntime({
    boot: async () => {
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
  return { runtime, containers, boots: () => boots };
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
  it('mounts each example in its own folder with package.json type module, the support files once under _support', async () => {
    const { runtime, containers } = setup({ 'main.js': (p) => setTimeout(() => p.end(0), 1) });
    const files = { 'main.js': 'import "./lib/util.js"', 'lib/util.js': 'export {}' };
    await (await runtime.run(spec('01-a', { files }), () => {})).exit;
    await (await runtime.run(spec('01-a', { files: { ...files, 'main.js': 'edited' } }), () => {})).exit;

    const [container] = containers;
    const trees = container.mounts.map((m) => m.tree);
    assert.deepEqual(trees[0], { _support: { directory: { 'image-server.js': { file: { contents: SUPPORT['image-server.js'] } } } } });
    const example = (contents: string) => ({
      '01-a': {
        directory: {
          'main.js': { file: { contents } },
          lib: { directory: { 'util.js': { file: { contents: 'export {}' } } } },
          'package.json': { file: { contents: '{ "type": "module" }\n' } },
        },
      },
    });
    assert.deepEqual(trees.slice(1), [example('import "./lib/util.js"'), example('edited')], 're-mounted on every run, with the edits');
    assert.equal(trees.filter((t) => '_support' in t).length, 1, 'support files mounted once');
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
    assert.deepEqual(main.args, ['main.js', '--fast', 'x']);
    assert.equal(main.options.cwd, '02-b');
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
    assert.deepEqual(containers[0].spawned('main.js').map((p) => p.options.cwd), ['01-a', '02-b']);
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
    assert.match(first.message, /did not start within 0\.2 s: .*offline.*StackBlitz/);

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

  it('an image server that never says ready: a clear error, and the next run tries again', async () => {
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
    await assert.rejects(runtime.run(spec('01-a'), () => {}), /image server in the WebContainer did not say it was ready within 0\.05 s.*\n?starting…/s);
    assert.equal(containers[0].spawned('image-server.js')[0].kills, 1, 'the silent one is killed');
    const program = await runtime.run(spec('01-a'), () => {});
    assert.equal(await program.exit, 0);
    assert.equal(containers[0].spawned('image-server.js').length, 2);
  });

  it('a server gets PORT=8080; its clients run inside the container with SCRAPER_SERVER, once it listens', async () => {
    const { runtime, containers } = setup({
      'main.js': (p) => setTimeout(() => p.print('2026-01-01 00:00:00,000 Serving on http://127.0.0.1:8080 (Ctrl+C to stop)\r\n'), 30),
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
    const started = performance.now();
    assert.ok(server.startClient);
    const client = await server.startClient('client.js', ['scrape', 'alice', '3', '300'], clientOut.onOutput);
    assert.ok(performance.now() - started >= 20, 'the client waited until the server listened');
    assert.equal(await client.exit, 0);
    const [clientProcess] = containers[0].spawned('client.js');
    assert.deepEqual(clientProcess.args, ['client.js', 'scrape', 'alice', '3', '300']);
    assert.equal(clientProcess.options.cwd, '04-scraper-server');
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

  it('reports its name and a label', () => {
    const { runtime } = setup({});
    assert.equal(runtime.name, 'webcontainer');
    assert.match(runtime.label, /WebContainer/);
  });
});
