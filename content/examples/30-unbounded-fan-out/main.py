"""30 — Twenty downloads from a server with a limit.

The program downloads twenty images through one aiohttp session, all of them concurrently. The
image server serves at most 5 downloads at once from this program (limit=5 in the URL, as a
real API documents its limit) and answers any more with 429 Too Many Requests.
"""

import asyncio
import logging
import os
import sys
import time

import aiohttp

IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = [f"{IMAGE_SERVER}/img/{n % 6 + 1}.png?delay={300 + n * 10}&limit=5" for n in range(20)]


async def download(session: aiohttp.ClientSession, url: str) -> bytes | None:
    logging.info("Starting download from %s", url)
    async with session.get(url) as response:
        if response.status != 200:
            logging.error("Bad %s, status %d", url, response.status)
            return None
        logging.info("Response received from %s, size %s", response.url, response.headers.get("Content-Length", "unknown"))
        return await response.read()


async def main() -> None:
    start = time.monotonic()
    async with aiohttp.ClientSession() as session:
        images = await asyncio.gather(*(download(session, url) for url in URLS))
    logging.info("Downloaded in %d ms", round((time.monotonic() - start) * 1000))
    logging.info("Got %d of %d images", sum(image is not None for image in images), len(URLS))


if __name__ == "__main__":
    # On stdout, where the exercise's check reads the output.
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, stream=sys.stdout)
    asyncio.run(main())
