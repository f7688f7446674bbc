/**
 * The run session (src/runtime/session.ts): the lifecycle a reader drives with Run and Stop, against
 * fake runtimes whose every step the test releases by hand (for the races), and against the real
 * local runtime for "the book's server is gone after a first run".
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { deferred, type Deferred } from '../src/lib/async.ts';
import { connectLocalRuntime } from '../src/runtime/local/client.ts';
import { ENGLISH, wordsFor } from '../src/runtime/messages.ts';
import { createRecordedRuntime, isRecorded } from '../src/runtime/recorded.ts';
import { RunSession, type Prepared, type SessionState } from '../src/runtime/session.ts';
import { RunAborted, RuntimeUnavailable, type OutputSink, type OutputStream, type RunningProgram, type Runtime, type RunOptions, type RunSpec } from '../src/runtime/types.ts';
import { pageFetch, privateTmpdir, serve, strippedFiles } from './lib/local-runtime.ts';

const SPEC: RunSpec = { exampleId: '07-execution-order', files: { 'main.js': '' }, entry: 'main.js', imageServer: false };
const ok = (spec: RunSpec = SPEC): (() => Prepared) => () => ({ ok: true, spec });
const RECORDED = { text: '1. recorded line\n2. another\n', exitCode: 0 };

/** A program whose exit the test decides; stop() ends it with 143, as a killed process. */
class FakeProgram implements RunningProgram {
  readonly exited: Deferred<number> = deferred<number>();
  readonly exit = this.exited.promise;
  stops = 0;
  /** When set, stop() waits for it, as a program that takes a while to die. */
  stopping: Promise<void> | undefined;
  readonly sink: OutputSink;
  constructor(sink: OutputSink) {
    this.sink = sink;
    this.exit.catch(() => {});
  }
  async stop(): Promise<void> {
    this.stops += 1;
    await this.stopping;
    this.exited.resolve(143);
    await this.exit.catch(() => {});
  }
}

/** A runtime whose each run waits until the test hands back its program (or an error). */
class FakeRuntime implements Runtime {
  readonly name = 'local' as const;
  readonly label = 'fake Node';
  readonly starts: { spec: RunSpec; signal?: AbortSignal; onProgress?: (note: string) => void; started: Deferred<FakeProgram>; program: FakeProgram }[] = [];
  run(spec: RunSpec, onOutput: OutputSink, options: RunOptions = {}): Promise<RunningProgram> {
    const started = deferred<FakeProgram>();
    this.starts.push({ spec, signal: options.signal, onProgress: options.onProgress, started, program: new FakeProgram(onOutput) });
    return started.promise;
  }
  /** Lets start number `n` succeed; returns its program. */
  start(n: number): FakeProgram {
    const start = this.starts[n]!;
    start.started.resolve(start.program);
    return start.program;
  }
}

