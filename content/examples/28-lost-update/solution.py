"""28 — Ten deposits into one account, fixed.

The read of the balance and the write of the new one are separated by an await, and at that
await the other deposits run and read the same old balance. An asyncio.Lock keeps them out of
the whole read-wait-write stretch, so each deposit starts from the balance the previous one left.
"""

import asyncio
import logging
import sys

balance = 0
lock = asyncio.Lock()  # not a thread lock: waiting for it is an await


async def deposit(n: int, amount: int) -> None:
    global balance
    async with lock:  # nobody else gets in between the read and the write
        current = balance
        await asyncio.sleep(0.01)  # the audit log: a network call
        balance = current + amount
    logging.info("Deposit %d: balance %d -> %d", n, current, balance)


async def main() -> None:
    await asyncio.gather(*(deposit(n, 10) for n in range(1, 11)))
    logging.info("Final balance: %d", balance)


if __name__ == "__main__":
    # On stdout, where the exercise's check reads the output.
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO, stream=sys.stdout)
    asyncio.run(main())
