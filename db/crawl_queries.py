"""What the crawler asks the archive (read-only): the SQL lives here, not in scraper/."""

from __future__ import annotations

from collections.abc import Iterable

import sqlite_utils

from db.known_urls import UrlRange, select_in
from db.load import response_key


def response_dates_of(archive: sqlite_utils.Database, urls: Iterable[str]) -> dict[str, str]:
    """url -> the response's own date (published, else month), for those of `urls`
    the archive dates: one query on the url index per chunk, never the whole archive."""
    rows = select_in(
        archive.conn,
        "SELECT url, COALESCE(published, month) FROM responses WHERE url IN ({marks})"
        " AND COALESCE(published, month) IS NOT NULL",
        urls,
    )
    return {url: date for url, date in rows}


def pages_with_attachment_trouble(archive: sqlite_utils.Database, within: UrlRange) -> list[str]:
    """Live responses of one site with an attachment not yet downloaded or whose last
    download failed (not off-site, not gone): their pages are revisited so the files are
    retried."""
    if not archive["attachment_state"].exists():
        return []
    rows = archive.conn.execute(
        "SELECT DISTINCT r.url FROM responses r JOIN attachments a ON a.response_id = r.id"
        " LEFT JOIN attachment_state s ON s.attachment_id = a.id"
        " WHERE r.url >= ? AND r.url < ? AND a.removed_at IS NULL AND +r.removed_at IS NULL"
        " AND COALESCE(s.offsite, 0) = 0 AND s.gone_since IS NULL"
        " AND (s.fetch_error IS NOT NULL OR a.sha256 IS NULL) ORDER BY r.url",
        (within.start, within.stop),
    )
    return [url for (url,) in rows]


def removed_response_urls(archive: sqlite_utils.Database, within: UrlRange) -> list[str]:
    """One site's responses flagged removed: re-checked on every run, so a return is
    seen at once."""
    rows = archive.conn.execute(
        "SELECT url FROM responses WHERE removed_at IS NOT NULL AND url >= ? AND url < ?"
        " ORDER BY url",
        (within.start, within.stop),
    )
    return [url for (url,) in rows]


def live_response_urls(archive: sqlite_utils.Database, limit: int, within: UrlRange) -> list[str]:
    """Some of one site's archived responses not flagged removed (most recently seen
    first): its rows alone are read."""
    rows = archive.conn.execute(
        "SELECT url FROM responses WHERE url >= ? AND url < ? AND +removed_at IS NULL"
        " ORDER BY last_seen DESC, url LIMIT ?",
        (within.start, within.stop, limit),
    )
    return [url for (url,) in rows]


def archived_sha256(archive: sqlite_utils.Database, url: str) -> str | None:
    """The content sha256 of the raw page the archived record was loaded from."""
    row = archive.conn.execute(
        "SELECT content_sha256 FROM responses WHERE id = ?", (response_key(url),)
    ).fetchone()
    return row[0] if row else None


def archived_reference(archive: sqlite_utils.Database, url: str) -> tuple[bool, str | None]:
    """(archived at all, its reference)."""
    row = archive.conn.execute("SELECT reference FROM responses WHERE url = ?", (url,)).fetchone()
    return (row is not None, row[0] if row else None)


def is_removed(archive: sqlite_utils.Database, url: str) -> bool:
    row = archive.conn.execute(
        "SELECT removed_at FROM responses WHERE id = ?", (response_key(url),)
    ).fetchone()
    return row is not None and row[0] is not None
