"""28 — Ten deposits into one account.

Ten tasks each add 10 to a shared balance, so it should end at 100. Each deposit reads the
balance, waits a little (as if it wrote to the bank's audit log first) and then stores the
new balance.
"""

import asyncio
import logging
import sys

balance = 0


async def deposit(n: int, amount: int) -> None:
    global balance
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
