"""09 — One collector, three styles: callbacks, futures, async/await.

The lecture tells how Python got to asyncio: callback libraries (Twisted, Tornado), green
threads (gevent), then coroutines with async/await. Here is the same collector, downloading
the same images, in three styles that asyncio itself offers, the same three as the TypeScript
version's callbacks, promises and async/await. Look at the output: the three styles collect the
same bytes in about the same time; only the code reads differently.

The loop keeps only weak references to tasks, so every task created here is kept in a set
until it is done (see `keep`): a task nothing refers to may be destroyed while it still waits.
"""

import asyncio
import hashlib
import logging
import os
import time

import aiohttp

# The images come from the book's small image server (see 01 for how to try real URLs).
IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = os.environ["URLS"].split(",") if os.environ.get("URLS") else [
    f"{IMAGE_SERVER}/img/1.png?delay=300",
    f"{IMAGE_SERVER}/img/2.png?delay=600",
    f"{IMAGE_SERVER}/img/3.png?delay=450",
]

running: set[asyncio.Future] = set()


def keep(future: asyncio.Future) -> asyncio.Future:
    """Hold a reference to a task (or future) until it is done."""
    running.add(future)
    future.add_done_callback(running.discard)
    return future


async def fetch(session: aiohttp.ClientSession, url: str) -> bytes:
    async with session.get(url) as response:
        response.raise_for_status()
        return await response.read()


# 1. Callbacks, like Tornado's `http_client.fetch(url, collector)`: start every download and
# name the function to call when it completes. aiohttp has no callback API, so each download is
# a task and the callback is attached to it. Counting the replies and passing errors on are done
# by hand, with Node's convention: callback(error, result).
def collect_with_callbacks(session, urls, callback) -> None:
    bodies: list[bytes | None] = [None] * len(urls)
    remaining = len(urls)

    def start(i: int, url: str) -> None:
        def on_done(task: asyncio.Task) -> None:
            nonlocal remaining
            if task.exception():
                return callback(task.exception(), None)
            bodies[i] = task.result()
            logging.info("callbacks: response received from %s, size %d", url, len(bodies[i]))
            remaining -= 1
            if remaining == 0:
                callback(None, bodies)

        keep(asyncio.create_task(fetch(session, url))).add_done_callback(on_done)

    for i, url in enumerate(urls):
        start(i, url)


async def run_with_callbacks(session, urls) -> list[bytes]:
    done = asyncio.get_running_loop().create_future()  # settled by the callback

    def collector(error, bodies):
        if done.done():  # a second error after the first one: already reported
            return
        if error:
            done.set_exception(error)
        else:
            done.set_result(bodies)

    collect_with_callbacks(session, urls, collector)
    return await done


# 2. Futures, the counterpart of promises: every step gives a Future of its result, and
# add_done_callback says what to do with that result. `then` chains two steps the way a
# promise's .then() does (asyncio has no .then(), so here it is, by hand), and gather waits for
# a list of futures like Promise.all.
def then(future: asyncio.Future, step) -> asyncio.Future:
    """A Future of step(future's result); when step gives a Future, of that Future's result."""
    following = asyncio.get_running_loop().create_future()

    def copy(source: asyncio.Future) -> None:  # settle `following` the way `source` settled
        if source.cancelled():
            following.cancel()
        elif source.exception() is not None:
            following.set_exception(source.exception())
        else:
            following.set_result(source.result())

    def run_step(source: asyncio.Future) -> None:
        if source.cancelled() or source.exception() is not None:
            return copy(source)  # an error skips the step and travels down the chain
        try:
            result = step(source.result())
        except Exception as error:  # a step that fails fails the chain, like a throw in .then()
            following.set_exception(error)
            return
        if asyncio.isfuture(result):
            keep(result).add_done_callback(copy)  # the step gave a Future: follow it
        else:
            following.set_result(result)

    future.add_done_callback(run_step)
    return following


def collect_with_futures(session, urls) -> asyncio.Future:
    def download(url: str) -> asyncio.Future:
        # session.get() gives an awaitable, not a coroutine: ensure_future makes it a task.
        response = keep(asyncio.ensure_future(session.get(url)))  # a Future of the response
        body = then(response, lambda r: asyncio.create_task(r.read()))  # ... of its body

        def received(data: bytes) -> bytes:
            logging.info("futures: response received from %s, size %d", url, len(data))
            return data

        return then(body, received)

    return asyncio.gather(*(download(url) for url in urls))  # like Promise.all


# 3. async/await: coroutines, written as straight-line code.
async def collect_with_await(session, urls: list[str]) -> list[bytes]:
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


async def main() -> None:
    # Each style gets a session of its own, so that none reuses the connections of another.
    async with aiohttp.ClientSession() as session:
        start = time.monotonic()
        summary("callbacks", await run_with_callbacks(session, URLS), start)

    async with aiohttp.ClientSession() as session:
        start = time.monotonic()
        summary("futures", await collect_with_futures(session, URLS), start)

    async with aiohttp.ClientSession() as session:
        start = time.monotonic()
        summary("async/await", await collect_with_await(session, URLS), start)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
