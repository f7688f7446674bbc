"""05 — The same CPU work on one event loop, and split over worker processes.

The work is four parts of equal size: fib(N) four times. On one event loop the four parts
are "concurrent" coroutines, but only one of them can compute at a time, so they finish one
after another. In a pool of processes each part runs in its own process, and the processes run
in parallel on as many CPU cores as the machine has.

Node's version uses worker threads. In Python threads would not help here: the GIL lets only
one thread run Python code at a time (chapter III), so CPU work is spread over processes, each
with its own interpreter and its own GIL.
"""

import asyncio
import logging
import os
import time
from concurrent.futures import ProcessPoolExecutor

# Each part must be big enough to be worth a process: starting one costs tens of milliseconds.
# fib(30) takes Python a few tenths of a second (Node's version uses fib(37)).
PARTS = 4
N = 30


def fib(n: int) -> int:
    return n if n < 2 else fib(n - 2) + fib(n - 1)


async def part_on_loop(part: int) -> int:
    # A coroutine that never awaits anything: it computes from start to end without giving way.
    logging.info("One event loop: part %d of %d starts", part, PARTS)
    result = fib(N)
    logging.info("One event loop: part %d of %d done", part, PARTS)
    return result


async def part_in_process(pool: ProcessPoolExecutor, part: int) -> int:
    # "starts" is the moment of submission: the part is handed to the pool here, and it runs as
    # soon as one of the pool's processes is free.
    logging.info("Worker processes: part %d of %d starts", part, PARTS)
    result = await asyncio.get_running_loop().run_in_executor(pool, fib, N)
    logging.info("Worker processes: part %d of %d done", part, PARTS)
    return result


async def main() -> None:
    parts = range(1, PARTS + 1)

    start = time.monotonic()
    on_loop = await asyncio.gather(*(part_on_loop(part) for part in parts))
    loop_ms = round((time.monotonic() - start) * 1000)
    logging.info("One event loop: total %d in %d ms", sum(on_loop), loop_ms)

    start = time.monotonic()
    with ProcessPoolExecutor(max_workers=PARTS) as pool:
        in_processes = await asyncio.gather(*(part_in_process(pool, part) for part in parts))
    processes_ms = round((time.monotonic() - start) * 1000)
    logging.info("Worker processes: total %d in %d ms", sum(in_processes), processes_ms)

    logging.info("Speed-up: %.2fx with %d processes on %d CPU cores", loop_ms / processes_ms, PARTS, os.cpu_count())


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    asyncio.run(main())
