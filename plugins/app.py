"""Build and run the Datasette app that serves the archive, as `foilog serve` and the tests do.

The archive is opened mutable (the nightly refresh writes while we serve; WAL lets
readers carry on) but Datasette only ever reads it: no --root, default permissions,
no write plugins. It is always served under the name `foi`, whatever the file is
called, so metadata.yml and every URL stay the same.
"""

from __future__ import annotations

import asyncio
import socket
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.database import Database
from datasette.utils import parse_metadata

from db.files import NotAnArchive, check_sqlite_file, page_store_paths

DATABASE = "foi"
# An installed wheel carries metadata.yml as package data beside this file (setup.py
# copies it); a checkout keeps the one file people edit at the repository's top.
METADATA_PATHS = (
    Path(__file__).resolve().parent / "metadata.yml",
    Path(__file__).resolve().parent.parent / "metadata.yml",
)
SETTINGS = {
    "sql_time_limit_ms": 3000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
    "max_returned_rows": 2000,
    "allow_download": True,
    "allow_csv_stream": True,
    "allow_facet": True,
    # Suggestions offered hashes and timestamps; the useful facets are in metadata.yml.
    "suggest_facets": False,
    "truncate_cells_html": 300,
}


class ArchiveError(Exception):
    """The archive cannot be served (missing file, not a foilog archive, port taken)."""


def metadata_path() -> Path:
    """Where this installation's metadata.yml is (package data first, then checkout)."""
    for path in METADATA_PATHS:
        if path.is_file():
            return path
    raise ArchiveError(f"metadata.yml is missing (looked in {', '.join(map(str, METADATA_PATHS))})")


def load_metadata(path: Path | None = None) -> dict:
    return parse_metadata((path or metadata_path()).read_text(encoding="utf-8"))


def check_archive(db_path: Path) -> None:
    """Raise ArchiveError with a one-line reason unless db_path is a foilog archive."""
    if not db_path.is_file():
        raise ArchiveError(f"no archive at {db_path} (run `foilog refresh --db {db_path}` first)")
    try:
        check_sqlite_file(db_path, "archive")
    except NotAnArchive as error:
        raise ArchiveError(str(error)) from error
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            found = conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'responses'"
            ).fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as error:
        raise ArchiveError(f"{db_path} is not a SQLite database: {error}") from error
    if not found:
        raise ArchiveError(f"{db_path} is not a foilog archive (no responses table)")


def build_datasette(
    db_path: Path | str, metadata: dict | None = None, pages_path: Path | str | None = None
) -> Datasette:
    """The configured Datasette instance, with the archive mounted as `foi`.

    `pages_path` is the raw page store the response pages read versions and archived
    copies from; by default `pages.db` next to the archive, when there is one (or, after
    a refresh of several forces, their `pages-<force>.db` beside it: db.files).
    """
    metadata = dict(metadata if metadata is not None else load_metadata())
    pages = Path(pages_path) if pages_path else Path(db_path).with_name("pages.db")
    if page_store_paths(pages):
        plugins = dict(metadata.get("plugins") or {})
        plugins["foilog"] = {**plugins.get("foilog", {}), "pages_db": str(pages)}
        metadata["plugins"] = plugins
    ds = Datasette([], metadata=metadata, settings=SETTINGS)
    ds.add_database(Database(ds, path=str(db_path), is_mutable=True), name=DATABASE)
    return ds


@dataclass
class ReadyServer:
    """Datasette started, the port bound: `run()` serves until `server.should_exit`."""

    server: Any  # uvicorn.Server (imported only when serving)
    sock: socket.socket
    url: str  # http://host:port, with the port the OS gave for 0

    def run(self) -> None:
        try:
            self.server.run(sockets=[self.sock])
        # uvicorn shuts down gracefully on a signal, then re-raises it: stopping is success.
        except KeyboardInterrupt:
            pass
        finally:
            self.sock.close()


def prepare_server(
    db_path: Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    pages_path: Path | None = None,
) -> ReadyServer:
    """Check the archive, start Datasette (template or plugin errors fail here, not on
    a request) and bind the port. Raises ArchiveError with a one-line reason."""
    import uvicorn

    check_archive(db_path)
    if pages_path is not None and not page_store_paths(pages_path):
        raise ArchiveError(f"no raw page store at {pages_path}")
    ds = build_datasette(db_path, pages_path=pages_path)
    asyncio.run(ds.invoke_startup())
    sock = _listen(host, port)
    shown = f"[{host}]" if ":" in host else host
    config = uvicorn.Config(ds.app(), log_level="warning", lifespan="on")
    return ReadyServer(uvicorn.Server(config), sock, f"http://{shown}:{sock.getsockname()[1]}")


def serve(
    db_path: Path,
    host: str = "127.0.0.1",
    port: int = 8001,
    announce: Callable[[str], None] = print,
    pages_path: Path | None = None,
) -> None:
    """Serve until Ctrl-C (uvicorn handles SIGINT/SIGTERM and shuts down cleanly)."""
    ready = prepare_server(db_path, host, port, pages_path=pages_path)
    announce(f"serving {db_path} at {ready.url}/ (Ctrl-C to stop)")  # bound before we say so
    ready.run()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        sock = socket.create_server((host, port), family=family)
    except OSError as error:
        raise ArchiveError(f"cannot listen on {host}:{port}: {error.strerror or error}") from error
    # A socket made here has proto 0, so asyncio never turns Nagle off for the
    # connections it accepts: every keep-alive request after the first waited ~40 ms
    # for a delayed ACK. Accepted sockets inherit this option on Linux.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock
