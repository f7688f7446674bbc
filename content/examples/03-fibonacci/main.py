"""03 — CPU-bound work does not get faster with asyncio.

The same Fibonacci number is computed twice: by the plain recursive function, and by an
"async" version in which every call creates two tasks and gathers them. Nothing here waits
for the network or a timer, so there is nothing to overlap: the async version gives the same
result, only much later, because of the thousands of tasks the event loop has to run.
"""

import asyncio
import logging
import time

N = 20


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 2) + fib(n - 1)


async def fib_async(n: int) -> int:
    if n < 2:
        return n
    a, b = await asyncio.gather(
        asyncio.create_task(fib_async(n - 2)),
        asyncio.create_task(fib_async(n - 1)),
    )
    return a + b


async def main() -> None:
    start = time.monotonic()
    result = fib(N)
    elapsed = round((time.monotonic() - start) * 1000)
    logging.info("Sync fib(%d) = %d", N, result)
    logging.info("Sync Fibonacci in %d ms", elapsed)

    start = time.monotonic()
    result = await fib_async(N)
    elapsed = round((time.monotonic() - start) * 1000)
    logging.info("Async fib(%d) = %d", N, result)
    logging.info("Async Fibonacci in %d ms", elapsed)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