function session(choose: () => Promise<Runtime>) {
  const states: SessionState[] = [];
  const output: { text: string; stream: OutputStream }[] = [];
  const s = new RunSession({
    choose,
    fallback: (reason) => createRecordedRuntime(RECORDED, reason),
    onState: (state) => void states.push(state),
    onOutput: (text, stream) => void output.push({ text, stream }),
  });
  return {
    s,
    states,
    phases: () => states.map((state) => ('runtime' in state && state.runtime ? `${state.phase}:${state.runtime.name}` : state.phase)),
    text: () => output.map((chunk) => chunk.text).join(''),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('run session', () => {
  it('a run: starting, running, exited with its code; its output reaches the page in order', async () => {
    const runtime = new FakeRuntime();
    const { s, phases, text, states } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    assert.deepEqual(phases(), ['starting:local']);
    const program = runtime.start(0);
    await tick();
    assert.equal(s.state.phase, 'running');
    program.sink('a\n', 'stdout');
    program.sink('b\n', 'stderr');
    program.exited.resolve(3);
    await done;
    assert.deepEqual(phases(), ['starting:local', 'running:local', 'exited:local']);
    assert.equal((states.at(-1) as { code: number }).code, 3);
    assert.equal(text(), 'a\nb\n');
    assert.equal(s.state.phase, 'exited');
  });

  it('output that arrives after the exit is dropped', async () => {
    const runtime = new FakeRuntime();
    const { s, text } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    const program = runtime.start(0);
    program.sink('before\n', 'stdout');
    program.exited.resolve(0);
    await done;
    program.sink('late\n', 'stdout');
    assert.equal(text(), 'before\n');
  });

  it('double Run while starting: the first run is abandoned, its program stopped when it arrives, and only the second reports', async () => {
    const runtime = new FakeRuntime();
    const { s, phases, text } = session(async () => runtime);
    const first = s.run(ok());
    await tick();
    const second = s.run(ok());
    await tick();
    assert.equal(runtime.starts.length, 2);
    assert.equal(runtime.starts[0]!.signal?.aborted, true, 'the first start was told to give up');
    assert.equal(runtime.starts[1]!.signal?.aborted, false);

    const late = runtime.start(0); // the runtime hands the first program back anyway
    await first;
    assert.equal(late.stops, 1, 'so it is stopped at once');
    late.sink('from the abandoned run\n', 'stdout');

    const program = runtime.start(1);
    await tick();
    program.sink('second\n', 'stdout');
    program.exited.resolve(0);
    await second;
    assert.deepEqual(phases(), ['starting:local', 'starting:local', 'running:local', 'exited:local']);
    assert.equal(text(), 'second\n');
  });

  it('Run while running: the running program is stopped first, then the new run starts', async () => {
    const runtime = new FakeRuntime();
    const { s, phases, text } = session(async () => runtime);
    void s.run(ok());
    await tick();
    const first = runtime.start(0);
    await tick();
    first.sink('one\n', 'stdout');
    const dying = deferred<void>();
    first.stopping = dying.promise;
    const second = s.run(ok());
    await tick();
    assert.equal(first.stops, 1);
    assert.equal(runtime.starts.length, 1, 'the second run waits while the first program is still going');
    dying.resolve();
    await tick();
    assert.equal(runtime.starts.length, 2, 'and starts once it is gone');
    first.sink('late from one\n', 'stdout');
    const program = runtime.start(1);
    await tick();
    program.exited.resolve(0);
    await second;
    assert.deepEqual(phases(), ['starting:local', 'running:local', 'starting:local', 'running:local', 'exited:local']);
    assert.equal(text(), 'one\n');
  });

  it('Stop during the start: stopped at once, the start is aborted, and a program handed back later is stopped without running', async () => {
    const runtime = new FakeRuntime();
    const { s, phases } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    await s.stop();
    assert.deepEqual(phases(), ['starting:local', 'stopped:local']);
    assert.equal(runtime.starts[0]!.signal?.aborted, true);
    const program = runtime.start(0);
    await done;
    assert.equal(program.stops, 1);
    assert.deepEqual(phases(), ['starting:local', 'stopped:local'], 'no running state for a stopped start');
  });

  it('Stop while the runtime is still being chosen: stopped before it started', async () => {
    const chosen = deferred<Runtime>();
    const runtime = new FakeRuntime();
    const { s, phases } = session(() => chosen.promise);
    const done = s.run(ok());
    await s.stop();
    chosen.resolve(runtime);
    await done;
    assert.deepEqual(phases(), ['stopped']);
    assert.equal(runtime.starts.length, 0, 'nothing was started');
  });

  it('a start abandoned with RunAborted is not a failure', async () => {
    const runtime = new FakeRuntime();
    const { s, phases } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    const stopping = s.stop();
    runtime.starts[0]!.started.reject(new RunAborted());
    await Promise.all([done, stopping]);
    assert.deepEqual(phases(), ['starting:local', 'stopped:local']);
  });

  it('Stop while running: the program is stopped and the run ends as stopped, once', async () => {
    const runtime = new FakeRuntime();
    const { s, phases } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    const program = runtime.start(0);
    await tick();
    await s.stop();
    await done;
    await s.stop(); // nothing left to stop
    assert.equal(program.stops, 1);
    assert.deepEqual(phases(), ['starting:local', 'running:local', 'stopped:local']);
  });

  it('a runtime failing mid-run: failed, with its reason, and the output so far kept', async () => {
    const runtime = new FakeRuntime();
    const { s, phases, text, states } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    const program = runtime.start(0);
    program.sink('partial\n', 'stdout');
    program.exited.reject(new Error('the connection to the book’s server ended before the program did'));
    await done;
    assert.deepEqual(phases(), ['starting:local', 'running:local', 'failed:local']);
    assert.match((states.at(-1) as { reason: string }).reason, /ended before the program did/);
    assert.equal(text(), 'partial\n');
  });

  it('a runtime that refuses with a plain error: failed, not a fallback', async () => {
    const runtime = new FakeRuntime();
    const { s, phases } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    runtime.starts[0]!.started.reject(new Error('the book’s server refused to run the program: no such example'));
    await done;
    assert.deepEqual(phases(), ['starting:local', 'failed:local']);
  });

  it('no live runtime: the recorded runtime shows the recording and carries the reason', async () => {
    const { s, phases, text, states } = session(async () => {
      throw new RuntimeUnavailable(ENGLISH.say('runtime.notIsolated'), 'webcontainer');
    });
    await s.run(ok());
    assert.deepEqual(phases(), ['starting:recorded', 'running:recorded', 'exited:recorded']);
    assert.equal(text(), RECORDED.text);
    const last = states.at(-1);
    assert.ok(last?.phase === 'exited' && isRecorded(last.runtime));
    assert.match(last.runtime.reason, /not cross-origin isolated/);
  });

  it('a start refused with a way out (a page in a frame): the recording, the reason, and the link the reader can follow', async () => {
    const action = { kind: 'open-in-new-tab', href: 'https://book.example/en/how-asyncio-works/' } as const;
    const { s, phases, text, states } = session(async () => {
      throw new RuntimeUnavailable(ENGLISH.say('runtime.webcontainer.inFrame'), 'webcontainer', action);
    });
    await s.run(ok());
    assert.deepEqual(phases(), ['starting:recorded', 'running:recorded', 'exited:recorded']);
    assert.equal(text(), RECORDED.text);
    const last = states.at(-1);
    assert.ok(last?.phase === 'exited' && isRecorded(last.runtime));
    assert.match(last.runtime.reason, /inside another page \(in a frame\)/);
    assert.deepEqual(last.runtime.action, action);
  });

  it('a runtime that is slow to start says what it waits for: the starting state again, with its note, then it runs', async () => {
    const runtime = new FakeRuntime();
    const { s, states, phases } = session(async () => runtime);
    const done = s.run(ok());
    await tick();
    runtime.starts[0]!.onProgress?.('starting the sandbox…');
    const program = runtime.start(0);
    await tick();
    runtime.starts[0]!.onProgress?.('too late: it runs'); // a note after the start is not shown
    program.exited.resolve(0);
    await done;
    assert.deepEqual(phases(), ['starting:local', 'starting:local', 'running:local', 'exited:local']);
    assert.deepEqual(
      states.map((state) => (state.phase === 'starting' ? (state.note ?? '') : null)).filter((note) => note !== null),
      ['', 'starting the sandbox…'],
    );
  });

  it('a syntax error: invalid, and nothing is chosen or started', async () => {
    let chosen = 0;
    const { s, phases } = session(async () => {
      chosen += 1;
      return new FakeRuntime();
    });
    await s.run(() => ({ ok: false, problem: { message: 'Unexpected token', line: 2, column: 5, offset: 9 } }));
    assert.deepEqual(phases(), ['invalid']);
    assert.equal(chosen, 0);
  });

  describe('with the real local runtime', () => {
    let tmp: string;
    before(() => {
      tmp = privateTmpdir();
    });
    after(() => rmSync(tmp, { recursive: true, force: true }));

    it('the book’s server gone after a first run: the next Run says so, naming the server and how to start it, in the page’s language', async () => {
      for (const locale of ['en', 'ru'] as const) {
        const served = await serve();
        const words = wordsFor(locale);
        const local = await connectLocalRuntime({ fetch: pageFetch(served.origin), words, token: served.runtime.token });
        assert.ok(local);
        const states: SessionState[] = [];
        let output = '';
        const s = new RunSession({
          choose: async () => local,
          fallback: (reason) => createRecordedRuntime(RECORDED, reason.message, words),
          onState: (state) => void states.push(state),
          onOutput: (text) => void (output += text),
        });
        const spec: RunSpec = { exampleId: '07-execution-order', files: strippedFiles('07-execution-order'), entry: 'main.js', imageServer: false };
        await s.run(ok(spec));
        assert.equal(states.at(-1)?.phase, 'exited', 'the first run works');
        assert.match(output, /setTimeout\(0\)/);

        await served.close(); // the reader stops `npm start`
        output = '';
        await s.run(ok(spec));
        const last = states.at(-1)!;
        assert.ok(last.phase === 'exited' && isRecorded(last.runtime), 'the recording is shown instead');
        const reason = last.runtime.reason;
        if (locale === 'en') assert.match(reason, /book’s server is not answering any more.*npm start/);
        else assert.match(reason, /сервер книги больше не отвечает.*npm start/);
        assert.doesNotMatch(reason, /WebContainer/, 'the reason names the runtime that failed, not another one');
        assert.equal(output, RECORDED.text);
      }
    });
  });
});
