/**
 * src/runtime/local.ts, the page's side of the local runtime, against the real handler through
 * Node's fetch. Node's fetch sends neither Origin nor Sec-Fetch-Site, and needs absolute URLs, so
 * the tests hand it a fetch that behaves as a page of the book served at the test server would.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exampleDir } from '../src/examples/files.ts';
import { findPython } from '../src/runtime/local/server/python.ts';
import { createLocalRuntime, type LocalRuntime } from '../src/runtime/local/server/handler.ts';
import { connectLocalRuntime } from '../src/runtime/local/client.ts';
import { wordsFor, type Words } from '../src/runtime/messages.ts';
import { RuntimeUnavailable, type OutputStream, type Runtime, type RunSpec } from '../src/runtime/types.ts';
import { pageFetch, privateTmpdir, processesIn, runFolders, serve, strippedFiles, until, type Served } from './lib/local-runtime.ts';

function collect() {
  const chunks: { text: string; stream: OutputStream }[] = [];
  return {
    sink: (text: string, stream: OutputStream) => void chunks.push({ text, stream }),
    text: (stream?: OutputStream) => chunks.filter((chunk) => !stream || chunk.stream === stream).map((chunk) => chunk.text).join(''),
  };
}

const LOOP: RunSpec = { exampleId: '07-execution-order', files: { 'main.js': 'for (;;) {}\n' }, entry: 'main.js', imageServer: false };

describe('local runtime, page side', () => {
  let tmp: string;
  let s: Served;
  let runtime: Runtime;

  before(async () => {
    tmp = privateTmpdir();
    s = await serve();
    const connected = await connectLocalRuntime({ fetch: pageFetch(s.origin), token: s.runtime.token });
    assert.ok(connected);
    runtime = connected;
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('connects, and says which Node it is', () => {
    assert.equal(runtime.name, 'local');
    assert.equal(runtime.label, `local Node ${process.version}`);
  });

  it('is null where there is no local runtime: a static host, a host that answers every path with a page, nobody', async () => {
    const answer = (status: number, type: string, body: string) =>
      http.createServer((_req, res) => {
        res.writeHead(status, { 'Content-Type': type });
        res.end(body);
      });
    for (const server of [answer(404, 'text/html', '<h1>Not found</h1>'), answer(200, 'text/html', '<!doctype html><p>the book</p>')]) {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      assert.equal(await connectLocalRuntime({ fetch: pageFetch(origin), token: 'any' }), null);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    assert.equal(await connectLocalRuntime({ fetch: pageFetch('http://127.0.0.1:9') }), null); // nothing listens on port 9
  });

  it('runs a stripped example (07) and passes on its output as it comes, then its exit code', async () => {
    const out = collect();
    const program = await runtime.run({ exampleId: '07-execution-order', files: strippedFiles('07-execution-order'), entry: 'main.js', imageServer: false }, out.sink);
    assert.equal(await program.exit, 0);
    const lines = out.text('stdout').trimEnd().split('\n');
    assert.deepEqual(
      lines.map((line) => Number(/^\S+ \S+ (\d+)\. /.exec(line)?.[1])),
      lines.map((_, i) => i + 1),
    );
    assert.equal(out.text('stderr') + out.text('system'), '');
  });

  it('passes on stderr and a failing exit code', async () => {
    const out = collect();
    const program = await runtime.run({ ...LOOP, files: { 'main.js': 'console.log("out"); console.error("err"); process.exitCode = 3;' } }, out.sink);
    assert.equal(await program.exit, 3);
    assert.equal(out.text('stdout'), 'out\n');
    assert.equal(out.text('stderr'), 'err\n');
  });

  it('stop() ends an endless loop: the process is gone within a second, and exit resolves', async (t) => {
    const program = await runtime.run(LOOP, () => {});
    await until(() => processesIn(tmp).length === 1, 2000, 'the loop runs');
    const start = performance.now();
    await program.stop();
    const ms = await until(() => processesIn(tmp).length === 0, 1000, 'the loop is gone');
    t.diagnostic(`endless loop gone ${(performance.now() - start).toFixed(1)} ms after stop() (${ms.toFixed(1)} ms after it resolved)`);
    assert.equal(await program.exit, 143);
    await until(() => runFolders(tmp).length === 0, 1000, 'its folder is removed');
    await program.stop(); // a second stop() is harmless
  });

  it('reports a limit as a system line, and the exit code of the killed program', async () => {
    const limited = await serve({ programTimeoutMs: 300 });
    try {
      const local = await connectLocalRuntime({ fetch: pageFetch(limited.origin), token: limited.runtime.token });
      const out = collect();
      const program = await local!.run(LOOP, out.sink);
      assert.equal(await program.exit, 137);
      assert.match(out.text('system'), /^The program ran for more than 0\.3 s, the limit of local Node v\d+\.\d+\.\d+, so it was stopped\.\n$/);
    } finally {
      await limited.close();
    }
  });

  it('turns the confinement’s events into system lines in the page’s words: memory, CPU and file limits, refusals', async () => {
    const events = [
      { type: 'started', pid: 1 },
      { type: 'limit', reason: 'memory', limit: 256 * 1024 * 1024, message: '' },
      { type: 'limit', reason: 'cpu', limit: 15_000, message: '' },
      { type: 'limit', reason: 'file', limit: 64 * 1024 * 1024, message: '' },
      { type: 'denied', permission: 'FileSystemRead', resource: '/etc/passwd', message: '' },
      { type: 'denied', permission: 'FileSystemWrite', resource: '/home/reader/notes.txt', message: '' },
      { type: 'denied', permission: 'ChildProcess', message: '' },
      { type: 'denied', permission: 'WorkerThreads', message: '' },
      { type: 'denied', permission: 'Inspector', message: '' },
      { type: 'exit', code: 134 },
    ];
    const fake: typeof fetch = async (input) => {
      if (String(input).endsWith('session')) return Response.json({ secret: 'x', node: 'v24.0.0' });
      return new Response(events.map((event) => `${JSON.stringify(event)}\n`).join(''), { headers: { 'Content-Type': 'application/x-ndjson' } });
    };
    const lines = async (words?: Words) => {
      const local = await connectLocalRuntime({ fetch: fake, words });
      const out = collect();
      const program = await local!.run(LOOP, out.sink);
      assert.equal(await program.exit, 134);
      assert.equal(out.text('stdout') + out.text('stderr'), '');
      return out.text('system').trimEnd().split('\n');
    };
    const english = await lines();
    assert.deepEqual(english.slice(0, 3), [
      'The program needed more than 256 MB of memory, the limit of local Node v24.0.0, so it was stopped.',
      'The program used more than 15 s of CPU time, the limit of local Node v24.0.0, so it was stopped.',
      'The program wrote a file larger than 64 MB, the limit of local Node v24.0.0, so it was stopped.',
    ]);
    assert.match(english[3]!, /^The program may not read \/etc\/passwd: local Node v24\.0\.0 lets the book’s programs read and write only their own folder, so that a mistake or a copied snippet cannot touch your files\.$/);
    assert.match(english[4]!, /^The program may not write to \/home\/reader\/notes\.txt: /);
    assert.match(english[5]!, /^The program may not start other programs: /);
    assert.match(english[6]!, /^The program may not start worker threads: /);
    assert.match(english[7]!, /^The program was refused Inspector: /);
    const russian = await lines(wordsFor('ru'));
    assert.equal(russian.length, english.length);
    assert.equal(russian[0], 'Программе понадобилось больше 256 МБ памяти — это предел (локальный Node v24.0.0), поэтому её остановили.');
    for (const line of russian) assert.doesNotMatch(line, /\{|undefined|The program/, line);
  });

  it('runs the server example, and clients of it with startClient()', async () => {
    const files = strippedFiles('04-scraper-server');
    const serverOut = collect();
    const program = await runtime.run({ exampleId: '04-scraper-server', files, entry: 'main.js', imageServer: true, server: true }, serverOut.sink);
    assert.ok(program.startClient);
    const clientOut = collect();
    const client = await program.startClient('client.js', ['scrape', 'alice', '2', '50'], clientOut.sink);
    assert.equal(await client.exit, 0, clientOut.text());
    assert.match(clientOut.text('stdout'), /scrape alice: 200 \{"images": \[2 PNGs: 8053, 30211 bytes\]\}/);
    const cancel = await program.startClient('client.js', ['cancel', 'bob'], clientOut.sink);
    assert.equal(await cancel.exit, 0);
    assert.match(clientOut.text('stdout'), /cancel bob: 200 \{"cancelled": 0\}/);
    assert.match(serverOut.text(), /Serving on http:\/\/127\.0\.0\.1:\d+/);
    await program.stop();
    assert.equal(await program.exit, 143);
    await until(() => processesIn(tmp).length === 0, 1000, 'the server is gone');
    await assert.rejects(program.startClient('client.js', ['cancel', 'bob'], () => {}), /not running/);
  });

  it('turns a refused run into an error with the server’s reason', async () => {
    await assert.rejects(runtime.run({ ...LOOP, exampleId: 'no-such-example' }, () => {}), /refused to run the program: There is no example "no-such-example"/);
    await assert.rejects(runtime.run({ ...LOOP, entry: 'client.js' }, () => {}), /entry must be one of the files/);
  });

  it('without the token, or with one from before a restart, the runtime is unavailable and the reader is told how to get live runs', async () => {
    for (const token of [null, '']) {
      await assert.rejects(
        connectLocalRuntime({ fetch: pageFetch(s.origin), token }),
        (error: unknown) => error instanceof RuntimeUnavailable && error.runtime === 'local' && /open the address shown in the terminal where npm start runs \(it ends in \?token=…\)/.test(error.message),
        `token ${JSON.stringify(token)}`,
      );
    }
    await assert.rejects(
      connectLocalRuntime({ fetch: pageFetch(s.origin), token: 'f'.repeat(64) }),
      (error: unknown) => error instanceof RuntimeUnavailable && /restarted and has a new token/.test(error.message),
    );
    await assert.rejects(
      connectLocalRuntime({ fetch: pageFetch(s.origin), token: null, words: wordsFor('ru') }),
      (error: unknown) => error instanceof RuntimeUnavailable && /откройте адрес из терминала, где запущен npm start/.test(error.message),
    );

    // The server restarts while the page is open: its token changes, and the next Run says so.
    let current: LocalRuntime = createLocalRuntime();
    const server = http.createServer((req, res) => void current.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const local = await connectLocalRuntime({ fetch: pageFetch(origin), token: current.token });
      assert.ok(local);
      await current.close();
      current = createLocalRuntime(); // "restarted": another token
      await assert.rejects(
        local.run({ ...LOOP, files: { 'main.js': 'console.log("never")' } }, () => {}),
        (error: unknown) => error instanceof RuntimeUnavailable && /restarted and has a new token.*\?token=/.test(error.message),
      );
    } finally {
      await current.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('says the runtime is unavailable when the book’s server is gone, and fails clearly when a stream ends early', async () => {
    const gone = await serve();
    const local = await connectLocalRuntime({ fetch: pageFetch(gone.origin), token: gone.runtime.token });
    await gone.close();
    await assert.rejects(local!.run(LOOP, () => {}), (error: unknown) => error instanceof RuntimeUnavailable && /book’s server is not answering any more.*npm start/.test(error.message));

    // A stream that stops after "started", as when the server dies mid-run.
    const fake: typeof fetch = async (input) => {
      if (String(input).endsWith('session')) return Response.json({ secret: 'x', node: 'v0' });
      return new Response('{"type":"started","pid":1}\n{"type":"output","stream":"stdout","text":"hi\\n"}\n', {
        headers: { 'Content-Type': 'application/x-ndjson' },
      });
    };
    const cut = await connectLocalRuntime({ fetch: fake });
    const out = collect();
    const program = await cut!.run(LOOP, out.sink);
    await assert.rejects(program.exit, /ended before the program did/);
    assert.equal(out.text(), 'hi\n');
    await program.stop(); // resolves: nothing left to stop
  });
});

/** The example's main.py as the page sends it for a Python run: as it is. */
function pythonFiles(id: string): Record<string, string> {
  return { 'main.py': readFileSync(path.join(exampleDir(id), 'main.py'), 'utf8') };
}

