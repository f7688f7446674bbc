/**
 * Every example through the WebContainer adapter (src/runtime/webcontainer.ts) on the Node versions
 * a WebContainer has, 18 and 20, as REAL processes: test/lib/process-container.ts mounts real files
 * and spawns real old Nodes that, like a WebContainer's, strip no types and detect no ES modules.
 * The files are exactly what the page sends (src/runtime/page-spec.ts, the controller's own
 * builder), the support files exactly what the page mounts (src/runtime/choice.ts). Each run's lines
 * are compared with the example's recording as test/lib/recording-compare.ts describes.
 *
 * Nothing here ran in a real WebContainer: StackBlitz's service is unreachable from this machine.
 * What this proves is that the files, the folders, the module format, the image server, the
 * clients and the adapter's handling of processes work on those Nodes.
 *
 * The two Nodes run one after the other, and the examples one after another, so that their
 * timing is honest on a 2-core machine (01's delays alone take 3 s).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXAMPLES_DIR, exampleDir, exampleIds, readMeta, readRecording } from '../src/examples/files.ts';
import { LineSplitter } from '../src/lib/lines.ts';
import { supportFilesFrom } from '../src/runtime/support-files.ts';
import { runSpecFor } from '../src/runtime/page-spec.ts';
import { createRecordedRuntime, isRecorded } from '../src/runtime/recorded.ts';
import { RunSession, type SessionState } from '../src/runtime/session.ts';
import { freePort } from '../src/runtime/local/server/ports.ts';
import type { OutputStream, RunningProgram, RunSpec } from '../src/runtime/types.ts';
import { createWebContainerRuntime, type WebContainerRuntime, type WebContainerRuntimeOptions } from '../src/runtime/webcontainer.ts';
import { oldNodes, ProcessContainer, type OldNode } from './lib/process-container.ts';
import { comparable, COMPARISONS, message } from './lib/recording-compare.ts';

const IMAGE_SERVER_SOURCE = readFileSync(path.join(EXAMPLES_DIR, '_support', 'image-server.ts'), 'utf8');
const source = (id: string, file: string) => {
  try {
    return readFileSync(path.join(exampleDir(id), file), 'utf8');
  } catch {
    return null;
  }
};

/** The RunSpec a reader's page sends for an example it has not edited. */
function pageSpec(id: string): RunSpec {
  const meta = readMeta(id);
  const prepared = runSpecFor({
    id,
    source: source(id, 'main.ts') ?? '',
    client: source(id, 'client.ts'),
    imageServer: meta.imageServer,
    kind: meta.kind,
    timeoutMs: meta.timeoutMs,
  });
  assert.ok(prepared.ok, `${id} compiles`);
  return prepared.spec;
}

/** Output as whole lines, in the order they arrive, from any number of sources. */
function collector() {
  const lines: string[] = [];
  const system: string[] = [];
  const sink = (prefix = '') => {
    const splitter = new LineSplitter();
    return (text: string, stream: OutputStream) => {
      if (stream === 'system') system.push(text);
      for (const line of splitter.push(text)) lines.push(prefix + line.text);
    };
  };
  return { lines, system, sink };
}

