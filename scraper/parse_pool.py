"""Parsing in a child process: off the event loop, and with a time limit.

A page that makes the parser spin (pathological nesting, a regex that backtracks) must
not stall the nightly run: after `timeout` seconds the child is terminated and a fresh
one started; the page counts as failed (its raw bytes are already stored) and is
retried on the next run. One page at a time, so the limit measures that page alone.
"""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import Callable
from typing import TYPE_CHECKING

from parsers import parse_response

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

PARSE_TIMEOUT_S = 60.0


class ParseTimeout(Exception):
    pass


class ParsePool:
    def __init__(self, timeout: float = PARSE_TIMEOUT_S, function: Callable | None = None) -> None:
        self.timeout = timeout
        # sent to the child by name, so it must be a module-level function
        self.function = function or parse_response
        self._pool: Pool | None = None
        self._turn = asyncio.Lock()

    async def parse(self, body: bytes, url: str):
        async with self._turn:
            loop = asyncio.get_running_loop()
            done: asyncio.Future = loop.create_future()

            def settle(value, failed: bool = False) -> None:
                if not done.done():
                    (done.set_exception if failed else done.set_result)(value)

            self._start().apply_async(
                self.function,
                (body, url),
                callback=lambda r: loop.call_soon_threadsafe(settle, r),
                error_callback=lambda e: loop.call_soon_threadsafe(settle, e, True),
            )
            try:
                return await asyncio.wait_for(done, self.timeout)
            except TimeoutError:
                self.close()  # the child may be spinning: terminate, start afresh
                raise ParseTimeout(f"parsing took longer than {self.timeout:g}s") from None

    def _start(self) -> Pool:
        if self._pool is None:
            # spawn, not fork: the crawler has threads (and tests a server) running
            self._pool = multiprocessing.get_context("spawn").Pool(1)
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
