"""Opening the archive and the raw page store from a path the operator typed.

A path that exists but is not a SQLite database (a PDF, a half-copied file, a
directory) must be one line and exit 2 for the operator, never a traceback from deep
inside the first query: `NotADatabase` carries that line.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from db.pages import PageStore
from db.schema import ensure_schema

SQLITE_HEADER = b"SQLite format 3\x00"


class NotADatabase(Exception):
    """The file is not a SQLite database; `str()` is one line for the operator."""


def require_sqlite(path: str | Path, what: str) -> None:
    """Raise NotADatabase unless `path` is missing, empty, or a SQLite database.

    Missing and empty files are fine: SQLite creates the database in them.
    """
    path = Path(path)
    if path.is_dir():
        raise NotADatabase(f"{path} is a directory, not a {what}")
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as error:
        raise NotADatabase(f"cannot read {path} ({error.strerror or error})") from error
    if header != SQLITE_HEADER:
        raise NotADatabase(f"{path} is not a SQLite database (expected a {what})")


def open_archive(path: str | Path) -> sqlite_utils.Database:
    """The archive at `path`, created if missing, its schema ensured (db.schema).

    Raises NotADatabase for a file that is not SQLite, and db.schema.SchemaError for
    an archive written by a newer foilog.
    """
    path = Path(path)
    require_sqlite(path, "foilog archive")
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(path)
    try:
        ensure_schema(db)
    except sqlite3.DatabaseError as error:
        db.close()
        if isinstance(error, sqlite3.OperationalError):
            raise  # locked, read-only, disk full: not a question of the file's kind
        raise NotADatabase(f"{path} is not a usable SQLite database ({error})") from error
    return db


def open_page_store(path: str | Path) -> PageStore:
    """The raw page store at `path`, created if missing. Raises NotADatabase."""
    require_sqlite(path, "raw page store")
    try:
        return PageStore(path)
    except sqlite3.DatabaseError as error:
        if isinstance(error, sqlite3.OperationalError):
            raise
        raise NotADatabase(f"{path} is not a usable SQLite database ({error})") from error
