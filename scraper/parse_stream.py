"""Parsing many stored pages at once: a process pool feeding one writer, in order.

The refresh parses one page at a time (scraper/parse_pool.py: the network is the
limit). A bulk import is limited by the parser instead, so pages are parsed by
`jobs` child processes while the caller writes results in input order on its own
connection (SQLite wants a single writer). A page that makes the parser spin is
stopped after `timeout` seconds: the pool is replaced and the page yields a
`ParseTimeout`, the others are parsed again.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from parsers import parse_response
from scraper.parse_pool import PARSE_TIMEOUT_S, ParseTimeout

T = TypeVar("T")
# Pages queued per child: enough to keep the children busy while the writer commits a
# batch (scraper/warc_import.BATCH), a few MB of memory.
WINDOW_PER_JOB = 128


def parse_job(body: bytes, url: str):
    """Run in a child: the parsed record, or the exception (pickled back)."""
    try:
        return parse_response(body, url)
    except Exception as exc:  # noqa: BLE001  returned to the writer, which counts it
        return exc


class ParseStream:
    def __init__(
        self, jobs: int, timeout: float = PARSE_TIMEOUT_S, function: Callable = parse_job
    ) -> None:
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.function = function  # sent to the children by name: a module-level function
        self._pool: multiprocessing.pool.Pool | None = None

    def __enter__(self) -> ParseStream:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def parse(
        self, items: Iterable[T], page: Callable[[T], tuple | None]
    ) -> Iterator[tuple[T, object]]:
        """(item, what `function` returned, or a ParseTimeout) for each item, in order.

        `page(item)` gives the function's arguments, by default (body, url), or None
        for an item passed through as (item, None).
        """
        if self.jobs == 1:
            for item in items:
                job = page(item)
                yield item, (None if job is None else self.function(*job))
            return
        window: deque = deque()
        limit = self.jobs * WINDOW_PER_JOB
        for item in items:
            job = page(item)
            window.append((item, job, self._submit(job)))
            while len(window) >= limit:
                yield self._settle(window)
        while window:
            yield self._settle(window)

    def _submit(self, job: tuple | None):
        if job is None:
            return None
        if self._pool is None:
            # spawn, not fork: a forked child would share the parent's SQLite handles
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs)
        return self._pool.apply_async(self.function, job)

    def _settle(self, window: deque) -> tuple[Any, object]:
        item, job, pending = window.popleft()
        if pending is None:
            return item, None
        try:
            return item, pending.get(self.timeout)
        except multiprocessing.TimeoutError:
            self.close()  # the child may be spinning: start afresh, resubmit the rest
            for i, (other, other_job, _) in enumerate(window):
                window[i] = (other, other_job, self._submit(other_job))
            return item, ParseTimeout(f"parsing took longer than {self.timeout:g}s")

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
