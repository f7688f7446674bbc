/**
 * A local runtime in a process of its own, for the tests that kill the book's server: the handler
 * on a node:http server on 127.0.0.1, as scripts/serve.ts mounts it, but with no signal handlers,
 * so that SIGTERM ends it as it would end a server without them. It prints one line when it
 * listens: {"port": N, "token": "…"}.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLocalRuntime } from '../../src/runtime/local/server/handler.ts';

const runtime = createLocalRuntime();
const server = http.createServer((req, res) => void runtime.handle(req, res));
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as AddressInfo).port, token: runtime.token })));
