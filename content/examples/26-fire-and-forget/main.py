"""26 — Three saves started in the background.

Before it ends, the program saves three documents. Each save takes a moment (think of a
request to a database), so the three are started at once as tasks and run in the background.
"""

import asyncio
import logging
import sys


async def save(name: str, seconds: float) -> None:
    await asyncio.sleep(seconds)  # the database answers after `seconds`
    logging.info("Saved %s", name)


async def main() -> None:
    for name, seconds in [("report.txt", 0.3), ("notes.txt", 0.1), ("draft.txt", 0.2)]:
        asyncio.create_task(save(name, seconds))
    logging.info("Main done")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, stream=sys.stdout)
    asyncio.run(main())
