"""25 — A generator driven from outside: the coroutines that came before async/await.

`collector` is a generator: it runs only when someone resumes it with next(), and each
`yield` hands a value out and pauses it there. send(value) resumes it, and the paused
`yield` expression takes that value. close() ends it at its paused yield. The driver below
creates it, resumes it once to get it going, sends it two words and closes it.
"""

import logging
from collections.abc import Generator


def collector() -> Generator[int, str, None]:
    """Collects the words it is sent; each yield hands out how many it has so far."""
    logging.info("Coroutine: started")
    words: list[str] = []
    try:
        while True:
            word = yield len(words)
            logging.info("Coroutine: received %r", word)
            words.append(word)
    finally:
        logging.info("Coroutine: closed, collected %r", " ".join(words))


def main() -> None:
    logging.info("Driver: creating the coroutine")
    coroutine = collector()
    logging.info("Driver: coroutine created")
    logging.info("Driver: first resume gave %d", next(coroutine))
    for word in ["async", "await"]:
        count = coroutine.send(word)
        logging.info("Driver: sent %r, got %d", word, count)
    logging.info("Driver: closing")
    coroutine.close()
    logging.info("Driver: done")


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    main()
