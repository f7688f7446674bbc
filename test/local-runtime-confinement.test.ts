/**
 * The confinement of the local runtime's runs (src/runtime/local/server/: confine.ts, rlimits.ts,
 * symptoms.ts, watchdog.ts, family.ts, stale.ts): what a run may not touch and how the reader is
 * told, the limits that stop it, and that nothing of a run outlives it, however the run ends and
 * however its server ends (SIGKILL included). Every process is checked by PID.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { exampleIds, readMeta, ROOT } from '../src/examples/files.ts';
import type { LocalRuntimeEvent } from '../src/runtime/local/protocol.ts';
import { FILE_LIMIT_BYTES, HEAP_LIMIT_MB, nodeFlags } from '../src/runtime/local/server/confine.ts';
import { limitedCommand, prlimit } from '../src/runtime/local/server/rlimits.ts';
import { symptomReader } from '../src/runtime/local/server/symptoms.ts';
import { isAlive, pageFetch, privateTmpdir, processesIn, runFolders, serve, strippedFiles, until, type Served } from './lib/local-runtime.ts';

type Started = Extract<LocalRuntimeEvent, { type: 'started' }>;

const LOOP = { exampleId: '07-execution-order', files: { 'main.js': 'for (;;) {}\n' }, entry: 'main.js', imageServer: false };
const program = (code: string) => ({ ...LOOP, files: { 'main.js': code } });
const NO_PRLIMIT = prlimit() ? false : 'no prlimit on this machine: runs have no OS limits';
const NOT_LINUX = process.platform === 'linux' ? false : 'finding what left the group needs /proc (Linux)';


interface Running {
  events: LocalRuntimeEvent[];
  /** Every event, once the response has ended (or was cut). */
  done: Promise<LocalRuntimeEvent[]>;
  waitFor<T extends LocalRuntimeEvent['type']>(type: T, timeoutMs?: number): Promise<Extract<LocalRuntimeEvent, { type: T }>>;
  output(stream?: 'stdout' | 'stderr'): string;
  /** As Stop does: the page aborts its request. */
  abort(): void;
}

/** POST run as a page of the book at `origin` does, reading the NDJSON events as they come. */
function start(origin: string, token: string, spec: object): Running {
  const controller = new AbortController();
  const events: LocalRuntimeEvent[] = [];
  let ended = false;
  const done = (async () => {
    try {
      const response = await pageFetch(origin)('/__local-runtime/run', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Book-Token': token },
        body: JSON.stringify(spec),
        signal: controller.signal,
      });
      if (response.status !== 200) throw new Error(`${response.status}: ${await response.text()}`);
      const decoder = new TextDecoder();
      let partial = '';
      for await (const chunk of response.body!) {
        const lines = (partial + decoder.decode(chunk, { stream: true })).split('\n');
        partial = lines.pop() ?? '';
        for (const line of lines) if (line) events.push(JSON.parse(line) as LocalRuntimeEvent);
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      ended = true;
    }
    return events;
  })();
  done.catch(() => {}); // read by the test through waitFor or done
  return {
    events,
    done,
    async waitFor(type, timeoutMs = 15_000) {
      const find = () => events.find((event): event is Extract<LocalRuntimeEvent, { type: typeof type }> => event.type === type);
      await until(() => !!find() || ended, timeoutMs, `a ${type} event`);
      await Promise.race([done, Promise.resolve()]); // a failed request rejects here
      const found = find();
      if (!found) throw new Error(`no ${type} event; events: ${JSON.stringify(events).slice(0, 2000)}`);
      return found;
    },
    output: (stream) => events.map((event) => (event.type === 'output' && (!stream || event.stream === stream) ? event.text : '')).join(''),
    abort: () => controller.abort(),
  };
}

const limitOf = (events: LocalRuntimeEvent[]) => events.find((event) => event.type === 'limit');
const deniedOf = (events: LocalRuntimeEvent[]) => events.filter((event) => event.type === 'denied');

