"""30 — Twenty downloads from a server with a limit, fixed.

gather starts all twenty downloads at once, and the server refuses all but 5 of them. An
asyncio.Semaphore(5) lets at most 5 downloads run at a time: the sixth waits at
`async with semaphore` until one of the five has ended and given its place back. gather still
waits for all twenty and keeps their results in the order of URLS.
"""

import asyncio
import logging
import os
import sys
import time

import aiohttp

IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = [f"{IMAGE_SERVER}/img/{n % 6 + 1}.png?delay={300 + n * 10}&limit=5" for n in range(20)]
semaphore = asyncio.Semaphore(5)  # at most 5 downloads at once, as the server allows


async def download(session: aiohttp.ClientSession, url: str) -> bytes | None:
    async with semaphore:  # waits here while 5 others are downloading
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