async function until(done: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function recordedLines(id: string): string[] {
  const recording = readRecording(id);
  assert.ok(recording, `${id} has a recording`);
  return recording.lines.map((line) => line.text);
}

function assertLikeRecording(id: string, lines: string[]): void {
  const comparison = COMPARISONS[id];
  assert.ok(comparison, `test/lib/recording-compare.ts says how to compare ${id}`);
  assert.deepEqual(comparable(lines, comparison), comparable(recordedLines(id), comparison), `${id}, as it ran:\n${lines.join('\n')}`);
}

/** The recorder's scripted session of the server example (scripts/lib/server-session.ts), through the adapter. */
async function serverSession(server: RunningProgram, lines: string[], sink: (prefix: string) => (text: string, stream: OutputStream) => void) {
  await until(() => lines.some((line) => line.includes('Serving on')), 20_000, 'the server to say where it serves');
  const exits: number[] = [];
  const client = async (...args: string[]) => {
    lines.push(`[client] $ node client.ts ${args.join(' ')}`);
    assert.ok(server.startClient);
    const program = await server.startClient('client.js', args, sink('[client] '));
    exits.push(await program.exit);
  };
  await client('scrape', 'alice', '3', '300');
  const bob = client('scrape', 'bob', '4', '10000');
  await until(() => lines.filter((line) => /bob: Starting download from .*delay=10000/.test(line)).length === 4, 30_000, "bob's four downloads");
  await client('scrape', 'alice', '2', '400');
  await client('cancel', 'bob');
  await bob;
  await client('cancel', 'carol');
  await new Promise((resolve) => setTimeout(resolve, 100)); // the server's last lines
  return exits;
}

const programs = exampleIds().filter((id) => readMeta(id).kind === 'program');

for (const found of oldNodes()) {
  describe(`the WebContainer adapter on real Node ${found.major} (${found.node?.version ?? 'missing'})`, { skip: found.skip }, () => {
    const node = found.node as OldNode;
    const containers: ProcessContainer[] = [];
    let ports: Pick<WebContainerRuntimeOptions, 'imageServerPort' | 'serverPort'>;
    let runtime: WebContainerRuntime;
    const make = (options: Partial<WebContainerRuntimeOptions> = {}) =>
      createWebContainerRuntime({
        boot: async () => {
          const container = new ProcessContainer(node);
          containers.push(container);
          return container;
        },
        supportFiles: async () => supportFilesFrom(IMAGE_SERVER_SOURCE),
        ...ports,
        ...options,
      });

    before(async () => {
      // A page's container has its own ports; on this shared machine the test takes free ones.
      const imageServerPort = await freePort(0);
      ports = { imageServerPort, serverPort: await freePort(0) };
      assert.notEqual(ports.serverPort, imageServerPort);
      runtime = make();
    });
    after(() => {
      for (const container of containers) if (!container.tornDown) container.teardown();
    });

    for (const id of programs) {
      it(`${id}: the files the page sends run, and print what the recording prints`, async () => {
        const out = collector();
        const program = await runtime.run(pageSpec(id), out.sink());
        assert.equal(await program.exit, readRecording(id)?.exitCode, `${id} exits as recorded; it printed:\n${out.lines.join('\n')}`);
        assert.deepEqual(out.system, [], 'the runtime had nothing to say');
        assertLikeRecording(id, out.lines);
        if (id === '06-blocked-timer') {
          // The lesson: the tick after each blocking step is late by about the block (500 ms).
          for (const blocker of ['CPU loop ends', 'Synchronous sleep ends']) {
            const at = out.lines.findIndex((line) => message(line).startsWith(blocker));
            const gap = Number(/: (\d+) ms since/.exec(message(out.lines[at + 1] ?? ''))?.[1]);
            assert.ok(gap >= 400, `the tick after "${blocker}" came ${gap} ms after the previous one`);
          }
        }
        if (id === '09-collector-styles') {
          // The lesson: the three styles download the very same bytes.
          const digests = out.lines.map((line) => / collected 3 images, (\d+) bytes, sha256 (\w+)/.exec(line)?.slice(1).join(' ')).filter(Boolean);
          assert.equal(new Set(digests).size, 1, digests.join(' | '));
        }
      });
    }

    it('04-scraper-server: the recorded session, its scrape and cancel clients run inside the container', async () => {
      const id = '04-scraper-server';
      const out = collector();
      const server = await runtime.run(pageSpec(id), out.sink());
      let exits: number[];
      try {
        exits = await serverSession(server, out.lines, out.sink);
      } finally {
        await server.stop();
      }
      assert.deepEqual(exits, [0, 0, 0, 0, 0], `every client succeeded; the session:\n${out.lines.join('\n')}`);
      assert.equal(await server.exit, 143, 'the server ran until it was stopped');
      assertLikeRecording(id, out.lines);
    });

    it('a 100 KB Russian line arrives whole: no U+FFFD where the library decodes chunk by chunk', async () => {
      // 100 KB of two-byte characters after one ASCII one: every 64 KB pipe chunk ends inside a character.
      const line = `x${'Съешьжеещёэтихмягкихфранцузскихбулокдавыпейчаю'.repeat(1100)}`;
      const files = { 'main.js': `console.log(${JSON.stringify(line)});\nconsole.error("ошибка — в stderr");\n` };
      // The control: the same program without the guard, straight through the container, loses characters.
      const bare = new ProcessContainer(node);
      containers.push(bare);
      await bare.mount({ 'main.js': { file: { contents: files['main.js'] } } });
      let raw = '';
      const proc = await bare.spawn('node', ['main.js']);
      await proc.output.pipeTo(new WritableStream({ write: (chunk) => void (raw += chunk) }));
      assert.ok(raw.includes('\uFFFD'), 'without the guard, a character split between two chunks is lost (as in the library)');
      bare.teardown();

      const out = collector();
      const program = await runtime.run({ exampleId: '07-execution-order', files, entry: 'main.js', imageServer: false }, out.sink());
      assert.equal(await program.exit, 0);
      assert.equal(out.lines.length, 2);
      assert.equal(out.lines[0], line, 'the whole line, every character');
      assert.equal(out.lines[1], 'ошибка — в stderr');
    });

    it('Stop: a program that takes 1.5 s to exit is let go within the grace; the other examples on the page go on', async () => {
      const out = collector();
      const bystander = await runtime.run(pageSpec('08-async-generator'), out.sink());
      const files = {
        'main.js': 'process.on("SIGTERM", () => { console.log("cleaning up"); setTimeout(() => process.exit(0), 1500); });\nsetInterval(() => {}, 1000);\nconsole.log("ready");\n',
      };
      const slowOut = collector();
      const slow = await runtime.run({ exampleId: '05-cpu-parallel', files, entry: 'main.js', imageServer: false }, slowOut.sink());
      await until(() => slowOut.lines.includes('ready'), 10_000, 'the program to start');
      await slow.stop();
      assert.equal(await slow.exit, 0, 'it exited by itself');
      assert.deepEqual(slowOut.lines, ['ready', 'cleaning up']);
      assert.equal(await bystander.exit, 0, 'the other example ran to its end');
      assert.equal(containers[0]!.tornDown, false, 'the instance was not torn down');
    });

    it('Stop: 05 stopped while its four worker threads compute ends at once, workers and all', async () => {
      const out = collector();
      const program = await runtime.run(pageSpec('05-cpu-parallel'), out.sink());
      await until(() => out.lines.some((line) => line.includes('Worker threads: part 4 of 4 starts')), 20_000, 'the workers to start');
      await program.stop();
      assert.equal(await program.exit, 143);
      const container = containers.find((c) => !c.tornDown && c.processes.length > 1);
      await until(() => container?.running().length === 1, 5000, 'only the image server left running');
    });

    it('a program that ignores Stop (a hot loop with SIGTERM handled): the instance is torn down after the grace, and the next run boots a new one', async () => {
      const quick = make({ killGraceMs: 300 });
      const files = { 'main.js': 'process.on("SIGTERM", () => {});\nconsole.log("spinning");\nfor (;;) {}\n' };
      const out = collector();
      const program = await quick.run({ exampleId: '06-blocked-timer', files, entry: 'main.js', imageServer: false }, out.sink());
      await until(() => out.lines.includes('spinning'), 10_000, 'the loop to start');
      const container = containers.at(-1)!;
      await program.stop();
      assert.equal(await program.exit, 137);
      assert.match(out.system.join(''), /did not stop within 0\.3 s, so the WebContainer was restarted/);
      assert.equal(container.tornDown, true);
      await until(() => container.running().length === 0, 5000, 'the hot loop to be gone with its instance');
      const next = await quick.run(pageSpec('07-execution-order'), () => {});
      assert.equal(await next.exit, 0);
      assert.notEqual(containers.at(-1), container, 'a new instance');
    });

    it("the example's time limit: a program that runs on is stopped with the limit's words", async () => {
      const out = collector();
      const files = { 'main.js': 'setInterval(() => {}, 1000);\n' };
      const program = await runtime.run({ exampleId: '06-blocked-timer', files, entry: 'main.js', imageServer: false, timeoutMs: 300 }, out.sink());
      assert.equal(await program.exit, 143);
      assert.equal(out.system.join(''), 'The program ran for more than 0.3 s, the limit of WebContainer, so it was stopped.\n');
    });

    it('an image server that cannot start: the reader gets the recording, and the reason with what it printed', async () => {
      const broken = make({ supportFiles: async () => ({ 'image-server.js': 'throw new Error("no images today");\n' }) });
      const recording = readRecording('02-scraper-async')!;
      const recorded = { text: recording.lines.map((line) => `${line.text}\n`).join(''), exitCode: recording.exitCode };
      const states: SessionState[] = [];
      let output = '';
      const session = new RunSession({
        choose: async () => broken,
        fallback: (unavailable) => createRecordedRuntime(recorded, unavailable),
        onState: (state) => void states.push(state),
        onOutput: (text) => void (output += text),
      });
      await session.run(() => ({ ok: true, spec: pageSpec('02-scraper-async') }));
      const last = states.at(-1);
      assert.ok(last?.phase === 'exited' && isRecorded(last.runtime), `the recording is shown: ${JSON.stringify(last)}`);
      assert.equal(output, recorded.text, 'never an empty output');
      assert.equal(last.runtime.reason, 'the image server in the WebContainer exited with code 1. The last it printed: “Error: no images today”.');
    });
  });
}
