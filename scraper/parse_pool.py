"""Parsing in a child process: off the event loop, and with a time limit.

A page that makes the parser spin (pathological nesting, a regex that backtracks) must
not stall the nightly run: after `timeout` seconds the child is killed and a fresh
one started; the page counts as failed (its raw bytes are already stored) and is
retried on the next run. One page at a time, so the limit measures that page alone.

The child is a plain process (scraper/parse_child.py) talking over its stdin/stdout;
the exchange runs in a thread of its own, so the event loop never blocks on it.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from parsers import parse_response
from scraper.parse_child import read_frame, write_frame

PARSE_TIMEOUT_S = 60.0


class ParseTimeout(Exception):
    pass


class ParserDied(Exception):
    """The parser process ended while parsing a page (e.g. killed, out of memory)."""


class ParsePool:
    def __init__(self, timeout: float = PARSE_TIMEOUT_S, function: Callable | None = None) -> None:
        self.timeout = timeout
        # sent to the child by name, so it must be a module-level function
        self.function = function or parse_response
        self._child: subprocess.Popen | None = None
        self._thread: ThreadPoolExecutor | None = None
        self._turn = asyncio.Lock()

    async def parse(self, body: bytes, url: str):
        async with self._turn:
            child = self._start()
            assert self._thread is not None
            exchange = asyncio.get_running_loop().run_in_executor(
                self._thread, _exchange, child, (self.function, (body, url))
            )
            try:
                ok, value = await asyncio.wait_for(exchange, self.timeout)
            except TimeoutError:
                self.close()  # the child may be spinning: kill it, start afresh next page
                raise ParseTimeout(f"parsing took longer than {self.timeout:g}s") from None
            except (EOFError, BrokenPipeError) as exc:
                self.close()  # kills it if it had only closed its stdout
                code = child.returncode
                raise ParserDied(f"the parser process ended (exit {code})") from exc
            if not ok:
                assert isinstance(value, BaseException)  # what the parser raised
                raise value
            return value

    def _start(self) -> subprocess.Popen:
        if self._child is None:
            self._child = subprocess.Popen(
                [sys.executable, "-m", "scraper.parse_child"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
            )
            write_frame(self._child.stdin, list(sys.path))  # type: ignore[arg-type]
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="parse-child")
        return self._child

    def close(self) -> None:
        child, thread = self._child, self._thread
        self._child = self._thread = None
        if child is not None:
            child.kill()  # a thread blocked reading its answer gets EOF and ends
            child.wait()
            for pipe in (child.stdin, child.stdout):
                if pipe is not None:
                    pipe.close()
        if thread is not None:
            thread.shutdown(wait=True)


def _exchange(child: subprocess.Popen, request: tuple) -> tuple[bool, object]:
    """One request and its answer (runs in the pool's thread)."""
    write_frame(child.stdin, request)  # type: ignore[arg-type]
    return read_frame(child.stdout)  # type: ignore[arg-type,return-value]
