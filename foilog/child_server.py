"""Start a server (`foilog serve`, `foilog fixture-site`) as a child process on a port
the OS chooses, for the tests, the benchmarks and any script.

The child binds port 0 itself and prints its URL on its first stdout line once it
listens; we read that line. (Picking a free port, closing it and passing its number
to the child is a race: any other process may take the port in between.)
"""

from __future__ import annotations

import re
import selectors
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

# `serving X at http://127.0.0.1:PORT/ ...`, `fixture site on http://127.0.0.1:PORT/ ...`
URL = re.compile(r"http://(\[[^\]]+\]|[^\s/:\[]+):(\d+)/")


class ServerDidNotStart(RuntimeError):
    """The child exited or stayed silent before printing its URL."""


@dataclass
class ChildServer:
    process: subprocess.Popen
    base_url: str  # http://host:port, no trailing slash
    port: int
    first_line: str
    _stderr: IO[bytes]
    _stderr_at_close: str = ""

    def stderr_text(self) -> str:
        """Everything the child wrote on stderr so far (kept after close())."""
        if self._stderr.closed:
            return self._stderr_at_close
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "replace")

    def stop(self, sig: int = signal.SIGINT, timeout: float = 10.0) -> int:
        """Send `sig` (Ctrl-C by default) and wait; kill it if it does not stop."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def __enter__(self) -> ChildServer:
        return self

    def close(self) -> None:
        """Stop the child if it still runs and release its stdout and stderr file."""
        self.stop()
        if self.process.stdout is not None:
            self.process.stdout.close()
        if not self._stderr.closed:
            self._stderr_at_close = self.stderr_text()
            self._stderr.close()

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def start_server(
    argv: list[str],
    *,
    timeout: float = 60.0,
    env: dict | None = None,
    cwd: str | Path | None = None,
) -> ChildServer:
    """Run `argv` (which must bind port 0 or a given port and print its URL first) and
    return once it listens. stderr goes to a temporary file, never a pipe nobody reads
    (a chatty child would block on a full pipe)."""
    stderr = tempfile.TemporaryFile()
    process = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=stderr, env=env, cwd=cwd, bufsize=0
    )
    try:
        line = _first_line(process, timeout)
    except BaseException:
        process.kill()
        process.wait()
        stderr.seek(0)
        detail = stderr.read().decode("utf-8", "replace").strip()
        stderr.close()
        if process.stdout is not None:
            process.stdout.close()
        raise ServerDidNotStart(
            f"{' '.join(map(str, argv))} did not print its URL "
            f"(exit {process.returncode}): {detail[-2000:]}"
        ) from None
    found = URL.search(line)
    if found is None:
        process.kill()
        process.wait()
        stderr.close()
        raise ServerDidNotStart(f"no URL in the first line {line!r}")
    host, port = found.group(1), int(found.group(2))
    return ChildServer(process, f"http://{host}:{port}", port, line, stderr)


def _first_line(process: subprocess.Popen, timeout: float) -> str:
    """The child's first stdout line, read without blocking past `timeout`."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    buffer = b""
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while b"\n" not in buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no first line within {timeout}s")
            if not selector.select(left):
                continue
            chunk = process.stdout.read(4096)
            if not chunk:
                raise EOFError("the child closed stdout")
            buffer += chunk
    return buffer.split(b"\n", 1)[0].decode("utf-8", "replace")
