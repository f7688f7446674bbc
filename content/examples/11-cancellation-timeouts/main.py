"""11 — Cancellation, timeouts and shield.

A) A task is cancelled in the middle of a download: the CancelledError arrives at the `await`
   where the task waits, its `finally` cleans up, the error goes on up, and whoever awaits the
   task sees it cancelled.
B) A timeout over a group: asyncio.timeout cancels the TaskGroup's three downloads when the time is
   up, the group waits until all three have ended, and the `async with` raises TimeoutError.
C) shield: wait_for gives up waiting after 200 ms, but the shielded save is not cancelled and
   finishes later.
"""

import asyncio
import io
import logging
import os
import time

import aiohttp

IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
SLOW = f"{IMAGE_SERVER}/img/1.png?delay=5000"  # a long download: the server answers after 5 s
GROUP = [f"{IMAGE_SERVER}/img/{n}.png?delay={ms}" for n, ms in [(2, 3000), (3, 4000), (4, 5000)]]
SAVE = f"{IMAGE_SERVER}/img/5.png?delay=600"

session: aiohttp.ClientSession


async def download(part: str, url: str) -> bytes:
    logging.info("%s: Starting download from %s", part, url)
    try:
        async with session.get(url) as response:
            body = await response.read()
    except asyncio.CancelledError:
        logging.info("%s: Cancelled download from %s", part, url)
        raise  # a cancelled task must end cancelled: never swallow CancelledError
    logging.info("%s: Response received from %s, size %d", part, url, len(body))
    return body


async def download_to_file(url: str) -> None:
    file = io.BytesIO()  # stands for a file opened for writing
    try:
        file.write(await download("A", url))
    finally:  # runs however the coroutine ends, cancelled included
        file.close()
        logging.info("A: Cleanup: closed the half-written file")


async def save() -> None:
    body = await download("C", SAVE)
    logging.info("C: Saved %d bytes", len(body))


async def main() -> None:
    global session
    async with aiohttp.ClientSession() as session:
        # A) task.cancel() asks the task to stop; it stops at the await where it waits.
        task = asyncio.create_task(download_to_file(SLOW))
        await asyncio.sleep(0.3)
        logging.info("A: Cancelling the task after 300 ms")
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            logging.info("A: The caller sees CancelledError: task.cancelled() is %s", task.cancelled())

        # B) One deadline for the whole group.
        start = time.monotonic()
        try:
            async with asyncio.timeout(0.5):
                async with asyncio.TaskGroup() as tg:
                    tasks = [tg.create_task(download("B", url)) for url in GROUP]
        except TimeoutError:
            ms = round((time.monotonic() - start) * 1000)
            cancelled = sum(task.cancelled() for task in tasks)
            logging.info("B: TimeoutError after %d ms: %d of the group's %d downloads were cancelled", ms, cancelled, len(tasks))

        # C) shield: the waiting is cancelled, the save is not. Keep a reference to the task.
        saving = asyncio.create_task(save())
        try:
            await asyncio.wait_for(asyncio.shield(saving), 0.2)
        except TimeoutError:
            logging.info("C: TimeoutError after 200 ms: stopped waiting, the save goes on")
        await saving  # the task still runs: await it, or the program would end before it
        logging.info("C: The shielded save has finished")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
