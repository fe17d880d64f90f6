"""The raw page store (its own SQLite file, default data/pages.db) and the crawl state.

Every body is stored here, zlib-compressed, before anything parses it; a new version is
kept whenever the sha256 of the body changes, so nothing fetched is ever lost. The same
file holds what the crawler knows about each URL (`urls`) and, through
db/frontier.py, its runs and each run's frontier.

Durability: WAL with `synchronous=FULL`. A raw page must be on disk before the archive
(a different file) records its sha256 as provenance; with NORMAL a power cut could
undo the raw commit but not the archive's. The cost is one fsync per page, nothing at
the site's one request per second.
"""

from __future__ import annotations

import hashlib
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, overload

import sqlite_utils

from db.frontier import (  # noqa: F401  (re-exported: one import for the crawler)
    DONE,
    FAILED,
    PENDING,
    STORED,
    FrontierItem,
    Run,
    RunsAndFrontier,
    create_frontier_tables,
)
from db.known_urls import KnownUrl, KnownUrlQueries, UrlRange  # noqa: F401  (re-exported)


def create_page_tables(db: sqlite_utils.Database) -> None:
    """The raw pages and what the crawler knows per URL, if missing."""
    db.table("pages").create(
        {
            "url": str,
            "version": int,
            "kind": str,
            "first_fetched_at": str,  # when this content was first fetched
            "fetched_at": str,  # last time the site served this content
            "status": int,
            "etag": str,
            "last_modified": str,
            "content_type": str,
            "sha256": str,
            "size": int,
            "compression": str,
            "body": bytes,
        },
        pk=("url", "version"),
        not_null={
            "url",
            "version",
            "kind",
            "first_fetched_at",
            "fetched_at",
            "status",
            "sha256",
            "size",
            "compression",
            "body",
        },
        if_not_exists=True,
    )
    db.table("urls").create(
        {
            "url": str,
            "kind": str,
            "first_seen": str,
            "last_fetched_at": str,
            "last_status": int,
            "etag": str,
            "last_modified": str,
            "latest_version": int,
            "latest_sha256": str,
            "loaded_sha256": str,  # the content last loaded into the archive
            "removed_at": str,
            "failures": int,  # consecutive failed runs: retried next run
            "last_error": str,
        },
        pk="url",
        not_null={"kind", "first_seen", "failures"},
        defaults={"failures": 0},
        if_not_exists=True,
    )


@dataclass(frozen=True)
class StoredPage:
    url: str
    version: int
    fetched_at: str
    status: int
    etag: str | None
    last_modified: str | None
    sha256: str
    content_type: str | None
    body: bytes
    new_version: bool = False  # True when this store() call added the version


@dataclass(frozen=True)
class RawPage:
    """A stored version as the store holds it: `data` is the body, compressed."""

    url: str
    fetched_at: str
    status: int
    sha256: str
    compression: str
    data: bytes

    @property
    def body(self) -> bytes:
        return decompress(self.compression, self.data)


def decompress(compression: str, data: bytes) -> bytes:
    if compression != "zlib":  # the only one written; anything else is not ours
        raise ValueError(f"unknown raw page compression {compression!r}")
    return zlib.decompress(data)


