"""06 — A timer that cannot fire while the event loop is busy.

A ticker task asks for a tick every 100 ms. The event loop can run the tick only when nothing
else is running, so the ticks come late twice: first while a CPU loop keeps the loop busy,
then during time.sleep(), a synchronous call that blocks the whole thread. (await
asyncio.sleep() would not block anything: it hands control back to the loop.)
"""

import asyncio
import logging
import time

INTERVAL = 0.1
BLOCK = 0.5


def cpu_loop(seconds: float) -> None:
    logging.info("CPU loop starts (busy for %d ms)", seconds * 1000)
    end = time.monotonic() + seconds
    steps = 0
    while time.monotonic() < end:  # pure computation: nothing else can run meanwhile
        steps += 1
    logging.info("CPU loop ends after %d steps", steps)


def synchronous_sleep(seconds: float) -> None:
    logging.info("Synchronous sleep starts (%d ms, like time.sleep)", seconds * 1000)
    time.sleep(seconds)  # blocks the whole thread, and so the event loop
    logging.info("Synchronous sleep ends")


async def ticker() -> None:
    previous = time.monotonic()
    tick = 0
    while True:
        await asyncio.sleep(INTERVAL)
        now = time.monotonic()
        tick += 1
        logging.info("Tick %d: %d ms since the previous tick", tick, round((now - previous) * 1000))
        previous = now


async def main() -> None:
    logging.info("Timer starts: a tick every %d ms", INTERVAL * 1000)
    loop = asyncio.get_running_loop()
    ticks = asyncio.create_task(ticker())
    loop.call_later(0.45, cpu_loop, BLOCK)
    loop.call_later(1.3, synchronous_sleep, BLOCK)
    await asyncio.sleep(2.25)
    ticks.cancel()
    logging.info("Timer stopped")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
