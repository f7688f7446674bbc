/**
 * Who may run code through `npm start`: the reader who opened the address it printed (with
 * `?token=…`), not a tab opened on the bare address, and no method but GET and HEAD on pages.
 * Each test starts its own server with a fresh token, as `npm start` does, and reads the address
 * from what it prints.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test, expect } from '@playwright/test';
import { EXITED_0, example, output, status } from './support/example';

interface Started {
  server: ChildProcess;
  printed: string;
  origin: string;
}

async function npmStart(port: number): Promise<Started> {
  // No BOOK_RUNTIME_TOKEN: a new token, as for a reader.
  const env = { ...process.env, BOOK_RUNTIME_TOKEN: '' };
  const server = spawn(process.execPath, ['scripts/serve.ts', '--port', String(port)], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let said = '';
  const printed = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      said += chunk.toString();
      const address = /^\s+(http:\/\/\S+\?token=[0-9a-f]{64})$/m.exec(said);
      if (address) resolve(address[1]!);
    });
    server.once('exit', (code) => reject(new Error(`scripts/serve.ts exited with code ${code}: ${said}`)));
  });
  return { server, printed, origin: `http://127.0.0.1:${port}` };
}

test.describe('access to the local runtime', () => {
  let started: Started;
  test.beforeEach(async ({}, info) => {
    started = await npmStart(4430 + info.workerIndex);
  });
  test.afterEach(() => {
    started.server.kill('SIGKILL');
  });

  test('the printed address runs examples; the token leaves the address bar and stays with the tab', async ({ page }) => {
    expect(started.printed).toMatch(new RegExp(`^${started.origin}/\\?token=`));
    await page.goto(started.printed);
    expect(page.url()).toBe(`${started.origin}/`);
    // The start page has no example: the token goes on with the reader to a chapter.
    await page.getByRole('link', { name: 'IV. Как работает asyncio' }).first().click();
    await page.waitForURL(/how-asyncio-works/);
    const box = example(page, '07-execution-order');
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(EXITED_0, { timeout: 15_000 });
    await expect(status(box)).toContainText(/локальный Node v\d+/);
    expect(page.url()).not.toContain('token');
  });

  test('a tab opened on the bare address runs nothing on this machine, and says how to get live runs', async ({ page }) => {
    await page.goto(`${started.origin}/en/how-asyncio-works/?runtime=local`);
    const box = example(page, '07-execution-order');
    const recorded = await output(box).textContent();
    await box.locator('[data-action="run"]').click();
    await expect(status(box)).toContainText(
      /No live run here: the page was opened without the token that the book’s server printed\. To run the examples on your machine, open the address shown in the terminal where npm start runs \(it ends in \?token=…\)\./,
    );
    expect(await output(box).textContent()).toBe(recorded);

    // Without ?runtime=local the page reads as the deployed book does: the WebContainer is tried
    // (its cold boot is given 30 s before it counts as blocked), then the page runs the example
    // itself, and the line saying why ends with the sentence on local runs.
    test.setTimeout(90_000);
    await page.goto(`${started.origin}/how-asyncio-works/`);
    const seven = example(page, '07-execution-order');
    await seven.locator('[data-action="run"]').click();
    await expect(status(seven)).toContainText(/JavaScript этой страницы/, { timeout: 45_000 });
    await expect(status(seven)).toContainText(EXITED_0);
    await expect(output(seven)).toContainText(/WebContainer не запустился за 30 с.*Страница открыта без токена.*Поэтому программа запущена на этой странице/);
    await expect(output(seven)).toContainText('10. setTimeout(0)');
  });

  test('pages answer GET and HEAD only', async ({ request }) => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'POST']) {
      const response = await request.fetch(`${started.origin}/history/`, { method, data: 'x', failOnStatusCode: false });
      expect(response.status(), method).toBe(405);
      expect(response.headers().allow).toBe('GET, HEAD');
    }
    expect((await request.fetch(`${started.origin}/history/`, { method: 'HEAD' })).status()).toBe(200);
  });
});
