"""01 — Downloading images one after another.

Each download starts only when the previous one has finished: `requests.get` blocks the
whole program until its answer has arrived, so the total time is the sum of all the
request times.
"""

import logging
import os
import time

import requests

# The images come from the book's small image server; `?delay=<ms>` makes it answer that late.
# To try real images, list their URLs in the env variable URLS (comma-separated) or here, e.g.
# "https://www.python.org/static/img/python-logo.png".
IMAGE_SERVER = os.environ.get("IMAGE_SERVER", "http://127.0.0.1:8765")
URLS = os.environ["URLS"].split(",") if os.environ.get("URLS") else [
    f"{IMAGE_SERVER}/img/1.png?delay=300",
    f"{IMAGE_SERVER}/img/2.png?delay=800",
    f"{IMAGE_SERVER}/img/3.png?delay=500",
    f"{IMAGE_SERVER}/img/4.png?delay=1000",
    f"{IMAGE_SERVER}/img/5.png?delay=400",
]


def download(url: str) -> bytes | None:
    logging.info("Starting download from %s", url)
    # Blocks until the answer is here; the timeout (in seconds, for connecting and for each read)
    # keeps a server that never answers from stopping the program for good.
    response = requests.get(url, timeout=10)
    if response.status_code != 200:
        logging.error("Bad %s, status %d", url, response.status_code)
        return None
    # The size the server announced; a chunked response has no Content-Length header.
    size = response.headers.get("Content-Length", "unknown")
    logging.info("Response received from %s, size %s", response.url, size)
    return response.content


def main() -> list[bytes | None]:
    start = time.monotonic()
    images = []
    for url in URLS:
        images.append(download(url))  # the next download starts only after this one
    logging.info("Downloaded in %d ms", round((time.monotonic() - start) * 1000))
    logging.info("Results in the order of URLS: %s", ", ".join(str(len(image)) if image is not None else "none" for image in images))
    return images


if __name__ == "__main__":
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    main()
