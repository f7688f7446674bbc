"""10 — At most LIMIT downloads at a time.

Twenty images are to be downloaded, but the server (or the politeness we owe it) allows only a few
requests at once. All twenty tasks are started, and each one waits on an asyncio.Semaphore of LIMIT
before it downloads: at most LIMIT are ever in flight, and as soon as one finishes the next one
starts. On the timeline the downloads form a band LIMIT bars wide; the total is about the sum of
the delays divided by LIMIT. Change LIMIT and run again.
"""

import asyncio
import logging
import os
import time

import aiohttp

LIMIT = 4  # at most this many downloads at a time: try 1, 2, 10 or 20

# The book's image server; `?delay=<ms>` makes it answer that late (300…600 ms here).
IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
DELAYS = [300, 450, 600, 350, 500, 400, 550]
URLS = [f"{IMAGE_SERVER}/img/{n % 6 + 1}.png?delay={DELAYS[n % 7]}" for n in range(20)]

in_flight = 0  # downloads running right now
most = 0  # the most that ever ran at once


async def download(session: aiohttp.ClientSession, semaphore: asyncio.Semaphore, n: int, url: str) -> bytes:
    global in_flight, most
    async with semaphore:  # waits here while LIMIT others hold it; released on the way out
        in_flight += 1
        most = max(most, in_flight)
        logging.info("Download %d starts: %s, in flight %d", n, url.removeprefix(IMAGE_SERVER + "/"), in_flight)
        try:
            async with session.get(url) as response:
                body = await response.read()
        finally:
            in_flight -= 1
        logging.info("Download %d done, size %d, in flight %d", n, len(body), in_flight)
        return body


async def main() -> None:
    start = time.monotonic()
    semaphore = asyncio.Semaphore(LIMIT)
    # The library can limit too: aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=LIMIT))
    # opens at most LIMIT connections, and the other requests wait inside the library for one.
    # The semaphore limits our own code instead: any work, not only this session's connections.
    async with aiohttp.ClientSession() as session:
        tasks = [asyncio.create_task(download(session, semaphore, n, url)) for n, url in enumerate(URLS, 1)]
        images = await asyncio.gather(*tasks)
    # Another way, without a semaphore: put (n, url) pairs in an asyncio.Queue and start LIMIT
    # workers, each of which takes the next pair as soon as it has finished the previous one:
    #     async def worker():
    #         while not queue.empty():
    #             n, url = queue.get_nowait()
    #             ...download it...
    #     await asyncio.gather(*(worker() for _ in range(LIMIT)))
    ms = round((time.monotonic() - start) * 1000)
    logging.info("Downloaded %d images, at most %d at a time, in %d ms", len(images), most, ms)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
