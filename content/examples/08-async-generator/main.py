"""08 — An asynchronous generator, consumed with `async for`.

A coroutine that yields is an asynchronous generator: it can await between its values.
`async for` asks it for the next value and waits until it comes, while the event loop is free
to run other tasks. The generator is lazy: it starts working on a value only when the loop
asks for it, which the timestamps show.
"""

import asyncio
import logging
import time
from collections.abc import AsyncIterator

COUNT = 5
DELAY = 0.3


async def squares(count: int, delay: float) -> AsyncIterator[int]:
    """Produces the squares 1, 4, 9, … with a pause before each one (think of a value
    arriving from the network)."""
    for i in range(1, count + 1):
        logging.info("Generator: working on value %d", i)
        await asyncio.sleep(delay)  # here the generator gives way to the event loop
        yield i * i  # here it hands a value to the consumer, and pauses until asked again
    logging.info("Generator: no more values")


async def main() -> None:
    start = time.monotonic()
    async for value in squares(COUNT, DELAY):
        logging.info("Consumer: got %d after %d ms", value, round((time.monotonic() - start) * 1000))
    logging.info("Consumer: done")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
