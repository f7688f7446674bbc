"""How the book runs a reader's main.py in Pyodide, so that it behaves as it does with CPython.

Loaded into a fresh interpreter before each run (src/runtime/browser/python-worker.ts), and tested
with CPython itself (test/pyodide-driver.test.ts), where it must not change what a program prints.

Two things of Pyodide would change what the book teaches, and are replaced for the run:

- asyncio.run(): Pyodide's own event loop (WebLoop) runs on the browser's event loop, so without
  JSPI (Firefox, Safari) run_until_complete() cannot wait and asyncio.run() raises, and with JSPI
  its callbacks are scheduled by the browser, not in CPython's order. The book's programs end in
  asyncio.run(main()) and must run unchanged, in CPython's order (example 07), so asyncio.run()
  gets an event loop of CPython's own (asyncio.base_events.BaseEventLoop: the ready queue,
  call_soon, call_later, exactly as in CPython), which waits for its next timer by blocking.
  It has no I/O: the page refuses programs that need sockets before they get here.
- time.sleep(): with JSPI, Pyodide's yields to the browser instead of blocking, which would make
  example 06's point false. Here it blocks the thread, as in CPython (the run has a worker of its
  own, so a busy wait blocks nothing else).
"""

import asyncio
import asyncio.base_events
import os
import sys
import time
import traceback


def blocking_sleep(seconds):
    """time.sleep() as CPython's: the thread does nothing else until the time has passed."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


class _TimersOnly:
    """The event loop's selector, for a loop without I/O: waiting is waiting for the next timer."""

    def select(self, timeout):
        if timeout is None:
            # Nothing is ready and no timer is due: CPython would wait for I/O that never comes,
            # so the program hangs until the runtime's time limit stops it, as it would there.
            while True:
                blocking_sleep(3600)
        if timeout > 0:
            blocking_sleep(timeout)
        return []

    def close(self):
        pass


class BookEventLoop(asyncio.base_events.BaseEventLoop):
    """CPython's event loop, less I/O."""

    def __init__(self):
        super().__init__()
        self._selector = _TimersOnly()

    def _process_events(self, event_list):
        pass

    def _write_to_self(self):
        pass  # one thread: nobody to wake up


def book_run(main, *, debug=None, loop_factory=None):
    """asyncio.run() as in CPython 3.12+ (a Runner), with the book's loop unless one is asked for."""
    with asyncio.Runner(debug=debug, loop_factory=loop_factory or BookEventLoop) as runner:
        return runner.run(main)


def install():
    """Puts the replacements in place, for everything the program may import afterwards."""
    time.sleep = blocking_sleep
    # Pyodide marks its WebLoop as the running loop for good, so that `await` works at the top
    # level of its console; CPython has no loop running before asyncio.run(), and neither has this.
    asyncio.events._set_running_loop(None)
    asyncio.run = book_run
    asyncio.runners.run = book_run
    asyncio.new_event_loop = BookEventLoop
    # Each line reaches the page when it is printed, as with `python -u`.
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(line_buffering=True)


def exit_code(code):
    """The process's exit code for SystemExit(code), as CPython computes it."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code & 0xFF
    print(code, file=sys.stderr)
    return 1


def run_program(entry, argv, env):
    """Runs `entry` (in the current folder) as __main__ and returns its exit code."""
    os.environ.update(env)
    sys.argv = [entry, *argv]
    with open(entry, encoding="utf-8") as file:
        source = file.read()
    main = {"__name__": "__main__", "__file__": entry, "__builtins__": __builtins__}
    code = 0
    try:
        exec(compile(source, entry, "exec"), main)
    except SystemExit as error:
        code = exit_code(error.code)
    except BaseException as error:  # what CPython prints for an uncaught exception, and exit code 1
        # The traceback starts in the reader's file: this function's frame is not theirs.
        tb = error.__traceback__.tb_next if error.__traceback__ else None
        traceback.print_exception(type(error), error, tb)
        code = 1
    finally:
        import logging

        logging.shutdown()  # what CPython's atexit does: flush the handlers
        sys.stdout.flush()
        sys.stderr.flush()
    return code


if __name__ == "__main__":
    # With CPython: `python driver.py main.py [args…]` runs main.py as the page's Pyodide would.
    install()
    sys.exit(run_program(sys.argv[1], sys.argv[2:], {}))
