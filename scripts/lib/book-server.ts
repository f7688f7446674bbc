/**
 * The built book served by scripts/serve.ts in a child process, for the measuring scripts
 * (bench, lighthouse): started, waited for until it says it serves, and stopped when the script
 * ends, even by a crash, so that it never keeps holding its port.
 */
import { spawn } from 'node:child_process';
import process from 'node:process';

/** Starts `scripts/serve.ts <args>` with `env` added; resolves to a function that stops it. */
export async function startBookServer(args: string[], env: Record<string, string> = {}): Promise<() => void> {
  const server = spawn(process.execPath, ['scripts/serve.ts', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    server.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('Serving the book')) resolve();
    });
    server.on('exit', (code) => reject(new Error(`scripts/serve.ts exited with ${code}`)));
  });
  const stop = () => server.kill('SIGTERM');
  process.once('exit', stop);
  return stop;
}
