"""21 — Three jobs started together, waited for together.

Each job says when it starts and when it is done, and returns its name. asyncio.gather runs
all three at once and gives back their results as a list.
"""

import asyncio
import logging


async def job(name: str, seconds: float) -> str:
    """A job that waits `seconds` (think of a request to a server) and returns its name."""
    logging.info("%s starts", name)
    await asyncio.sleep(seconds)  # here the job gives way, and the others run
    logging.info("%s done", name)
    return name


async def main() -> None:
    results = await asyncio.gather(job("A", 0.6), job("B", 0.2), job("C", 0.4))
    logging.info("Results: %s", ", ".join(results))


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
