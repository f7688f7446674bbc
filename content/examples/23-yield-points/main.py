"""23 — Two tasks on one thread: one gives way between its steps, the other does not.

Both are coroutines run together by gather. `polite` awaits asyncio.sleep(0) after each
step; `greedy` does its steps one after another without awaiting anything.
"""

import asyncio
import logging


async def polite() -> None:
    for step in range(1, 4):
        logging.info("Polite: step %d", step)
        await asyncio.sleep(0)  # waits for nothing, but hands control to the event loop
    logging.info("Polite: finished")


async def greedy() -> None:
    for step in range(1, 4):
        logging.info("Greedy: step %d", step)  # think of a piece of work that needs no waiting
    logging.info("Greedy: finished")


async def main() -> None:
    await asyncio.gather(polite(), greedy())
    logging.info("Both finished")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
