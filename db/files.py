"""Opening the archive and the raw page store with an error an operator can act on.

A path that is a directory, is not a SQLite file, or comes from a newer foilog
raises `NotAnArchive` with a one-line message; commands print it and exit 2.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

SQLITE_MAGIC = b"SQLite format 3\x00"


class NotAnArchive(Exception):
    """The file given as an archive or page store cannot be used (bad configuration)."""


def check_sqlite_file(path: str | Path, what: str) -> Path:
    """Raise NotAnArchive unless `path` is absent, empty, or an SQLite database."""
    path = Path(path)
    if str(path) == ":memory:" or not path.exists():
        return path
    if path.is_dir():
        raise NotAnArchive(f"{what} {path} is a directory, not a SQLite file")
    try:
        with path.open("rb") as handle:
            head = handle.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise NotAnArchive(f"cannot read {what} {path} ({exc.strerror or exc})") from None
    if head and head != SQLITE_MAGIC:
        raise NotAnArchive(f"{what} {path} is not a SQLite database (wrong file or path?)")
    return path


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """The archive (`data/foi.db`), created and migrated if needed."""
    from db.schema import SchemaError, ensure_schema

    path = check_sqlite_file(path, "archive")
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    try:
        ensure_schema(db)
    except SchemaError as exc:
        db.close()
        raise NotAnArchive(str(exc).splitlines()[0]) from None
    except sqlite3.DatabaseError as exc:
        db.close()
        if isinstance(exc, sqlite3.OperationalError):
            raise  # read-only, disk full, locked: the command's own message for those
        raise NotAnArchive(f"archive {path} cannot be used as an SQLite database ({exc})") from None
    from db.bulk_fts import restore_deferred_fts

    restore_deferred_fts(db)  # a bulk import that stopped before indexing its rows
    return db


def open_page_store(path: str | Path):
    """The raw page store (`data/pages.db`)."""
    from db.pages import PageStore

    path = check_sqlite_file(path, "raw page store")
    try:
        return PageStore(path)
    except sqlite3.DatabaseError as exc:
        if isinstance(exc, sqlite3.OperationalError):
            raise
        raise NotAnArchive(
            f"raw page store {path} cannot be used as an SQLite database ({exc})"
        ) from None


def force_pages_path(pages_path: str | Path, force: str) -> Path:
    """`data/pages.db` -> `data/pages-<force>.db`: each force's own raw store and frontier.

    A multi-force refresh keeps one raw store per force (its runs, frontier and crawl
    flags are per site); readers (reparse, serve, export-warc) read them all.
    """
    pages_path = Path(pages_path)
    return pages_path.with_name(f"{pages_path.stem}-{force}{pages_path.suffix}")


def page_store_paths(pages_path: str | Path) -> list[Path]:
    """The raw stores that exist: `pages_path` itself and every force's own."""
    from parsers.sites import SITES

    pages_path = Path(pages_path)
    candidates = [pages_path] + [force_pages_path(pages_path, key) for key in SITES]
    return [path for path in candidates if path.is_file()]
