/**
 * The run session as a reader meets it through the local runtime: the book's server going away
 * after a first run. The test starts its own `npm start` server (scripts/serve.ts), so that it can
 * stop it without touching the one the rest of the suite uses.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { test, expect } from './support/reader';
import { EXITED_0, example, output, status } from './support/example';

async function startBookServer(port: number): Promise<ChildProcess> {
  const server = spawn(process.execPath, ['scripts/serve.ts', '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    server.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Serving the book')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`scripts/serve.ts exited with code ${code}`)));
  });
  return server;
}

const gone = {
  en: /No live run here: the book’s server is not answering any more.*Start it again \(npm start or npm run dev\) and press Run again/,
  ru: /Живой запуск недоступен: сервер книги больше не отвечает.*Запустите его снова \(npm start или npm run dev\)/,
};

for (const locale of ['en', 'ru'] as const) {
  test(`${locale}: after a first run, stopping the book’s server and pressing Run says that server is gone and how to start it`, async ({ page }, info) => {
    const port = 4420 + info.workerIndex * 2 + (locale === 'en' ? 0 : 1);
    const server = await startBookServer(port);
    try {
      await page.goto(`http://127.0.0.1:${port}${locale === 'en' ? '/en' : ''}/how-asyncio-works/`);
      const box = example(page, '07-execution-order');
      await box.locator('[data-action="run"]').click();
      await expect(status(box)).toContainText(EXITED_0, { timeout: 15_000 });
      const recorded = await page.evaluate(() => document.querySelector('#example-07-execution-order [data-output]')!.textContent);

      server.kill('SIGTERM');
      await new Promise((resolve) => server.once('exit', resolve));
      await box.locator('[data-action="run"]').click();
      await expect(status(box)).toContainText(gone[locale], { timeout: 10_000 });
      await expect(status(box)).not.toContainText('WebContainer');
      // The recording is back in the output, labelled as such.
      await expect(box.locator('[data-source-note]')).toContainText(locale === 'en' ? 'Recorded when the site was built' : 'Записан при сборке');
      await expect(output(box)).toContainText('setTimeout(0)');
      expect(recorded).toContain('setTimeout(0)');
    } finally {
      server.kill('SIGKILL');
    }
  });
}