describe('local runtime confinement: what a run may not touch', () => {
  let tmp: string;
  let s: Served;
  let token: string;
  const inHome = path.join(homedir(), `asyncio-book-confinement-test-${process.pid}`);

  before(async () => {
    tmp = privateTmpdir();
    s = await serve();
    token = s.runtime.token;
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
    rmSync(inHome, { force: true });
  });

  it('refuses writing outside its folder (elsewhere in the temporary directory, and in $HOME), and says why; nothing is written', async () => {
    const outside = path.join(tmp, 'outside.txt');
    const code = `import { writeFileSync } from 'node:fs';
      try { writeFileSync(${JSON.stringify(outside)}, 'x'); } catch (error) { console.error(error); }
      writeFileSync('inside.txt', 'mine'); console.log('wrote inside');
      writeFileSync(${JSON.stringify(inHome)}, 'x');`;
    const run = start(s.origin, token, program(code));
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 1 }, run.output());
    assert.equal(run.output('stdout'), 'wrote inside\n', 'its own folder it may write');
    assert.equal(run.output('stderr').match(/code: 'ERR_ACCESS_DENIED'/g)?.length, 2, run.output('stderr'));
    const denied = deniedOf(events);
    assert.equal(denied.length, 1, `explained once: ${JSON.stringify(denied)}`);
    assert.ok(denied[0]?.type === 'denied');
    assert.equal(denied[0].permission, 'FileSystemWrite');
    assert.equal(denied[0].resource, outside);
    assert.match(denied[0].message, /^The program was refused writing .*outside\.txt: this runtime lets a program read and write only its own folder/);
    assert.ok(events.indexOf(denied[0]) > events.findIndex((event) => event.type === 'output' && /ERR_ACCESS_DENIED/.test(event.text)), 'after the error it explains');
    assert.ok(!existsSync(outside), 'nothing written in the temporary directory');
    assert.ok(!existsSync(inHome), 'nothing written in $HOME');
  });

  it('refuses reading /etc/passwd, and says so with the path', async () => {
    const run = start(s.origin, token, program(`import { readFileSync } from 'node:fs'; console.log(readFileSync('/etc/passwd', 'utf8'));`));
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 1 });
    assert.doesNotMatch(run.output('stdout'), /root:/);
    const [denied] = deniedOf(events);
    assert.ok(denied?.type === 'denied' && denied.permission === 'FileSystemRead' && denied.resource === '/etc/passwd', JSON.stringify(events));
  });

  it('refuses a detached child process, so nothing of it runs', async () => {
    const code = `import { spawn } from 'node:child_process';
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' });
      console.log('spawned', child.pid); child.unref();`;
    const run = start(s.origin, token, program(code));
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 1 });
    assert.doesNotMatch(run.output('stdout'), /spawned/);
    assert.ok(deniedOf(events).some((event) => event.type === 'denied' && event.permission === 'ChildProcess'), JSON.stringify(events));
    assert.deepEqual(processesIn(tmp), []);
  });

  it('refuses worker threads to an example without "permissions": ["worker"], and allows them to 05', async () => {
    const code = `import { Worker } from 'node:worker_threads';
      const worker = new Worker('require("node:worker_threads").parentPort.postMessage(6 * 7)', { eval: true });
      worker.once('message', (answer) => console.log('worker says', answer));`;
    const refused = start(s.origin, token, program(code));
    const refusedEvents = await refused.done;
    assert.deepEqual(refusedEvents.at(-1), { type: 'exit', code: 1 });
    assert.ok(deniedOf(refusedEvents).some((event) => event.type === 'denied' && event.permission === 'WorkerThreads'), JSON.stringify(refusedEvents));
    const allowed = start(s.origin, token, { ...program(code), exampleId: '05-cpu-parallel' });
    assert.deepEqual((await allowed.done).at(-1), { type: 'exit', code: 0 }, allowed.output());
    assert.equal(allowed.output(), 'worker says 42\n');
  });

  it('keeps the permission model in a worker thread: it may not read outside either', async () => {
    const code = `import { Worker } from 'node:worker_threads';
      new Worker('require("node:fs").readFileSync("/etc/passwd")', { eval: true }).once('error', (error) => { console.error(error); process.exitCode = 3; });`;
    const run = start(s.origin, token, { ...program(code), exampleId: '05-cpu-parallel' });
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 3 }, run.output());
    assert.ok(deniedOf(events).some((event) => event.type === 'denied' && event.resource === '/etc/passwd'), JSON.stringify(events));
  });

  it('lets a run use the network (127.0.0.1): Node 24’s permission model does not restrict it', async () => {
    const code = `import http from 'node:http';
      const server = http.createServer((req, res) => res.end('pong')).listen(0, '127.0.0.1', async () => {
        console.log(await (await fetch('http://127.0.0.1:' + server.address().port)).text()); server.close(); });`;
    const run = start(s.origin, token, program(code));
    assert.deepEqual((await run.done).at(-1), { type: 'exit', code: 0 }, run.output());
    assert.equal(run.output(), 'pong\n');
  });

  it('turns node:sqlite off (it writes files past the permission model)', async () => {
    const outside = path.join(tmp, 'outside.db');
    const run = start(s.origin, token, program(`const { DatabaseSync } = await import('node:sqlite'); new DatabaseSync(${JSON.stringify(outside)});`));
    assert.deepEqual((await run.done).at(-1), { type: 'exit', code: 1 });
    assert.match(run.output('stderr'), /ERR_UNKNOWN_BUILTIN_MODULE/);
    assert.ok(!existsSync(outside));
  });
});

