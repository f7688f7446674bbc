/**
 * The local runtime in `astro dev`: the same handler that scripts/serve.ts mounts for `npm start`,
 * added to Vite's dev server, and the cross-origin isolation headers the built site is served with.
 * Nothing of it reaches the static build: every hook does nothing unless the command is `dev`, and
 * the handler is imported only then.
 */
import process from 'node:process';
import type { AstroIntegration } from 'astro';
import { ISOLATION_HEADERS, headersFor } from '../runtime/isolation.ts';
import type { LocalRuntime } from '../runtime/local/server/handler.ts';


/** Every runtime this process has started and not closed: killed when the process exits. */
const live = new Set<LocalRuntime>();
let processHooksAdded = false;

export default function localRuntime(): AstroIntegration {
  let dev = false;
  let runtime: LocalRuntime | undefined;
  const close = async () => {
    const closing = runtime;
    runtime = undefined;
    if (!closing) return;
    live.delete(closing);
    await closing.close();
  };

  return {
    name: 'asyncio-book:local-runtime',
    hooks: {
      'astro:config:setup': ({ command, updateConfig }) => {
        dev = command === 'dev';
        if (!dev) return;
        updateConfig({ vite: { server: { headers: { ...ISOLATION_HEADERS } } } });
      },
      'astro:server:setup': async ({ server, logger }) => {
        if (!dev) return;
        await close(); // a restarted dev server (config edited) sets up again: one runtime at a time
        const { createLocalRuntime } = await import('../runtime/local/server/handler.ts');
        const created = createLocalRuntime({ token: process.env.BOOK_RUNTIME_TOKEN || undefined });
        runtime = created;
        live.add(created);
        server.middlewares.use((req, res, next) => {
          // Vite's server.headers reach only what Vite itself serves, not the pages Astro renders;
          // an embed page's own headers (src/runtime/isolation.ts) replace them for its path.
          const pathname = (req.url ?? '/').split(/[?#]/, 1)[0] ?? '/';
          for (const [name, value] of Object.entries(headersFor(pathname))) res.setHeader(name, value);
          void created.handle(req, res, next);
        });
        server.httpServer?.once('close', () => void close());
        if (!processHooksAdded) {
          processHooksAdded = true;
          killRunsWithTheProcess();
        }
      },
      'astro:server:start': ({ address, logger }) => {
        if (!runtime) return;
        // The dev server answers on localhost (the runtime refuses other Hosts anyway).
        logger.info(`local runtime on: to run the examples with this machine’s Node, open ${runtime.addressWithToken(`http://localhost:${address.port}/`)}`);
      },
      'astro:server:done': async () => {
        await close();
      },
    },
  };
}

/**
 * The runs are detached (their own process groups), so Ctrl+C in the terminal does not reach
 * them, and `astro dev` has no SIGINT handler of its own: the signal would end the dev server and
 * leave them running. So they are killed first (close() does that synchronously), and then the
 * signal does what it would have done without this listener.
 */
function killRunsWithTheProcess(): void {
  const closeAll = () => {
    for (const each of live) void each.close();
  };
  process.once('exit', closeAll);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    const onSignal = () => {
      closeAll();
      process.removeListener(signal, onSignal);
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}
