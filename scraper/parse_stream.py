"""Parsing many stored pages at once: a process pool feeding one writer, in order.

The refresh parses one page at a time (scraper/parse_pool.py: the network is the
limit). A bulk import is limited by the parser instead, so pages are parsed by
`jobs` child processes while the caller writes results in input order on its own
connection (SQLite wants a single writer). A page that makes the parser spin is
stopped after `timeout` seconds: the pool is replaced and the page yields a
`ParseTimeout`, the others are parsed again. Pages go to the children `CHUNK` at a time;
a chunk that times out is parsed again page by page to find the one that spins.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.pool
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from parsers import parse_response
from scraper.parse_pool import PARSE_TIMEOUT_S, ParseTimeout

T = TypeVar("T")
# Pages queued per child (a few MB of memory): the children go on parsing while the
# writer writes a batch. An import-warc batch (scraper/warc_import.BATCH, 1,000) can take
# longer to write than the queue takes to parse; fewer, larger commits still measured
# faster in all (wall 141 -> 126 s at 50,000 pages).
WINDOW_PER_JOB = 128
# Pages per task sent to a child: each task costs the writer ~2 CPU ms in the pool's own
# threads (queues, pipes, its worker-watching thread): ~0.5 ms a page at one page a
# task, ~0.13 at 16, ~0.04 at 64. The window still holds 4 tasks at 2 jobs.
CHUNK = 64


def parse_job(body: bytes, url: str):
    """Run in a child: the parsed record, or the exception (pickled back)."""
    try:
        return parse_response(body, url)
    except Exception as exc:  # noqa: BLE001  returned to the writer, which counts it
        return exc


def run_chunk(function: Callable, jobs: list[tuple | None]) -> list:
    """Run in a child: `function` on each job's arguments (None: not run)."""
    return [None if job is None else function(*job) for job in jobs]


@dataclass
class _Chunk:
    items: list
    jobs: list[tuple | None]
    pending: multiprocessing.pool.AsyncResult | None = None


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
        window: deque[_Chunk] = deque()
        limit = max(2, self.jobs * WINDOW_PER_JOB // CHUNK)
        chunk = _Chunk([], [])
        for item in items:
            chunk.items.append(item)
            chunk.jobs.append(page(item))
            if len(chunk.items) < CHUNK:
                continue
            window.append(self._submit(chunk))
            chunk = _Chunk([], [])
            while len(window) >= limit:
                yield from self._settle(window)
        if chunk.items:
            window.append(self._submit(chunk))
        while window:
            yield from self._settle(window)

    def _submit(self, chunk: _Chunk) -> _Chunk:
        chunk.pending = None
        if all(job is None for job in chunk.jobs):
            return chunk
        if self._pool is None:
            # spawn, not fork: a forked child would share the parent's SQLite handles
            self._pool = multiprocessing.get_context("spawn").Pool(self.jobs)
        chunk.pending = self._pool.apply_async(run_chunk, (self.function, chunk.jobs))
        return chunk

    def _settle(self, window: deque[_Chunk]) -> list[tuple[Any, object]]:
        chunk = window.popleft()
        if chunk.pending is None:
            return [(item, None) for item in chunk.items]
        try:
            return list(zip(chunk.items, chunk.pending.get(self.timeout)))
        except multiprocessing.TimeoutError:
            pass
        self.close()  # a child may be spinning: start afresh, resubmit the rest
        if len(chunk.items) > 1:  # find the page that spins: this chunk's pages one by one
            singles = [_Chunk([item], [job]) for item, job in zip(chunk.items, chunk.jobs)]
            window.extendleft(reversed(singles))
            chunk = _Chunk([], [])
        for other in window:
            self._submit(other)
        if not chunk.items:
            return []
        return [(chunk.items[0], ParseTimeout(f"parsing took longer than {self.timeout:g}s"))]

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
