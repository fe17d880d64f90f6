"""The refresh's parser process (scraper/parse_pool.py starts it): requests in on stdin,
answers out on stdout, one length-prefixed pickle each way.

A plain child process, not a multiprocessing one: multiprocessing's spawn starts a
resource-tracker process as well (13 MB resident for the whole refresh) and imports the
parent's main module in the child; this child imports only what it is asked to run.

First frame: the parent's sys.path (so functions of any module it can import, tests'
stand-in parsers among them, are found). Then (function, args) -> (True, result) or
(False, exception), for as long as the parent keeps stdin open.
"""

from __future__ import annotations

import os
import pickle
import struct
import sys
from collections.abc import Callable
from typing import BinaryIO

HEADER = struct.Struct("<Q")


def write_frame(out: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(HEADER.pack(len(data)) + data)
    out.flush()


def read_frame(source: BinaryIO) -> object:
    """The next value, or EOFError when the other side has gone."""
    header = _read_exactly(source, HEADER.size)
    return pickle.loads(_read_exactly(source, HEADER.unpack(header)[0]))


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise EOFError("the other process has gone")
    return data


def _answer(function: Callable, args: tuple) -> tuple[bool, object]:
    try:
        return True, function(*args)
    except Exception as exc:  # noqa: BLE001  sent back: the parent counts the page failed
        return False, exc


def main() -> None:
    requests = sys.stdin.buffer
    # stdout is the channel: whatever parser code prints goes to stderr instead
    answers = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    try:
        paths: list[str] = read_frame(requests)  # type: ignore[assignment]
        sys.path[:0] = [p for p in paths if p not in sys.path]
        while True:
            request: tuple[Callable, tuple] = read_frame(requests)  # type: ignore[assignment]
            function, args = request
            ok, value = _answer(function, args)
            try:
                write_frame(answers, (ok, value))
            except (pickle.PicklingError, TypeError, AttributeError) as exc:
                # a result or exception that cannot be pickled: its description instead
                write_frame(
                    answers, (False, RuntimeError(f"{type(value).__name__}: {value} ({exc})"))
                )
    except (EOFError, BrokenPipeError, KeyboardInterrupt):
        return  # the parent closed the channel (or was interrupted): done


if __name__ == "__main__":
    main()