describe('local runtime confinement: limits', () => {
  let tmp: string;
  let s: Served;
  let token: string;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve();
    token = s.runtime.token;
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it(`stops a program whose heap grows without bound at the heap limit (${HEAP_LIMIT_MB} MB), with the memory message`, async (t) => {
    const begin = performance.now();
    const run = start(s.origin, token, program('const kept = []; for (;;) kept.push(new Array(1e6).fill(1.5));'));
    const events = await run.done;
    const limit = limitOf(events);
    assert.ok(limit?.type === 'limit' && limit.reason === 'memory', JSON.stringify(events.filter((event) => event.type !== 'output')));
    assert.equal(limit.limit, HEAP_LIMIT_MB * 1024 * 1024);
    assert.match(limit.message, /^The program needed more than 256 MB of memory, the limit of this runtime, so it was stopped\.$/);
    assert.match(run.output('stderr'), /heap out of memory/);
    const exit = events.at(-1);
    assert.ok(exit?.type === 'exit' && (exit.code === 134 || exit.code === 137), JSON.stringify(exit)); // V8 aborts, or the runtime's kill came first
    await until(() => runFolders(tmp).length === 0, 2000, 'its folder is removed');
    t.diagnostic(`heap limit reached and reported in ${Math.round(performance.now() - begin)} ms`);
  });

  it('stops a program that allocates Buffers without bound at the OS data limit, with the memory message', { skip: NO_PRLIMIT }, async () => {
    // allocUnsafe leaves the pages untouched: the limit counts them, the machine's memory does not fill.
    const run = start(s.origin, token, program('const kept = []; for (;;) kept.push(Buffer.allocUnsafe(64 * 1024 * 1024));'));
    const events = await run.done;
    const limit = limitOf(events);
    assert.ok(limit?.type === 'limit' && limit.reason === 'memory', JSON.stringify(events.filter((event) => event.type !== 'output')));
    assert.equal(limit.limit, 2 * 1024 * 1024 * 1024);
    assert.match(limit.message, /more than 2048 MB of memory/);
  });

  it(`stops a program that writes a huge file at the file size limit (${FILE_LIMIT_BYTES / 1024 / 1024} MB), and its folder is gone`, { skip: NO_PRLIMIT }, async () => {
    const code = `import { openSync, writeSync } from 'node:fs';
      const fd = openSync('huge.bin', 'w'); const chunk = Buffer.alloc(1024 * 1024, 120);
      for (;;) writeSync(fd, chunk);`;
    const run = start(s.origin, token, program(code));
    const events = await run.done;
    const limit = limitOf(events);
    assert.ok(limit?.type === 'limit' && limit.reason === 'file', JSON.stringify(events.filter((event) => event.type !== 'output')));
    assert.equal(limit.limit, FILE_LIMIT_BYTES);
    assert.match(limit.message, /^The program wrote a file larger than 64 MB, the limit of this runtime, so it was stopped\.$/);
    assert.match(run.output('stderr'), /EFBIG/);
    await until(() => runFolders(tmp).length === 0, 2000, 'its folder is removed');
  });

  it('reports SIGXCPU, the signal of the CPU time limit, as the cpu limit', async () => {
    // The real limit is a few seconds above the time limit (tested below with prlimit itself);
    // here the program sends itself the signal the kernel would send.
    const run = start(s.origin, token, program("process.kill(process.pid, 'SIGXCPU'); setInterval(() => {}, 1000);"));
    const events = await run.done;
    const limit = limitOf(events);
    assert.ok(limit?.type === 'limit' && limit.reason === 'cpu', JSON.stringify(events));
    assert.equal(limit.limit, (readMeta('07-execution-order').timeoutMs / 1000 + 5) * 1000);
    assert.match(limit.message, /^The program used more than 15 s of CPU time/);
    assert.deepEqual(events.at(-1), { type: 'exit', code: 128 + 24 });
  });

  it('prlimit sets the CPU limit for real: a busy program gets SIGXCPU after its CPU seconds', { skip: NO_PRLIMIT }, async () => {
    const [command, ...args] = limitedCommand([process.execPath, '-e', 'for (;;) {}'], { cpuSeconds: { soft: 1, hard: 2 }, fileBytes: FILE_LIMIT_BYTES, dataBytes: 2 ** 31 });
    const begin = performance.now();
    const child = spawn(command!, args, { stdio: 'ignore' });
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    assert.equal(signal, 'SIGXCPU', `exit ${code}`);
    assert.ok(performance.now() - begin < 5000);
  });

  it('kills a program that ignores SIGTERM when the page stops it', async () => {
    const run = start(s.origin, token, program("process.on('SIGTERM', () => console.log('ignored')); setInterval(() => {}, 1000); console.log('ready');"));
    const started = await run.waitFor('started');
    await until(() => run.output() === 'ready\n', 5000, 'it runs');
    run.abort();
    await until(() => !isAlive(started.pid), 1000, 'it is gone');
    await until(() => runFolders(tmp).length === 0, 2000, 'its folder is removed');
  });
});

