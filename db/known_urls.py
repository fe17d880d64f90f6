"""What the crawler knows about URLs, asked for in pieces the size of the night's work.

A national store holds hundreds of thousands of URLs of many forces; a refresh touches a
few hundred of them. So nothing here loads the whole `urls` table: membership is asked
per lister or sitemap page (`known_among`, one indexed `IN` query per chunk), and the
revisit plan reads one site's rows through a cursor (`iter_known`), in URL order, over
the primary key's index: another force's rows are never read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from urllib.parse import urlsplit

# Far below SQLite's bound on parameters (999 before 3.32); one query per lister page.
IN_CHUNK = 500


@dataclass(frozen=True)
class KnownUrl:
    url: str
    kind: str
    first_seen: str
    etag: str | None
    last_modified: str | None
    latest_sha256: str | None
    loaded_sha256: str | None
    removed_at: str | None
    failures: int
    last_fetched_at: str | None = None


KNOWN_COLUMNS = ", ".join(f.name for f in fields(KnownUrl))


@dataclass(frozen=True)
class UrlRange:
    """Every URL of one site: `start <= url < stop` (text order, so the index serves it)."""

    start: str
    stop: str

    @classmethod
    def of_site(cls, base_url: str) -> UrlRange:
        """The site's scheme and host, spelt as canonical page URLs spell them (lower case).

        The host, not base_url's path: a page is the site's when its host is
        (scraper.discover.is_disclosure_item), and the fetcher reads nothing else.
        """
        parts = urlsplit(base_url)
        start = f"{parts.scheme.lower()}://{parts.netloc.lower()}/"
        return cls(start, start[:-1] + chr(ord("/") + 1))


def select_in(
    conn: sqlite3.Connection, sql: str, values: Iterable[str], params: Sequence = ()
) -> Iterator[sqlite3.Row]:
    """Rows of `sql` (with `{marks}` where the `IN (...)` list goes) for `values`, a
    chunk at a time; `params` follow the list."""
    chunk: list[str] = []
    for value in values:
        chunk.append(value)
        if len(chunk) == IN_CHUNK:
            yield from _select_chunk(conn, sql, chunk, params)
            chunk = []
    if chunk:
        yield from _select_chunk(conn, sql, chunk, params)


def _select_chunk(conn, sql: str, chunk: list[str], params: Sequence):
    marks = ",".join("?" * len(chunk))
    return conn.execute(sql.format(marks=marks), (*chunk, *params)).fetchall()


class KnownUrlQueries:
    """The crawl-state reads of `db.pages.PageStore` (needs `self.conn`, sqlite3.Row rows)."""

    conn: sqlite3.Connection

    def known(self, url: str) -> KnownUrl | None:
        row = self.conn.execute(f"SELECT {KNOWN_COLUMNS} FROM urls WHERE url=?", (url,)).fetchone()
        return KnownUrl(*row) if row else None

    def known_urls(self, kind: str = "page") -> dict[str, KnownUrl]:
        """Every URL of `kind` in the store: for tests and small tools, never a refresh."""
        rows = self.conn.execute(f"SELECT {KNOWN_COLUMNS} FROM urls WHERE kind=?", (kind,))
        return {row[0]: KnownUrl(*row) for row in rows}

    def known_among(self, urls: Iterable[str], kind: str = "page") -> dict[str, KnownUrl]:
        """Those of `urls` the store knows as `kind` (one indexed query per chunk)."""
        rows = select_in(
            self.conn,
            f"SELECT {KNOWN_COLUMNS} FROM urls WHERE url IN ({{marks}}) AND kind=?",
            urls,
            (kind,),
        )
        return {row[0]: KnownUrl(*row) for row in rows}

    def iter_known(self, kind: str, within: UrlRange) -> Iterator[KnownUrl]:
        """One site's URLs of `kind`, in URL order, streamed (one row in memory at a time)."""
        rows = self.conn.cursor()
        rows.row_factory = None  # plain tuples in KnownUrl's field order: 2x cheaper than Rows
        rows.execute(
            f"SELECT {KNOWN_COLUMNS} FROM urls WHERE url >= ? AND url < ? AND kind=? ORDER BY url",
            (within.start, within.stop, kind),
        )
        for row in rows:
            yield KnownUrl(*row)
