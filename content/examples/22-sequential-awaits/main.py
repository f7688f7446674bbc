"""22 — Five downloads, each awaited.

The program downloads five images from the book's image server and reports how long it took.
The downloads do not depend on each other: any of them could start at any time.
"""

import asyncio
import logging
import os
import sys
import time

import aiohttp

# The images come from the book's small image server; `?delay=<ms>` makes it answer that late.
IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = [f"{IMAGE_SERVER}/img/{i}.png?delay={delay}" for i, delay in enumerate([300, 600, 400, 700, 500], start=1)]


async def download(session: aiohttp.ClientSession, url: str) -> bytes:
    logging.info("Starting download from %s", url)
    async with session.get(url) as response:  # waits for the network without blocking the thread
        image = await response.read()
    logging.info("Response received from %s, size %d", url, len(image))
    return image


async def main() -> None:
    start = time.monotonic()
    async with aiohttp.ClientSession() as session:
        images = []
        for url in URLS:
            images.append(await download(session, url))
    logging.info("Downloaded %d images in %d ms", len(images), round((time.monotonic() - start) * 1000))


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, stream=sys.stdout)
    asyncio.run(main())