describe('local runtime confinement: what a program starts dies with the run', { skip: NOT_LINUX }, () => {
  let tmp: string;
  let s: Served;
  let token: string;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve({ allowChildProcesses: true }); // tests only: no example may start processes
    token = s.runtime.token;
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  /** A program that starts `child` (code for spawn's arguments), prints its PID, and exits or stays. */
  const starter = (child: string, stay: boolean) => `import { spawn } from 'node:child_process';
    const child = spawn(${child});
    console.log(child.pid); child.unref();${stay ? ' setInterval(() => {}, 1000);' : ''}`;
  const grandchildOf = async (run: Running) => {
    await until(() => /^\d+\n/.test(run.output('stdout')), 10_000, 'the program prints its child’s PID');
    return Number(run.output('stdout'));
  };

  it('kills its whole process group at its exit', async () => {
    const run = start(s.origin, token, program(starter("process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' }", false)));
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, run.output());
    await until(() => !isAlive(Number(run.output('stdout'))), 1000, 'the process it left running is gone');
  });

  it('kills a detached grandchild (its own session and group) when the program exits', async () => {
    const run = start(s.origin, token, program(starter("process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true, stdio: 'ignore' }", false)));
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, run.output());
    const grandchild = Number(run.output('stdout'));
    assert.ok(grandchild > 0);
    assert.ok(!isAlive(grandchild), 'gone by the time the exit is reported');
    assert.deepEqual(processesIn(tmp), []);
  });

  it('kills a detached grandchild that also left the folder, by the run’s marker in its environment', async () => {
    const run = start(s.origin, token, program(starter("'/bin/sh', ['-c', 'cd / && exec sleep 1000'], { detached: true, stdio: 'ignore' }", false)));
    const events = await run.done;
    assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, run.output());
    assert.ok(!isAlive(Number(run.output('stdout'))));
  });

  it('kills a detached grandchild that left the folder and dropped its environment, by its parent, on Stop', async () => {
    const run = start(s.origin, token, program(starter("'/bin/sh', ['-c', 'cd / && exec /usr/bin/env -i sleep 1000'], { detached: true, stdio: 'ignore', env: {} }", true)));
    const grandchild = await grandchildOf(run);
    await until(() => isAlive(grandchild), 2000, 'the grandchild runs');
    const { pid } = await run.waitFor('started');
    run.abort();
    await until(() => !isAlive(pid) && !isAlive(grandchild), 2000, 'the program and its grandchild are gone');
    await until(() => runFolders(tmp).length === 0, 2000, 'the folder is removed');
  });
});

