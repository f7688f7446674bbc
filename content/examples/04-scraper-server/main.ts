// 04 — A scraper server: one process downloads for many users at once, and one request can
// cancel the work another request started.
//
//   POST /scrap_my_staff/<user>  with {"urls": [...]}  →  {"images": ["<base64>", ...]}
//   POST /cancel_my_staff/<user>                       →  {"cancelled": <number>}
//
// (The routes keep the names of the lecture's program.) Start it with `node main.ts`
// (env PORT, default 8080, 0 = any free port; HOST, default 127.0.0.1) and drive it with
// client.ts: `node client.ts scrape alice 3 2000`, then `node client.ts cancel alice`.
//
// Where this port differs from the lecture's program, on purpose:
// - a download leaves the registry in one place only: when it ends, however it ends;
// - a cancel counts the downloads it really cancelled (not those that had already finished);
// - a cancel waits for its downloads to end by awaiting them, instead of polling every 100 ms;
// - a failed download gives null in "images" (the original would fail the whole request);
// - each download's lines name its user ("alice: Starting download from …"), and a cancelled
//   download says so ("alice: Cancelled download from …"), so that the log (and the book's
//   timeline) can tell whose downloads were cut off.

import http from "node:http";
import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = { info: (message: string) => console.log(`${asctime(new Date())} ${message}`), error: (message: string) => console.error(`${asctime(new Date())} ${message}`) };

interface Download {
  controller: AbortController; // abort() cancels the download
  result: Promise<Uint8Array | null>;
}

// The shared registry: every user's downloads that have not finished yet.
const pending = new Map<string, Set<Download>>();

async function download(user: string, url: string, signal: AbortSignal): Promise<Uint8Array | null> {
  log.info(`${user}: Starting download from ${url}`);
  try {
    const response = await fetch(url, { signal });
    if (response.status !== 200) {
      log.error(`${user}: Bad ${url}, status ${response.status}`);
      return null;
    }
    log.info(`${user}: Response received from ${response.url}, size ${response.headers.get("content-length")}`);
    return new Uint8Array(await response.arrayBuffer());
  } catch (error) {
    if ((error as Error).name === "AbortError") {
      log.info(`${user}: Cancelled download from ${url}`);
      throw error; // cancelled: let the caller know
    }
    log.error(`${user}: Bad ${url}, ${(error as Error).message}`);
    return null;
  }
}

function startDownload(user: string, url: string): Download {
  const controller = new AbortController();
  const entry: Download = { controller, result: download(user, url, controller.signal) };
  const downloads = pending.get(user) ?? new Set<Download>();
  pending.set(user, downloads);
  downloads.add(entry);
  // The one place where a download leaves the registry: when it ends, however it ends.
  const forget = () => {
    downloads.delete(entry);
    if (downloads.size === 0 && pending.get(user) === downloads) pending.delete(user);
  };
  entry.result.then(forget, forget);
  return entry;
}

async function scrape(user: string, urls: string[]): Promise<{ images: (string | null)[] }> {
  const start = performance.now();
  const downloads = urls.map((url) => startDownload(user, url));
  try {
    const images = await Promise.all(downloads.map((d) => d.result));
    const count = images.filter((image) => image !== null).length;
    log.info(`Downloaded ${count} images for ${user} in ${Math.round(performance.now() - start)} ms`);
    return { images: images.map((image) => (image ? Buffer.from(image).toString("base64") : null)) };
  } catch (error) {
    if ((error as Error).name !== "AbortError") throw error;
    log.info(`Tasks were cancelled for ${user}`);
    return { images: [] };
  }
}

async function cancel(user: string): Promise<{ cancelled: number }> {
  const downloads = [...(pending.get(user) ?? [])];
  for (const d of downloads) d.controller.abort();
  // Wait until every one of them has really ended, and count those that ended by the abort.
  const outcomes = await Promise.allSettled(downloads.map((d) => d.result));
  const cancelled = outcomes.filter((o) => o.status === "rejected" && o.reason?.name === "AbortError").length;
  log.info(`Cancelled ${cancelled} images for ${user}`);
  return { cancelled };
}

async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const server = http.createServer(async (request, response) => {
  const answer = (status: number, body: unknown) => {
    response.writeHead(status, { "Content-Type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const route = /^\/(scrap|cancel)_my_staff\/([^/]+)$/.exec(new URL(request.url ?? "/", "http://x").pathname);
  if (!route) return answer(404, { error: `Not found: ${request.url}` });
  if (request.method !== "POST") return answer(405, { error: "Use POST" });
  const user = decodeURIComponent(route[2]);
  try {
    if (route[1] === "cancel") return answer(200, await cancel(user));
    let urls: unknown;
    try {
      urls = ((await readJson(request)) as { urls?: unknown })?.urls;
    } catch {
      return answer(400, { error: 'The body must be JSON: {"urls": ["http://…", …]}' });
    }
    if (!Array.isArray(urls) || !urls.every((url) => typeof url === "string")) {
      return answer(400, { error: 'The body must be JSON: {"urls": ["http://…", …]}' });
    }
    answer(200, await scrape(user, urls));
  } catch (error) {
    log.error(`Error for ${user}: ${(error as Error).message}`);
    answer(500, { error: "Internal error" });
  }
});

const host = process.env.HOST || "127.0.0.1";
server.listen(Number(process.env.PORT ?? 8080), host, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  log.info(`Serving on http://${host}:${port} (Ctrl+C to stop)`);
});
