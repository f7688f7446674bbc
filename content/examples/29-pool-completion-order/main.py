"""29 — Taking the downloads as they finish.

Four images are downloaded at once through one aiohttp session; the image server answers each
after the delay the URL asks for. asyncio.as_completed hands the downloads back one by one, and
main reports each as soon as it has it. In what order do the lines come?
"""

import asyncio
import logging
import os

import aiohttp

IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
# (the image, how long the server takes to answer it, in ms), in the order they are started
JOBS = [("img/1.png", 800), ("img/2.png", 200), ("img/3.png", 1100), ("img/4.png", 500)]


async def download(session: aiohttp.ClientSession, name: str, delay: int) -> str:
    logging.info("Started %s", name)
    async with session.get(f"{IMAGE_SERVER}/{name}?delay={delay}") as response:
        response.raise_for_status()
        await response.read()
    return name


async def main() -> None:
    async with aiohttp.ClientSession() as session:  # one connection pool for all of them
        tasks = [asyncio.create_task(download(session, name, delay)) for name, delay in JOBS]
        for next_done in asyncio.as_completed(tasks):
            name = await next_done
            logging.info("Done %s", name)
    logging.info("All done")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