describe('local runtime confinement: the server going away', () => {
  let tmp: string;

  before(() => {
    tmp = privateTmpdir();
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  /** The runtime in a process of its own (lib/runtime-process.ts), and its origin. */
  async function runtimeProcess(): Promise<{ child: ChildProcess; origin: string; token: string }> {
    const child = spawn(process.execPath, [path.join(ROOT, 'test/lib/runtime-process.ts')], { env: { ...process.env, TMPDIR: tmp }, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { port, token } = JSON.parse(line) as { port: number; token: string };
    return { child, origin: `http://127.0.0.1:${port}`, token };
  }

  for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
    it(`kills the runs of a server killed with ${signal} (a hot loop, a sleeper), and removes their folders, within 5 s`, async (t) => {
      const { child, origin, token } = await runtimeProcess();
      const runs = [start(origin, token, LOOP), start(origin, token, program('setInterval(() => {}, 1000);'))];
      const pids = await Promise.all(runs.map(async (run) => (await run.waitFor('started')).pid));
      assert.ok(pids.every(isAlive));
      assert.equal(runFolders(tmp).length, 2);
      child.kill(signal);
      await once(child, 'exit');
      const ms = await until(() => pids.every((pid) => !isAlive(pid)), 5000, 'every run is gone');
      await until(() => runFolders(tmp).length === 0, 5000, 'every folder is removed');
      assert.deepEqual(processesIn(tmp), []);
      t.diagnostic(`runs gone ${ms.toFixed(0)} ms after the server's ${signal}`);
    });
  }

  it('removes the folders of a dead server when a runtime starts, killing what still runs in them; keeps the others', async () => {
    const dead = spawn(process.execPath, ['-e', '']);
    await once(dead, 'exit');
    const stale = path.join(tmp, `asyncio-book-run-${dead.pid}-stale1`);
    mkdirSync(stale);
    writeFileSync(path.join(stale, 'main.js'), 'setInterval(() => {}, 1000);');
    // What a run leaves when its watchdog was killed too: a program still running in its folder.
    const leftover = spawn(process.execPath, ['main.js'], { cwd: stale, detached: true, stdio: 'ignore' });
    await once(leftover, 'spawn');
    const live = path.join(tmp, `asyncio-book-run-${process.pid}-live01`); // this process runs
    const unowned = path.join(tmp, 'asyncio-book-run-abc123'); // no server's PID in its name
    mkdirSync(live);
    mkdirSync(unowned);
    const s = await serve();
    try {
      await until(() => !existsSync(stale), 5000, 'the stale folder is removed');
      await until(() => !isAlive(leftover.pid!), 2000, 'what ran in it is gone');
      assert.ok(existsSync(live), 'a live server’s folder is kept');
      assert.ok(existsSync(unowned), 'a folder without an owner is left alone');
    } finally {
      leftover.kill('SIGKILL');
      await s.close();
      rmSync(live, { recursive: true, force: true });
      rmSync(unowned, { recursive: true, force: true });
    }
  });
});

describe('local runtime confinement: every example of the book still runs', () => {
  let tmp: string;
  let s: Served;
  let token: string;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve();
    token = s.runtime.token;
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  for (const id of exampleIds()) {
    it(`${id} runs confined, with nothing refused and no limit hit`, async () => {
      const meta = readMeta(id);
      const files = strippedFiles(id);
      const base = { exampleId: id, files, entry: 'main.js', imageServer: meta.imageServer };
      const quiet = (events: LocalRuntimeEvent[]) => events.filter((event) => event.type === 'denied' || event.type === 'limit');
      if (meta.kind === 'server') {
        const server = start(s.origin, token, { ...base, server: true });
        const { url } = await server.waitFor('started');
        await server.waitFor('listening');
        const client = start(s.origin, token, { ...base, entry: 'client.js', args: ['scrape', 'alice', '2', '50'], env: { SCRAPER_SERVER: url! } });
        const events = await client.done;
        assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, client.output());
        assert.match(client.output('stdout'), /scrape alice: 200/);
        server.abort();
        assert.deepEqual(quiet([...(await server.done), ...events]), []);
        return;
      }
      const run = start(s.origin, token, base);
      const events = await run.done;
      assert.deepEqual(events.at(-1), { type: 'exit', code: 0 }, run.output());
      assert.deepEqual(quiet(events), [], run.output());
      assert.equal(run.output('stderr'), '');
      if (id === '05-cpu-parallel') assert.match(run.output(), /Worker threads: total \d+ in \d+ ms/);
    });
  }
});

describe('confinement helpers', () => {
  it('nodeFlags: the folder only, workers and child processes only when granted, sqlite off, the heap limit', () => {
    assert.deepEqual(nodeFlags('/t/run', { worker: false, childProcess: false }), [
      '--permission',
      '--allow-fs-read=/t/run',
      '--allow-fs-write=/t/run',
      '--no-experimental-sqlite',
      '--max-old-space-size=256',
    ]);
    assert.ok(nodeFlags('/t/run', { worker: true, childProcess: false }).includes('--allow-worker'));
    assert.ok(!nodeFlags('/t/run', { worker: true, childProcess: false }).includes('--allow-child-process'));
  });

  it('limitedCommand: prlimit with CPU, file, data and core limits before the command', { skip: NO_PRLIMIT }, () => {
    const command = limitedCommand(['node', 'main.js'], { cpuSeconds: { soft: 15, hard: 20 }, fileBytes: 64, dataBytes: 128 });
    assert.deepEqual(command, [prlimit(), '--cpu=15:20', '--fsize=64:64', '--data=128:128', '--core=0:0', '--', 'node', 'main.js']);
  });

  it('symptomReader: a refusal once, even split over two chunks; memory and file only on stderr', () => {
    const reader = symptomReader();
    const error = "Error: Access to this API has been restricted\n  code: 'ERR_ACCESS_DENIED',\n  permission: 'FileSystemRead',\n  resource: '/etc/it\\'s'\n}\n";
    const cut = error.indexOf('permission');
    assert.deepEqual(reader.read('stderr', error.slice(0, cut)), []);
    assert.deepEqual(reader.read('stderr', error.slice(cut)), [{ kind: 'denied', permission: 'FileSystemRead', resource: "/etc/it's" }]);
    assert.deepEqual(reader.read('stderr', 'more output\n'), [], 'not again');
    assert.deepEqual(reader.read('stdout', error), [{ kind: 'denied', permission: 'FileSystemRead', resource: "/etc/it's" }], 'a caught error printed with console.log');
    assert.deepEqual(reader.read('stdout', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\nEFBIG\n'), []);
    assert.deepEqual(reader.read('stderr', 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n'), [{ kind: 'memory', which: 'heap' }]);
    assert.deepEqual(reader.read('stderr', "RangeError: Failed to allocate memory\n  code: 'ERR_MEMORY_ALLOCATION_FAILED'\n"), [{ kind: 'memory', which: 'data' }]);
    assert.deepEqual(reader.read('stderr', 'Error: EF'), []);
    assert.deepEqual(reader.read('stderr', 'BIG: file too large, write\n'), [{ kind: 'file' }]);
  });

});
