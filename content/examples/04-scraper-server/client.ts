// A tiny client for the scraper server (main.ts):
//
//   node client.ts scrape <user> [n = 3] [delayMs = 300]   asks for n images, each served after delayMs
//   node client.ts cancel <user>                           cancels that user's pending downloads
//
// It prints the server's JSON answer summarised in one line. Env SCRAPER_SERVER (default
// http://127.0.0.1:8080) is the server, IMAGE_SERVER (default http://127.0.0.1:8765) the images.

import process from "node:process";

// Log like Python's logging with the format "%(asctime)s %(message)s".
const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const asctime = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())},${pad(d.getMilliseconds(), 3)}`;
const log = (message: string) => console.log(`${asctime(new Date())} ${message}`);

const SERVER = process.env.SCRAPER_SERVER ?? "http://127.0.0.1:8080";
const IMAGE_SERVER = process.env.IMAGE_SERVER ?? "http://127.0.0.1:8765";
const [command, user, count = "3", delayMs = "300"] = process.argv.slice(2);

if ((command !== "scrape" && command !== "cancel") || !user) {
  console.error("usage: node client.ts scrape <user> [n] [delayMs]  |  node client.ts cancel <user>");
  process.exit(2);
}

const path = `/${command === "scrape" ? "scrap" : "cancel"}_my_staff/${encodeURIComponent(user)}`;
const urls = Array.from({ length: Number(count) }, (_, i) => `${IMAGE_SERVER}/img/${(i % 6) + 1}.png?delay=${delayMs}`);
const start = performance.now();
const response = await fetch(SERVER + path, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: command === "scrape" ? JSON.stringify({ urls }) : undefined,
});
const text = await response.text();
const ms = Math.round(performance.now() - start);

// {"images": [...]} becomes {"images": [3 PNGs: 8053, 30211, 40661 bytes]}: base64 is long.
let summary = text.length > 200 ? `${text.slice(0, 200)}…` : text;
try {
  const answer = JSON.parse(text);
  if (Array.isArray(answer.images)) {
    const sizes = answer.images.map((image: string | null) => (image === null ? "failed" : Buffer.from(image, "base64").length));
    summary = answer.images.length ? `{"images": [${sizes.length} PNGs: ${sizes.join(", ")} bytes]}` : '{"images": []}';
  } else {
    summary = JSON.stringify(answer).replace(/":/g, '": ');
  }
} catch {
  // not JSON (e.g. a plain-text 404 page): show the text as it is
}
log(`${command} ${user}: ${response.status} ${summary} in ${ms} ms`);
process.exitCode = response.ok ? 0 : 1;
