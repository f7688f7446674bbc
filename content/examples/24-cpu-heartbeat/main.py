"""24 — A heartbeat and a computation in one program.

A service prints a heartbeat every 100 ms to show it is alive (a monitor would restart it if
the beats stopped). Meanwhile it counts the primes below a limit, a pure computation of a
second or two.
"""

import asyncio
import logging
import sys

LIMIT = 400_000


def count_primes(limit: int) -> int:
    count = 0
    for n in range(2, limit):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


async def heartbeat() -> None:
    tick = 0
    while True:
        await asyncio.sleep(0.1)
        tick += 1
        logging.info("Tick %d", tick)


async def main() -> None:
    beat = asyncio.create_task(heartbeat())
    await asyncio.sleep(0.35)
    logging.info("Counting the primes below %d", LIMIT)
    count = count_primes(LIMIT)
    logging.info("There are %d primes below %d", count, LIMIT)
    await asyncio.sleep(0.35)
    beat.cancel()


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, stream=sys.stdout)
    asyncio.run(main())
