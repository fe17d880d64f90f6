"""Captures from elsewhere in the raw page store: web-archive imports and exports.

The crawler only ever appends: each fetch is the newest thing known about a URL, so
`PageStore.store()` adds a version at the end. A capture from a web archive (a WARC)
can be older than what we hold, so it must join the URL's history at its date without
becoming the latest version. Version numbers stay in date order (what `versions()`
and every reader assume) and the highest version stays the latest; an older capture
is slotted in by renumbering the versions after it.

`add_capture` is idempotent by URL and sha256 of the body: a capture whose bytes are
already held as a version of that URL changes nothing but (at most) widen that
version's first/last dates to include the capture's date.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from db.pages import PageStore, StoredPage, _stored, sha256_hex

# What add_capture did with a capture.
HELD = "held"  # these bytes were already a version of this URL
LATEST = "latest"  # newer than everything held: now the latest version
OLDER = "older"  # joined the history before the latest version


@dataclass(frozen=True)
class CaptureResult:
    outcome: str  # HELD | LATEST | OLDER
    page: StoredPage  # the version holding these bytes (body as given)
    # the version numbers from which later versions moved up by one (OLDER only);
    # a reader that kept a version number (attachment_state.page_version) follows it
    shifted_from: int | None = None
    needs_load: bool = False  # the latest version, not yet loaded into the archive


@dataclass(frozen=True)
class HeldVersion:
    version: int
    is_latest: bool
    loaded: bool  # the archive holds this content (urls.loaded_sha256)


def held_version(store: PageStore, url: str, sha256: str) -> HeldVersion | None:
    """The version of `url` whose body has this sha256, if we hold one."""
    row = store.conn.execute(
        "SELECT p.version, u.latest_version, u.loaded_sha256 FROM pages p"
        " LEFT JOIN urls u ON u.url = p.url WHERE p.url=? AND p.sha256=?"
        " ORDER BY p.version DESC LIMIT 1",
        (url, sha256),
    ).fetchone()
    if row is None:
        return None
    return HeldVersion(row[0], row[0] == row[1], row[2] == sha256)


def add_capture(
    store: PageStore,
    url: str,
    *,
    kind: str,
    headers: dict,
    body: bytes,
    captured_at: str,
    sha256: str | None = None,
    first_captured_at: str | None = None,
    compressed: bytes | None = None,
) -> CaptureResult:
    """Add one 200 capture taken at `captured_at` (ISO 8601 UTC) to the raw store.

    `first_captured_at`: when the same bytes were first captured, if the WARC says
    (our own exports do: one record per version, dated when last served). Never
    touches the crawler's own fetch state (last fetch, status, ETag), so the next
    refresh still asks the site itself. `compressed`: the body already zlib-compressed
    (a bulk import compresses in its worker processes).
    """
    digest = sha256 or sha256_hex(body)
    first = min(first_captured_at or captured_at, captured_at)
    headers = {k.lower(): v for k, v in headers.items()}
    conn = store.conn
    with store.transaction():
        conn.execute(
            "INSERT OR IGNORE INTO urls (url, kind, first_seen) VALUES (?,?,?)",
            (url, kind, first),
        )
        conn.execute(
            "UPDATE urls SET first_seen=? WHERE url=? AND first_seen>?", (first, url, first)
        )
        held = held_version(store, url, digest)
        if held is not None:
            _widen(store, url, held.version, first, captured_at)
            page = _page(store, url, held.version, body)
            return CaptureResult(HELD, page, needs_load=held.is_latest and not held.loaded)
        latest = conn.execute(
            "SELECT version, fetched_at FROM pages WHERE url=? ORDER BY version DESC LIMIT 1",
            (url,),
        ).fetchone()
        if latest is None or captured_at > latest["fetched_at"]:
            version = latest["version"] + 1 if latest else 1
            _insert(
                store, url, version, kind, headers, body, compressed, digest, first, captured_at
            )
            conn.execute(
                "UPDATE urls SET latest_version=?, latest_sha256=? WHERE url=?",
                (version, digest, url),
            )
            return CaptureResult(LATEST, _page(store, url, version, body), needs_load=True)
        # Older than the latest: after every earlier version first fetched before it.
        (before,) = conn.execute(
            "SELECT count(*) FROM pages WHERE url=? AND version<? AND first_fetched_at<=?",
            (url, latest["version"], first),
        ).fetchone()
        version = before + 1
        _shift_up(store, url, version)
        _insert(store, url, version, kind, headers, body, compressed, digest, first, captured_at)
        conn.execute(
            "UPDATE urls SET latest_version=latest_version+1 WHERE url=? AND latest_version>=?",
            (url, version),
        )
        return CaptureResult(OLDER, _page(store, url, version, body), shifted_from=version)


def _widen(store: PageStore, url: str, version: int, first: str, last: str) -> None:
    store.conn.execute(
        "UPDATE pages SET first_fetched_at=min(first_fetched_at, ?),"
        " fetched_at=max(fetched_at, ?) WHERE url=? AND version=?",
        (first, last, url, version),
    )


def _shift_up(store: PageStore, url: str, version: int) -> None:
    # Two steps through negative numbers: the primary key (url, version) is checked
    # row by row, so a plain `version+1` would collide with the next row.
    conn = store.conn
    conn.execute("UPDATE pages SET version=-(version+1) WHERE url=? AND version>=?", (url, version))
    conn.execute("UPDATE pages SET version=-version WHERE url=? AND version<0", (url,))


def _insert(store, url, version, kind, headers, body, compressed, digest, first, last) -> None:
    store.conn.execute(
        "INSERT INTO pages (url, version, kind, first_fetched_at, fetched_at, status,"
        " etag, last_modified, content_type, sha256, size, compression, body)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            url,
            version,
            kind,
            first,
            last,
            200,
            headers.get("etag"),
            headers.get("last-modified"),
            headers.get("content-type"),
            digest,
            len(body),
            "zlib",
            compressed if compressed is not None else zlib.compress(body, 6),
        ),
    )


def _page(store: PageStore, url: str, version: int, body: bytes) -> StoredPage:
    row = store.conn.execute(
        "SELECT url, version, fetched_at, status, etag, last_modified, sha256, content_type"
        " FROM pages WHERE url=? AND version=?",
        (url, version),
    ).fetchone()
    url, version, fetched_at, status, etag, modified, sha256, content_type = row
    return StoredPage(url, version, fetched_at, status, etag, modified, sha256, content_type, body)


def removed_at(store: PageStore, url: str) -> str | None:
    """When the crawler found the URL gone (404/410), if it has."""
    row = store.conn.execute("SELECT removed_at FROM urls WHERE url=?", (url,)).fetchone()
    return row[0] if row else None


def body_by_sha256(store: PageStore, sha256: str, url: str | None = None) -> bytes | None:
    """A stored body with this sha256 (of `url` when given, else of any URL)."""
    if url is not None:
        row = store.conn.execute(
            "SELECT body FROM pages WHERE url=? AND sha256=? LIMIT 1", (url, sha256)
        ).fetchone()
    else:
        row = store.conn.execute(
            "SELECT body FROM pages WHERE sha256=? LIMIT 1", (sha256,)
        ).fetchone()
    return zlib.decompress(row[0]) if row else None


@dataclass(frozen=True)
class VersionForExport:
    page: StoredPage
    kind: str
    first_fetched_at: str


def iter_versions(store: PageStore, since: str | None = None) -> Iterator[VersionForExport]:
    """Every stored version (pages and attachments) in URL then version order.

    `since` (an ISO date or timestamp) keeps versions the site served at or after it.
    """
    rows = store.conn.execute(
        "SELECT * FROM pages WHERE fetched_at >= ? ORDER BY url, version", (since or "",)
    )
    for row in rows:
        yield VersionForExport(_stored(row), row["kind"], row["first_fetched_at"])