def sha256_hex(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


class PageStore(RunsAndFrontier, KnownUrlQueries):
    """Raw pages, versions and crawl state in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(path), isolation_level=None, timeout=30)
        self.conn.row_factory = sqlite3.Row
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self._durable = True
        self._depth = 0
        # sqlite-utils over the same connection: table creation and upserts join our
        # transactions (as savepoints)
        self.db = sqlite_utils.Database(self.conn, recursive_triggers=False)
        with self.transaction():
            create_page_tables(self.db)
            create_frontier_tables(self.db)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> PageStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    @contextmanager
    def transaction(self, durable: bool = True):
        """One atomic unit; nested calls join the outer transaction.

        `durable=False` is for bookkeeping that can be redone (frontier states, flags):
        no fsync of its own. WAL is sequential, so the next durable commit (a raw page)
        makes it durable too; a power cut in between only repeats idempotent work.
        """
        if self._depth == 0:
            if durable != self._durable:
                self.conn.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
                self._durable = durable
            self.conn.execute("BEGIN IMMEDIATE")
        self._depth += 1
        try:
            yield self
        except BaseException:
            self._depth -= 1
            if self._depth == 0:
                self.conn.execute("ROLLBACK")
            raise
        self._depth -= 1
        if self._depth == 0:
            self.conn.execute("COMMIT")

    # -- raw pages ----------------------------------------------------------------

    @overload
    def store(
        self,
        url: str,
        status: Literal[200],
        headers: dict,
        body: bytes,
        fetched_at: str,
        kind: str = "page",
    ) -> StoredPage: ...

    @overload
    def store(
        self,
        url: str,
        status: int,
        headers: dict,
        body: bytes,
        fetched_at: str,
        kind: str = "page",
    ) -> StoredPage | None: ...

    def store(
        self,
        url: str,
        status: int,
        headers: dict,
        body: bytes,
        fetched_at: str,
        kind: str = "page",
    ) -> StoredPage | None:
        """Record one fetch; keep a new version only when the body's sha256 changed.

        200 stores (or re-confirms) content, 304 re-confirms the latest version, 404 and
        410 mark the URL removed (every stored version stays). Returns the latest
        version, or None when there is none (never after a 200: see the overloads).
        """
        headers = {k.lower(): v for k, v in headers.items()}
        with self.transaction():
            self._touch_url(url, kind, fetched_at)
            if status == 200:
                return self._store_body(url, kind, status, headers, body, fetched_at)
            self.conn.execute(
                "UPDATE urls SET last_fetched_at=?, last_status=? WHERE url=?",
                (fetched_at, status, url),
            )
            if status == 304:
                self.conn.execute("UPDATE urls SET removed_at=NULL WHERE url=?", (url,))
                self.conn.execute(
                    "UPDATE pages SET fetched_at=? WHERE url=? AND version="
                    "(SELECT latest_version FROM urls WHERE url=?)",
                    (fetched_at, url, url),
                )
            elif status in (404, 410):
                self.conn.execute(
                    "UPDATE urls SET removed_at=COALESCE(removed_at, ?) WHERE url=?",
                    (fetched_at, url),
                )
            return self.latest(url)

    def _store_body(self, url, kind, status, headers, body, fetched_at) -> StoredPage:
        digest = sha256_hex(body)
        latest = self.conn.execute(
            "SELECT version, sha256 FROM pages WHERE url=? ORDER BY version DESC LIMIT 1",
            (url,),
        ).fetchone()
        etag, modified = headers.get("etag"), headers.get("last-modified")
        new = latest is None or latest["sha256"] != digest
        version = (latest["version"] + 1 if latest else 1) if new else latest["version"]
        if new:
            self.conn.execute(
                "INSERT INTO pages (url, version, kind, first_fetched_at, fetched_at, status,"
                " etag, last_modified, content_type, sha256, size, compression, body)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    url,
                    version,
                    kind,
                    fetched_at,
                    fetched_at,
                    status,
                    etag,
                    modified,
                    headers.get("content-type"),
                    digest,
                    len(body),
                    "zlib",
                    zlib.compress(body, 6),
                ),
            )
        else:
            self.conn.execute(
                "UPDATE pages SET fetched_at=?, etag=?, last_modified=? WHERE url=? AND version=?",
                (fetched_at, etag, modified, url, version),
            )
        self.conn.execute(
            "UPDATE urls SET last_fetched_at=?, last_status=?, etag=?, last_modified=?,"
            " latest_version=?, latest_sha256=?, removed_at=NULL WHERE url=?",
            (fetched_at, status, etag, modified, version, digest, url),
        )
        return StoredPage(
            url,
            version,
            fetched_at,
            status,
            etag,
            modified,
            digest,
            headers.get("content-type"),
            body,
            new_version=new,
        )

    def _touch_url(self, url: str, kind: str, when: str) -> None:
        self.conn.execute(
            "INSERT OR IGNORE INTO urls (url, kind, first_seen) VALUES (?,?,?)",
            (url, kind, when),
        )

    def latest(self, url: str) -> StoredPage | None:
        row = self.conn.execute(
            "SELECT * FROM pages WHERE url=? ORDER BY version DESC LIMIT 1", (url,)
        ).fetchone()
        return _stored(row) if row else None

    def versions(self, url: str) -> list[StoredPage]:
        rows = self.conn.execute(
            "SELECT * FROM pages WHERE url=? ORDER BY version", (url,)
        ).fetchall()
        return [_stored(r) for r in rows]

    def iter_latest(self, kind: str = "page") -> Iterator[StoredPage]:
        rows = self.conn.execute(
            "SELECT p.* FROM pages p JOIN urls u ON u.url=p.url AND p.version=u.latest_version"
            " WHERE p.kind=? ORDER BY p.url",
            (kind,),
        )
        for row in rows:
            yield _stored(row)

    def iter_latest_raw(self, kind: str = "page") -> Iterator[RawPage]:
        """`iter_latest`, bodies as stored (compressed): a bulk job decompresses them
        in its parser processes, not in the one process that writes the archive."""
        rows = self.conn.execute(
            "SELECT p.url, p.fetched_at, p.status, p.sha256, p.compression, p.body FROM pages p"
            " JOIN urls u ON u.url=p.url AND p.version=u.latest_version"
            " WHERE p.kind=? ORDER BY p.url",
            (kind,),
        )
        for url, fetched_at, status, sha256, compression, data in rows:
            yield RawPage(url, fetched_at, status, sha256, compression, data)

    # -- crawl state --------------------------------------------------------------

    def note_discovered(self, urls: Iterable[str], kind: str, when: str) -> None:
        with self.transaction(durable=False):
            for url in urls:
                self._touch_url(url, kind, when)

    def record_failure(self, url: str, kind: str, error: str, when: str) -> None:
        with self.transaction(durable=False):
            self._touch_url(url, kind, when)
            self.conn.execute(
                "UPDATE urls SET failures=failures+1, last_error=? WHERE url=?",
                (error, url),
            )

    def mark_loaded(self, url: str, sha256: str | None) -> None:
        with self.transaction(durable=False):
            self._mark_loaded(url, sha256)

    def _mark_loaded(self, url: str, sha256: str | None) -> None:
        self.conn.execute(
            "UPDATE urls SET loaded_sha256=COALESCE(?, loaded_sha256), failures=0,"
            " last_error=NULL WHERE url=?",
            (sha256, url),
        )


def _stored(row: sqlite3.Row) -> StoredPage:
    return StoredPage(
        url=row["url"],
        version=row["version"],
        fetched_at=row["fetched_at"],
        status=row["status"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        sha256=row["sha256"],
        content_type=row["content_type"],
        body=zlib.decompress(row["body"]),
    )
