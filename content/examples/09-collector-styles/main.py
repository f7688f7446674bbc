"""09 — One collector, three styles: callbacks, threads, async/await.

The lecture tells how Python got to asyncio: callback libraries (Twisted, Tornado), green
threads (gevent), then coroutines with async/await. Here is the same collector, downloading
the same images, in a modern version of each style. Look at the output: the three styles
collect the same bytes in about the same time; only the code reads differently.
(The TypeScript version shows Node's way: callbacks, promises, async/await.)
"""

import asyncio
import hashlib
import logging
import os
import time
from concurrent.futures import ThreadPoolExecutor

import aiohttp
import requests

# The images come from the book's small image server (see 01 for how to try real URLs).
IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = os.environ["URLS"].split(",") if os.environ.get("URLS") else [
    f"{IMAGE_SERVER}/img/1.png?delay=300",
    f"{IMAGE_SERVER}/img/2.png?delay=600",
    f"{IMAGE_SERVER}/img/3.png?delay=450",
]


# 1. Callbacks, like Tornado's `http_client.fetch(url, collector)`: start every download and
# name the function to call when it completes. aiohttp has no callback API, so each download is
# a small task and the callback is attached to it; errors travel by hand, too.
async def fetch(session: aiohttp.ClientSession, url: str) -> bytes:
    async with session.get(url) as response:
        return await response.read()


def collect_with_callbacks(session, urls, callback) -> None:
    bodies: list[bytes | None] = [None] * len(urls)
    remaining = len(urls)

    def start(i: int, url: str) -> None:
        def on_done(future: asyncio.Future) -> None:
            nonlocal remaining
            if future.exception():
                return callback(future.exception(), None)
            bodies[i] = future.result()
            logging.info("callbacks: response received from %s, size %d", url, len(bodies[i]))
            remaining -= 1
            if remaining == 0:
                callback(None, bodies)

        asyncio.ensure_future(fetch(session, url)).add_done_callback(on_done)

    for i, url in enumerate(urls):
        start(i, url)


async def run_with_callbacks(urls: list[str]) -> list[bytes]:
    done = asyncio.get_running_loop().create_future()  # settled by the callback

    def collector(error, bodies):
        if done.done():  # a second error after the first one: already reported
            return
        if error:
            done.set_exception(error)
        else:
            done.set_result(bodies)

    async with aiohttp.ClientSession() as session:
        collect_with_callbacks(session, urls, collector)
        return await done


# 2. Threads, in the shape of gevent's spawn/joinall: ordinary blocking code, each download in
# its own thread. (gevent made such code concurrent with green threads and a patched standard
# library; here they are real threads, which wait for the network without holding the GIL.)
def collect(url: str) -> bytes:
    data = requests.get(url).content
    logging.info("threads: response received from %s, size %d", url, len(data))
    return data


def collect_with_threads(urls: list[str]) -> list[bytes]:
    with ThreadPoolExecutor() as pool:
        jobs = [pool.submit(collect, url) for url in urls]  # like gevent.spawn
        return [job.result() for job in jobs]  # like gevent.joinall


# 3. async/await: coroutines, written as straight-line code.
async def collect_with_await(urls: list[str]) -> list[bytes]:
    async with aiohttp.ClientSession() as session:

        async def collect_one(url: str) -> bytes:
            async with session.get(url) as response:
                data = await response.read()
            logging.info("async/await: response received from %s, size %d", url, len(data))
            return data

        return await asyncio.gather(*(collect_one(url) for url in urls))


def summary(style: str, bodies: list[bytes], start: float) -> None:
    digest = hashlib.sha256(b"".join(bodies)).hexdigest()[:16]
    logging.info(
        "%s: collected %d images, %d bytes, sha256 %s, in %d ms",
        style, len(bodies), sum(len(body) for body in bodies), digest, round((time.monotonic() - start) * 1000),
    )


def main() -> None:
    start = time.monotonic()
    summary("callbacks", asyncio.run(run_with_callbacks(URLS)), start)

    start = time.monotonic()
    summary("threads", collect_with_threads(URLS), start)

    start = time.monotonic()
    summary("async/await", asyncio.run(collect_with_await(URLS)), start)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    main()
