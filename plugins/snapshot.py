"""A consistent copy of the live archive for `/foi.db` downloads.

Datasette 0.65 only offers downloads of immutable databases, and ours is written by
the nightly refresh while it is served; copying the file mid-write (or without its
WAL) would hand out a torn or stale database. `VACUUM INTO` from a read-only
connection writes a consistent, compact snapshot instead. One snapshot is reused
until the archive's files change, so repeated downloads cost one copy.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import threading
from pathlib import Path


class SnapshotCache:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._dir: Path | None = None
        self._key: tuple | None = None
        self._path: Path | None = None

    def latest(self, db_path: Path) -> Path:
        """Path to a snapshot at least as new as db_path's last write (blocking)."""
        with self._lock:
            key = _state(db_path)
            if self._path is not None and self._key == key and self._path.exists():
                return self._path
            if self._dir is None:
                self._dir = Path(tempfile.mkdtemp(prefix="foilog-snapshot-"))
            final = self._dir / "foi.db"
            partial = self._dir / "foi.db.partial"
            partial.unlink(missing_ok=True)
            conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            try:
                conn.execute("VACUUM INTO ?", (str(partial),))
            finally:
                conn.close()
            # A download already streaming the old file keeps its open inode.
            os.replace(partial, final)
            self._key, self._path = key, final
            return final


def _state(db_path: Path) -> tuple:
    """Changes whenever the database or its WAL is written."""
    parts = []
    for path in (db_path, Path(f"{db_path}-wal")):
        try:
            stat = path.stat()
        except FileNotFoundError:
            parts.append(None)
            continue
        parts.append((stat.st_mtime_ns, stat.st_size))
    return tuple(parts)
