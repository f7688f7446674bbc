"""02 — Downloading images concurrently.

Every download is started at once as its own task, and then the program waits for all of
them together. While one request waits for the network, the others make progress, so the
total time is about the time of the slowest request, not the sum. Every "Starting download"
line comes before the first "Response received" line.
"""

import asyncio
import logging
import os
import time

import aiohttp

# The images come from the book's small image server; `?delay=<ms>` makes it answer that late.
# To try real images, list their URLs in the env variable URLS (comma-separated) or here, e.g.
# "https://www.python.org/static/img/python-logo.png".
IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = os.environ["URLS"].split(",") if os.environ.get("URLS") else [
    f"{IMAGE_SERVER}/img/1.png?delay=300",
    f"{IMAGE_SERVER}/img/2.png?delay=800",
    f"{IMAGE_SERVER}/img/3.png?delay=500",
    f"{IMAGE_SERVER}/img/4.png?delay=1000",
    f"{IMAGE_SERVER}/img/5.png?delay=400",
]


async def download(session: aiohttp.ClientSession, url: str) -> bytes | None:
    logging.info("Starting download from %s", url)
    async with session.get(url) as response:  # here this task waits, and the others run
        if response.status != 200:
            logging.error("Bad %s, status %d", url, response.status)
            return None
        # The size the server announced; a chunked response has no Content-Length header.
        size = response.headers.get("Content-Length", "unknown")
        logging.info("Response received from %s, size %s", response.url, size)
        return await response.read()


async def main() -> list[bytes | None]:
    start = time.monotonic()
    async with aiohttp.ClientSession() as session:  # one session for all the downloads
        # create_task starts each download; gather waits for all of them and gives the
        # results in the order of URLS.
        tasks = [asyncio.create_task(download(session, url)) for url in URLS]
        images = await asyncio.gather(*tasks)
    logging.info("Downloaded in %d ms", round((time.monotonic() - start) * 1000))
    # The responses arrived in the order of their delays; the results are in the order of URLS.
    logging.info("Results in the order of URLS: %s", ", ".join(str(len(image)) if image is not None else "none" for image in images))
    return images


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