const PYTHON_LOOP: RunSpec = { exampleId: '07-execution-order', language: 'python', files: { 'main.py': 'while True:\n    pass\n' }, entry: 'main.py', imageServer: false };
const found = findPython();

describe('local runtime, Python runs', { skip: 'error' in found && found.error }, () => {
  let tmp: string;
  let s: Served;
  let runtime: Runtime;
  const version = 'version' in found ? found.version : '';

  before(async () => {
    tmp = privateTmpdir();
    s = await serve({ programTimeoutMs: 20_000 });
    runtime = (await connectLocalRuntime({ fetch: pageFetch(s.origin), token: s.runtime.token }))!;
  });
  after(async () => {
    await s.close();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('says which CPython runs Python, in the page’s language', async () => {
    assert.equal(runtime.pythonLabel, `local CPython ${version}`);
    const russian = await connectLocalRuntime({ fetch: pageFetch(s.origin), token: s.runtime.token, words: wordsFor('ru') });
    assert.equal(russian!.pythonLabel, `локальный CPython ${version}`);
  });

  it('runs 07’s main.py with CPython: the lines come numbered 1 to 10, in the order the recording has', async () => {
    const out = collect();
    const program = await runtime.run({ exampleId: '07-execution-order', language: 'python', files: pythonFiles('07-execution-order'), entry: 'main.py', imageServer: false }, out.sink);
    assert.equal(await program.exit, 0, out.text());
    const numbers = out.text('stderr').trimEnd().split('\n').map((line) => Number(/ (\d+)\. /.exec(line)?.[1]));
    assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(out.text('system'), '');
    await until(() => runFolders(tmp).length === 0, 1000, 'its folder is removed');
  });

  it('a traceback names the reader’s file, main.py, not the run’s folder', async () => {
    const out = collect();
    const source = 'import asyncio\n\nasync def main():\n    raise ValueError("no")\n\nasyncio.run(main())\n';
    const program = await runtime.run({ ...PYTHON_LOOP, files: { 'main.py': source } }, out.sink);
    assert.equal(await program.exit, 1);
    assert.match(out.text('stderr'), /^ {2}File "main\.py", line 4, in main$/m);
    assert.match(out.text('stderr'), /^ValueError: no$/m);
    assert.doesNotMatch(out.text(), /asyncio-book-run-/);
  });

  it('isolated mode: no PYTHON* variables, no folder on sys.path, no __pycache__; cwd and TMPDIR are the run’s folder', async () => {
    const out = collect();
    const source = [
      'import os, sys, tempfile',
      'print(sys.flags.isolated, sys.flags.dont_write_bytecode)',
      'print(os.getcwd() == tempfile.gettempdir(), os.getcwd() in sys.path, "" in sys.path)',
    ].join('\n');
    const program = await runtime.run({ ...PYTHON_LOOP, files: { 'main.py': source } }, out.sink);
    assert.equal(await program.exit, 0, out.text());
    assert.equal(out.text('stdout'), '1 1\nTrue False False\n');
  });

  it('Stop ends `while True: pass` and every process it started; the folder goes', async () => {
    const program = await runtime.run(PYTHON_LOOP, () => {});
    await until(() => processesIn(tmp).length === 1, 3000, 'the loop runs');
    await program.stop();
    await until(() => processesIn(tmp).length === 0, 1000, 'the loop is gone');
    assert.equal(await program.exit, 143);
    await until(() => runFolders(tmp).length === 0, 1000, 'its folder is removed');
  });

  it('holds Python to the same time limit as Node', async () => {
    const limited = await serve({ programTimeoutMs: 300 });
    try {
      const local = await connectLocalRuntime({ fetch: pageFetch(limited.origin), token: limited.runtime.token });
      const out = collect();
      const program = await local!.run(PYTHON_LOOP, out.sink);
      assert.equal(await program.exit, 137);
      assert.match(out.text('system'), new RegExp(`^The program ran for more than 0\\.3 s, the limit of local CPython ${version.replace(/\./g, '\\.')}, so it was stopped\\.\\n$`));
    } finally {
      await limited.close();
    }
  });

  it('stops a program that asks for more memory than the OS limit, and says so', { skip: !existsSync('/usr/bin/prlimit') && 'no prlimit' }, async () => {
    const out = collect();
    // One request past the limit, refused at once: filling 2 GB in 64 MB blocks (each one zeroed,
    // so every page touched) once took longer than the 10 s time limit on a loaded CI machine.
    const program = await runtime.run({ ...PYTHON_LOOP, files: { 'main.py': 'block = bytearray(3 * 1024 * 1024 * 1024)\n' } }, out.sink);
    assert.notEqual(await program.exit, 0);
    assert.match(out.text('system'), /^The program needed more than 2,048 MB of memory, the limit of local CPython/);
  });

  it('runs 04’s Python server, and the Node client of it', async () => {
    const files = { ...pythonFiles('04-scraper-server'), 'client.js': strippedFiles('04-scraper-server')['client.js']! };
    const serverOut = collect();
    const program = await runtime.run({ exampleId: '04-scraper-server', language: 'python', files, entry: 'main.py', imageServer: true, server: true }, serverOut.sink);
    const clientOut = collect();
    const client = await program.startClient!('client.js', ['scrape', 'alice', '2', '50'], clientOut.sink);
    assert.equal(await client.exit, 0, clientOut.text() + serverOut.text());
    assert.match(clientOut.text('stdout'), /scrape alice: 200 \{"images": \[2 PNGs: 8053, 30211 bytes\]\}/);
    assert.match(serverOut.text(), /Serving on http:\/\/127\.0\.0\.1:\d+/);
    await program.stop();
    await until(() => processesIn(tmp).length === 0, 1000, 'the server is gone');
  });
});

describe('local runtime, no Python on the machine', () => {
  it('a page told there is no Python gets RuntimeUnavailable for a Python run, in its language, and no request', async () => {
    let posted = 0;
    const fake: typeof fetch = async (input) => {
      if (String(input).endsWith('session')) return Response.json({ node: 'v24.0.0', python: null });
      posted += 1;
      return new Response('', { status: 500 });
    };
    const local = await connectLocalRuntime({ fetch: fake, words: wordsFor('ru') });
    assert.equal(local!.pythonLabel, undefined);
    await assert.rejects(local!.run(PYTHON_LOOP, () => {}), (error: unknown) => error instanceof RuntimeUnavailable && /нет Python 3\.11/.test(error.message));
    assert.equal(posted, 0);
  });
});
