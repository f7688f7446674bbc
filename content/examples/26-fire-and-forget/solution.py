"""26 — Three saves started in the background: the fixed program.

The saves still run at the same time, but main starts them in a TaskGroup, which waits for
all its tasks before main goes on, so none is cancelled when asyncio.run() ends.
"""

import asyncio
import logging
import sys


async def save(name: str, seconds: float) -> None:
    await asyncio.sleep(seconds)  # the database answers after `seconds`
    logging.info("Saved %s", name)


async def main() -> None:
    async with asyncio.TaskGroup() as group:  # leaving the block waits for every task in it
        for name, seconds in [("report.txt", 0.3), ("notes.txt", 0.1), ("draft.txt", 0.2)]:
            group.create_task(save(name, seconds))
    logging.info("Main done")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, stream=sys.stdout)
    asyncio.run(main())
