"""What the archive records about responses that came from a web archive (WARC import).

Columns (migration 7): `responses.source` is `live` for a response first archived from
the force's website and `web-archive` for one first archived from an imported WARC;
`responses.captured_at` is the web archive's capture date of the copy that created the
row. Imports never move `last_seen` (foilog did not see the site), so a `web-archive`
row whose `last_seen` still equals `captured_at` has never been found on the live
site: with `removed_at` set it was "not on the site when we first looked".
"""

from __future__ import annotations

import sqlite_utils

from db.load import response_key, transaction

WEB_ARCHIVE = "web-archive"


def mark_from_web_archive(db: sqlite_utils.Database, url: str, captured_at: str) -> None:
    """The row was just created by an import: say so, and when the capture was made."""
    with transaction(db):
        db.conn.execute(
            "UPDATE responses SET source = ?, captured_at = ? WHERE id = ?",
            (WEB_ARCHIVE, captured_at, response_key(url)),
        )


def backdate_first_seen(db: sqlite_utils.Database, url: str, captured_at: str) -> bool:
    """An older capture: the response existed by `captured_at`. Returns True if moved."""
    rid = response_key(url)
    with transaction(db):
        cursor = db.conn.execute(
            "UPDATE responses SET first_seen = ? WHERE id = ? AND first_seen > ?",
            (captured_at, rid, captured_at),
        )
        db.conn.execute(
            "UPDATE attachments SET first_seen = ? WHERE response_id = ? AND first_seen > ?",
            (captured_at, rid, captured_at),
        )
    return cursor.rowcount > 0


def set_archived_copy(db: sqlite_utils.Database, url: str, fetched_at: str, sha256: str) -> None:
    """A newer capture that reads the same: the row now rests on that copy."""
    with transaction(db):
        db.conn.execute(
            "UPDATE responses SET fetched_at = ?, content_sha256 = ? WHERE id = ?",
            (fetched_at, sha256, response_key(url)),
        )


def follow_version_shift(db: sqlite_utils.Database, url: str, from_version: int) -> None:
    """Raw-store versions of `url` from `from_version` on moved up by one (an older
    capture slotted in before them): keep `attachment_state.page_version` pointing at
    the same bytes."""
    if not db["attachment_state"].exists():
        return
    with transaction(db):
        db.conn.execute(
            "UPDATE attachment_state SET page_version = page_version + 1 "
            "WHERE url = ? AND page_version >= ?",
            (url, from_version),
        )


def attachments_wanting(db: sqlite_utils.Database, url: str, sha256: str) -> list[str]:
    """Response ids listing the file at `url` whose text is not from these bytes."""
    rows = db.conn.execute(
        "SELECT response_id FROM attachments WHERE url = ? AND sha256 IS NOT ? "
        "ORDER BY response_id",
        (url, sha256),
    )
    return [rid for (rid,) in rows]


def response_exists(db: sqlite_utils.Database, url: str) -> bool:
    row = db.conn.execute(
        "SELECT reference IS NOT NULL FROM responses WHERE id = ?", (response_key(url),)
    ).fetchone()
    return row is not None


def has_good_record(db: sqlite_utils.Database, url: str) -> bool:
    """The archive holds a record with a reference for this page."""
    row = db.conn.execute(
        "SELECT reference FROM responses WHERE id = ?", (response_key(url),)
    ).fetchone()
    return row is not None and row[0] is not None
