"""07 — In what order does asyncio code run?

Each line below carries its number in the order in which it is printed. Read the code from
top to bottom and try to predict that order; then run it. The rules:
- synchronous code runs to its end: nothing can interrupt it;
- `await coroutine()` runs the coroutine at once, like a function call; only an await that
  really waits (a timer, I/O, asyncio.sleep(0)) hands control back to the event loop;
- create_task() and call_soon() only put work in the loop's queue;
- each turn of the loop first adds the timers whose time has come to the end of that queue,
  then runs what the queue held at the start of the turn; whatever those callbacks queue
  runs in the next turn.
"""

import asyncio
import logging


async def child(name: str, first: str, then: str) -> str:
    logging.info(first)
    await asyncio.sleep(0)  # gives way to the event loop for one turn
    logging.info(then)
    return f"the result of {name}"


async def main() -> None:
    loop = asyncio.get_running_loop()
    logging.info("1. main() starts")
    loop.call_later(0, logging.info, "8. call_later(0): a timer, queued at the start of the next turn")
    loop.call_soon(logging.info, "4. call_soon: a callback, in the next turn of the loop")
    task = asyncio.create_task(child(
        "the task",
        "5. the task starts: its first turn comes after the call_soon callback",
        "9. the task continues after asyncio.sleep(0)",
    ))
    logging.info("2. main() has created a task: it has not started yet")
    result = await child(
        "child()",
        "3. await child(): the coroutine runs at once, up to asyncio.sleep(0)",
        "6. child() continues after asyncio.sleep(0)",
    )
    logging.info("7. main() resumes after await with %s", result)
    result = await task
    logging.info("10. main() resumes after await with %s", result)


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
