"""One refresh per archive: an OS-level lock on a file next to the archive.

`fcntl.flock` is released by the kernel when the holder dies, even by SIGKILL, so a
crash never leaves a stale lock for the operator to clean up.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path


class LockHeld(Exception):
    """Another refresh holds the lock on this archive (exit 4)."""


class CrawlLock:
    def __init__(self, archive_path: str | Path) -> None:
        archive = Path(archive_path)
        self.path = archive.with_name(archive.name + ".lock")
        self._fd: int | None = None

    def __enter__(self) -> CrawlLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 64).decode("ascii", "replace").strip() or "unknown"
            os.close(fd)
            raise LockHeld(
                f"another refresh (pid {holder}) is running on this archive "
                f"(lock {self.path}); nothing changed"
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return self

    def __exit__(self, *exc_info) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
