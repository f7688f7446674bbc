"""04 — A scraper server: one process downloads for many users at once, and one request can
cancel the work another request started.

    POST /scrap_my_staff/<user>  with {"urls": [...]}  ->  {"images": ["<base64>", ...]}
    POST /cancel_my_staff/<user>                       ->  {"cancelled": <number>}

(The routes keep the names of the lecture's program.) Start it with `python main.py`
(env PORT, default 8080, 0 = any free port; HOST, default 127.0.0.1) and drive it with
client.ts from the TypeScript version, or with curl:
    curl -X POST -d '{"urls": ["http://127.0.0.1:8765/img/1.png?delay=3000"]}' http://127.0.0.1:8080/scrap_my_staff/alice
    curl -X POST http://127.0.0.1:8080/cancel_my_staff/alice

Where this version differs from the lecture's program, on purpose:
- a task leaves the registry in one place only: when it ends, however it ends;
- a cancel counts the tasks it really cancelled (not those that had already finished);
- a cancel waits for its tasks to end with asyncio.wait, instead of polling every 100 ms;
- a failed download gives null in "images" (the original would fail the whole request);
- each download's lines name its user ("alice: Starting download from ..."), and a cancelled
  download says so ("alice: Cancelled download from ..."), so that the log (and the book's
  timeline) can tell whose downloads were cut off.
"""

import asyncio
import base64
import logging
import os
import time

import aiohttp
from aiohttp import web

# The shared registry: every user's downloads that have not finished yet.
pending: dict[str, set[asyncio.Task]] = {}
# One HTTP client session for the whole server, opened in main().
session: aiohttp.ClientSession


async def download(user: str, url: str) -> bytes | None:
    logging.info("%s: Starting download from %s", user, url)
    try:
        async with session.get(url) as response:
            if response.status != 200:
                logging.error("%s: Bad %s, status %d", user, url, response.status)
                return None
            # The size the server announced; a chunked response has no Content-Length header.
            size = response.headers.get("Content-Length", "unknown")
            logging.info("%s: Response received from %s, size %s", user, response.url, size)
            return await response.read()
    except aiohttp.ClientError as error:
        logging.error("%s: Bad %s, %s", user, url, error)
        return None
    except asyncio.CancelledError:
        logging.info("%s: Cancelled download from %s", user, url)
        raise  # cancelled: let the caller know (the task ends cancelled)


def start_download(user: str, url: str) -> asyncio.Task:
    task = asyncio.create_task(download(user, url))
    tasks = pending.setdefault(user, set())
    tasks.add(task)

    # The one place where a task leaves the registry: when it ends, however it ends.
    def forget(task: asyncio.Task) -> None:
        tasks.discard(task)
        if not tasks and pending.get(user) is tasks:
            del pending[user]

    task.add_done_callback(forget)
    return task


async def scrape(request: web.Request) -> web.Response:
    user = request.match_info["user"]
    try:
        urls = (await request.json())["urls"]
        if not isinstance(urls, list) or not all(isinstance(url, str) for url in urls):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": 'The body must be JSON: {"urls": ["http://…", …]}'}, status=400)

    start = time.monotonic()
    tasks = [start_download(user, url) for url in urls]
    try:
        images = await asyncio.gather(*tasks)
    except asyncio.CancelledError:
        if asyncio.current_task().cancelling():  # this request itself is being cancelled
            raise
        logging.info("Tasks were cancelled for %s", user)
        return web.json_response({"images": []})
    count = sum(image is not None for image in images)
    logging.info("Downloaded %d images for %s in %d ms", count, user, round((time.monotonic() - start) * 1000))
    return web.json_response({"images": [base64.b64encode(image).decode() if image else None for image in images]})


async def cancel(request: web.Request) -> web.Response:
    user = request.match_info["user"]
    tasks = list(pending.get(user, ()))
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks)  # until every one of them has really ended
    cancelled = sum(task.cancelled() for task in tasks)
    logging.info("Cancelled %d images for %s", cancelled, user)
    return web.json_response({"cancelled": cancelled})


async def main() -> None:
    global session
    host = os.environ.get("HOST") or "127.0.0.1"
    port = int(os.environ.get("PORT", "8080"))
    app = web.Application()
    app.add_routes([web.post("/scrap_my_staff/{user}", scrape), web.post("/cancel_my_staff/{user}", cancel)])
    runner = web.AppRunner(app, access_log=None)  # no line per request, like the Node version
    await runner.setup()
    async with aiohttp.ClientSession() as session:
        await web.TCPSite(runner, host, port).start()
        logging.info("Serving on http://%s:%d (Ctrl+C to stop)", host, runner.addresses[0][1])
        try:
            await asyncio.Event().wait()  # serve until stopped
        finally:
            await runner.cleanup()


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
