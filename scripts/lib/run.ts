/** Runs a program example to its end with the image server it needs, as the recorder and the tests do. */
import { startImageServer, type ImageServer } from '../../content/examples/_support/image-server.ts';
import { readMeta } from '../../src/examples/files.ts';
import { exampleEnv, type Launcher } from './launchers.ts';
import { startProcess, type Line, type RunResult } from './processes.ts';

/**
 * Starts the image server on `preferredPort` when that is free (so that recorded output shows
 * the same URLs as the code's default), otherwise on any free port.
 */
export async function startImageServerOn(preferredPort = 0): Promise<ImageServer> {
  if (preferredPort) {
    try {
      return await startImageServer({ port: preferredPort });
    } catch {
      // taken: fall through to any free port
    }
  }
  return startImageServer({ port: 0 });
}


export interface RunOptions {
  env?: Record<string, string | undefined>; // added to the example's environment
  imageServerUrl?: string; // an image server already running; otherwise one is started if needed
  timeoutMs?: number; // default: meta.timeoutMs
  args?: string[];
  /** Which program of the folder: main (default) or an exercise's solution. */
  file?: 'main' | 'solution';
  onLine?: (line: Line) => void;
}

/** Runs a program example to its end and collects its output. */
export async function runExample(id: string, launcher: Launcher, options: RunOptions = {}): Promise<RunResult> {
  const meta = readMeta(id);
  let ownServer: ImageServer | undefined;
  let imageServerUrl = options.imageServerUrl;
  if (meta.imageServer && !imageServerUrl) {
    ownServer = await startImageServer({ port: 0 });
    imageServerUrl = ownServer.url;
  }
  try {
    const proc = startProcess(launcher.command(id, options.file ?? 'main', options.args), {
      env: exampleEnv({ IMAGE_SERVER: imageServerUrl, ...options.env }),
      timeoutMs: options.timeoutMs ?? meta.timeoutMs,
      onLine: options.onLine,
    });
    return await proc.done;
  } finally {
    await ownServer?.close();
  }
}
