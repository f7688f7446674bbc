"""27 — Cancelling a worker that cleans up after itself.

main starts a worker, lets it run for a moment and then cancels it. The worker catches the
cancellation, says so, tidies up in `finally` and lets the cancellation through, so that it
ends cancelled. In what order do the six lines come?
"""

import asyncio
import logging


async def worker() -> None:
    try:
        logging.info("Worker: step 1")
        await asyncio.sleep(10)  # a long wait: a download, a query…
        logging.info("Worker: step 2")
    except asyncio.CancelledError:
        logging.info("Worker: cancelled")
        raise  # let the cancellation through: the task must end cancelled
    finally:
        logging.info("Worker: cleaning up")  # close files, give connections back


async def main() -> None:
    logging.info("Main: starting worker")
    task = asyncio.create_task(worker())
    await asyncio.sleep(0.2)  # let the worker get going
    task.cancel()
    logging.info("Main: cancel requested")
    try:
        await task
    except asyncio.CancelledError:
        logging.info("Main: worker cancelled")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
