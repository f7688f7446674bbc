/**
 * The scraper server (04) in every language: it downloads for many users at once, answers the
 * image server's exact bytes in base64, and cancels one user's pending downloads on request.
 * Its client (client.ts) drives it the way the browser sandbox will.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startImageServer, type ImageServer } from '../content/examples/_support/image-server.ts';
import { exampleEnv, type Launcher } from '../scripts/lib/launchers.ts';
import { startProcess } from '../scripts/lib/processes.ts';
import { startScraperServer, type ServerHandle } from '../scripts/lib/server-session.ts';
import { languages } from './lib/languages.ts';
import { ASCTIME, escape } from './lib/output.ts';

const ID = '04-scraper-server';

for (const language of languages) {
  describe(`scraper server (${language.name})`, { skip: language.skip }, () => {
    let images: ImageServer;
    let server: ServerHandle;
    let runtime: Launcher;

    const post = async (path: string, body?: string) => {
      const response = await fetch(server.url + path, { method: 'POST', body });
      const text = await response.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: response.status, text, json };
    };
    const scrape = (user: string, urls: string[]) => post(`/scrap_my_staff/${user}`, JSON.stringify({ urls }));
    const cancel = (user: string) => post(`/cancel_my_staff/${user}`);
    const image = (n: number, delay: number) => `${images.url}/img/${n}.png?delay=${delay}`;
    const serverSaid = (pattern: RegExp, count = 1) => server.process.waitForLines(pattern, count, 15_000);
    // The server's lines from index `from` on, without their asctime, in the order it printed them.
    const saidSince = (from: number) => server.process.lines.slice(from).map((line) => ASCTIME.exec(line.text)?.[2] ?? line.text);
    const shownSince = (from: number) => saidSince(from).join('\n');

    before(async () => {
      images = await startImageServer({ port: 0 });
      runtime = language.runtime();
      server = await startScraperServer(runtime, { imageServerUrl: images.url, port: 0 });
    });
    after(async () => {
      await server?.stop();
      await images?.close();
    });

    it('prints the URL it serves on, on the port it was given (PORT=0: any free port)', () => {
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.notEqual(server.url.endsWith(':0'), true);
    });

    it('a scrape answers base64 images that decode to exactly the bytes the image server serves', async () => {
      const from = server.process.lines.length;
      const urls = [image(1, 100), image(4, 150)];
      const answer = await scrape('alice', urls);
      assert.equal(answer.status, 200, answer.text);
      const { images: encoded } = answer.json as { images: string[] };
      assert.equal(encoded.length, 2);
      assert.deepEqual(Buffer.from(encoded[0], 'base64'), Buffer.from(images.images[0]));
      assert.deepEqual(Buffer.from(encoded[1], 'base64'), Buffer.from(images.images[3]));
      await serverSaid(/^\S+ \S+ Downloaded 2 images for alice in \d+ ms$/);
      // Every download line names its user.
      const said = saidSince(from);
      for (const [i, url] of urls.entries()) {
        const size = [images.images[0], images.images[3]][i].length;
        const start = said.indexOf(`alice: Starting download from ${url}`);
        const response = said.indexOf(`alice: Response received from ${url}, size ${size}`);
        assert.ok(start >= 0 && response > start, `alice's lines for ${url}:\n${shownSince(from)}`);
      }
      assert.ok(said.every((message) => !/^(Starting download|Response received) /.test(message)), `no download line without its user:\n${shownSince(from)}`);
    });

    it('a failed download is logged as an error with its user, and gives null', async () => {
      const from = server.process.lines.length;
      const bad = `${image(2, 50)}&status=404`;
      const closed = await new Promise<number>((resolve) => {
        const probe = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = probe.address() as net.AddressInfo;
          probe.close(() => resolve(port));
        });
      });
      const refused = `http://127.0.0.1:${closed}/img/1.png`; // nothing listens there
      const answer = await scrape('dave', [bad, refused, image(3, 50)]);
      assert.equal(answer.status, 200, answer.text);
      const { images: encoded } = answer.json as { images: (string | null)[] };
      assert.equal(encoded[0], null);
      assert.equal(encoded[1], null);
      assert.deepEqual(Buffer.from(encoded[2]!, 'base64'), Buffer.from(images.images[2]));
      await serverSaid(/ Downloaded 1 images for dave in \d+ ms$/);
      const lines = server.process.lines.slice(from);
      const status = lines.find((line) => line.text.endsWith(` dave: Bad ${bad}, status 404`));
      assert.ok(status, `"dave: Bad <url>, status 404" is logged:\n${shownSince(from)}`);
      assert.equal(status.stream, 'stderr', 'an error goes to stderr');
      const network = lines.find((line) => line.text.includes(` dave: Bad ${refused}, `));
      assert.ok(network, `"dave: Bad <url>, <message>" is logged:\n${shownSince(from)}`);
      assert.equal(network.stream, 'stderr', 'an error goes to stderr');
    });

    it('a cancel during a slow scrape cancels the pending downloads, and the scrape answers no images', async () => {
      // One quick image that finishes first, two slow ones that are still pending at the cancel.
      const from = server.process.lines.length;
      const quick = image(1, 50);
      const slow = [image(2, 8000), image(3, 8000)];
      const scraping = scrape('bob', [quick, ...slow]);
      await serverSaid(new RegExp(` bob: Starting download from ${escape(slow[1])}$`));
      await serverSaid(new RegExp(` bob: Response received from ${escape(quick)}, size `));
      await new Promise((resolve) => setTimeout(resolve, 200)); // its body is read right after that line
      const started = performance.now();
      const cancelled = await cancel('bob');
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.deepEqual(cancelled.json, { cancelled: 2 }, 'the two pending downloads, not the finished one');
      const scraped = await scraping;
      assert.equal(scraped.status, 200, scraped.text);
      assert.deepEqual(scraped.json, { images: [] });
      assert.ok(performance.now() - started < 5000, 'the cancel did not wait for the slow images');
      await serverSaid(/ Tasks were cancelled for bob$/);
      await serverSaid(/ Cancelled 2 images for bob$/);
      // Each pending download says it was cancelled, before the cancel's summary; the finished one does not.
      const said = saidSince(from);
      const summary = said.indexOf('Cancelled 2 images for bob');
      for (const url of slow) {
        const at = said.indexOf(`bob: Cancelled download from ${url}`);
        assert.ok(at >= 0 && at < summary, `"bob: Cancelled download from ${url}" before the summary:\n${shownSince(from)}`);
      }
      assert.equal(said.filter((message) => message.includes('Cancelled download from')).length, 2, `only the two pending downloads:\n${shownSince(from)}`);
    });

    it('a cancel with nothing pending answers 0', async () => {
      const answer = await cancel('carol');
      assert.equal(answer.status, 200, answer.text);
      assert.deepEqual(answer.json, { cancelled: 0 });
      await serverSaid(/ Cancelled 0 images for carol$/);
    });

    it("users are isolated: cancelling bob leaves alice's download alone", async () => {
      const from = server.process.lines.length;
      const alicesUrl = image(5, 1200);
      const bobsUrl = image(6, 8000);
      const alices = scrape('alice', [alicesUrl]);
      const bobs = scrape('bob', [bobsUrl]);
      await serverSaid(new RegExp(` alice: Starting download from ${escape(alicesUrl)}$`));
      await serverSaid(new RegExp(` bob: Starting download from ${escape(bobsUrl)}$`));
      assert.deepEqual((await cancel('bob')).json, { cancelled: 1 });
      assert.deepEqual((await bobs).json, { images: [] });
      const alice = await alices;
      assert.equal(alice.status, 200, alice.text);
      const { images: encoded } = alice.json as { images: string[] };
      assert.deepEqual(Buffer.from(encoded[0], 'base64'), Buffer.from(images.images[4]));
      await serverSaid(/ Downloaded 1 images for alice in \d+ ms$/);
      const said = saidSince(from);
      const bobCancelled = said.indexOf(`bob: Cancelled download from ${bobsUrl}`);
      assert.ok(bobCancelled >= 0 && bobCancelled < said.indexOf('Cancelled 1 images for bob'), shownSince(from));
      assert.ok(said.includes(`alice: Response received from ${alicesUrl}, size ${images.images[4].length}`), shownSince(from));
      assert.ok(!said.some((message) => message.startsWith('alice: Cancelled download from')), `alice's download was not cancelled:\n${shownSince(from)}`);
    });

    it('bad JSON gets 400 with a message', async () => {
      for (const body of ['not json', '{"urls": 5}', '{}']) {
        const answer = await post('/scrap_my_staff/dave', body);
        assert.equal(answer.status, 400, `${body}: ${answer.text}`);
        assert.match((answer.json as { error: string }).error, /JSON/);
      }
    });

    it('an unknown route gets 404', async () => {
      assert.equal((await post('/no_such_route/dave')).status, 404);
      assert.equal((await fetch(`${server.url}/`)).status, 404);
    });

    it('client.ts scrapes and cancels, printing the answer in one line', async () => {
      const client = async (...args: string[]) => {
        const proc = startProcess(runtime.command(ID, 'client', args), {
          env: exampleEnv({ IMAGE_SERVER: images.url, SCRAPER_SERVER: server.url }),
          timeoutMs: 30_000,
        });
        const result = await proc.done;
        assert.equal(result.exitCode, 0, result.lines.map((line) => line.text).join('\n'));
        assert.equal(result.lines.length, 1, 'one line');
        return result.lines[0].text;
      };
      const sizes = images.images.slice(0, 2).map((png) => png.length).join(', ');
      assert.match(await client('scrape', 'erin', '2', '100'), new RegExp(`scrape erin: 200 \\{"images": \\[2 PNGs: ${sizes} bytes\\]\\} in \\d+ ms$`));
      assert.match(await client('cancel', 'erin'), /cancel erin: 200 \{"cancelled": 0\} in \d+ ms$/);
    });
  });
}
