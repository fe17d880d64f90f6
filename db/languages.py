"""Language versions: a Welsh page and its English twin are one response.

Forces in Wales publish each response twice, in English (`/foi-ai/<force>/...`) and in
Welsh (`/cy-GB/foi-ai/<welsh force slug>/...`, section and month names often in Welsh,
the item slug as in English). Both pages get the same response id
(`db.load.response_key`, via `parsers.sites.english_path`), so the archive holds one
response with one row per version in `response_languages`.

The `responses` row (and its questions, exemptions, links and attachments) is the
English version once there is one; before that, the first version loaded. Another
language's page loaded later only updates its `response_languages` row: its title,
text and history, never the response's own. Removing one version (a 404 on the Welsh
page) marks that version removed, not the response.
"""

from __future__ import annotations

import sqlite_utils

from parsers.record import Response

MIGRATION = """
CREATE TABLE response_languages (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    url TEXT NOT NULL UNIQUE,
    title TEXT,
    body_text TEXT,
    content_sha256 TEXT,
    fetched_at TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    removed_at TEXT,
    PRIMARY KEY (response_id, language)
);
INSERT INTO response_languages (response_id, language, url, title, body_text,
    content_sha256, fetched_at, first_seen, last_seen, last_changed, removed_at)
SELECT id, language, url, title, body_text, content_sha256, fetched_at, first_seen,
    last_seen, last_changed, removed_at FROM responses
"""


def main_language(db: sqlite_utils.Database, rid: str) -> str | None:
    """The language of the version the `responses` row holds, or None if no row."""
    row = db.conn.execute("SELECT language FROM responses WHERE id = ?", (rid,)).fetchone()
    return row[0] if row else None


def is_secondary(db: sqlite_utils.Database, rid: str, language: str) -> bool:
    """True when the response exists in another language that takes precedence.

    English is the main version; a non-English page is the main one only until an
    English twin is loaded (or when there is none).
    """
    main = main_language(db, rid)
    return main is not None and main != language and main == "en"


def save_version(
    db: sqlite_utils.Database,
    rid: str,
    response: Response,
    url: str,
    content_sha256: str | None,
    fetched_at: str | None,
    now: str,
    *,
    seen: bool = True,
) -> str:
    """Upsert one language version's row; new / changed / unchanged for that version."""
    old = db.conn.execute(
        "SELECT content_sha256, title, body_text, last_seen, removed_at FROM response_languages"
        " WHERE response_id = ? AND language = ?",
        (rid, response.language),
    ).fetchone()
    same = old is not None and (old[1], old[2]) == (response.title, response.body_text)
    status = "new" if old is None else ("unchanged" if same else "changed")
    last_seen = now if seen or old is None else old[3]
    removed_at = None if seen or old is None else old[4]
    db.conn.execute(
        "INSERT INTO response_languages (response_id, language, url, title, body_text,"
        " content_sha256, fetched_at, first_seen, last_seen, last_changed, removed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(response_id, language) DO UPDATE SET url = excluded.url,"
        " title = excluded.title, body_text = excluded.body_text,"
        " content_sha256 = excluded.content_sha256, fetched_at = excluded.fetched_at,"
        " last_seen = excluded.last_seen, removed_at = excluded.removed_at,"
        " last_changed = CASE WHEN ? THEN excluded.last_changed ELSE last_changed END",
        (
            rid,
            response.language,
            url,
            response.title,
            response.body_text,
            content_sha256,
            fetched_at,
            now,
            last_seen,
            now,
            removed_at,
            status == "changed",
        ),
    )
    return status


def version_of_url(db: sqlite_utils.Database, url: str) -> tuple[str, str] | None:
    """(response_id, language) of a secondary version's URL (not the response's own)."""
    row = db.conn.execute(
        "SELECT l.response_id, l.language FROM response_languages l"
        " JOIN responses r ON r.id = l.response_id"
        " WHERE l.url = ? AND r.url != l.url",
        (url,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def mark_version(db: sqlite_utils.Database, url: str, *, seen: str | None, removed: str | None):
    """A secondary version seen again, or gone; the response itself is untouched."""
    if seen is not None:
        cursor = db.conn.execute(
            "UPDATE response_languages SET last_seen = ?, removed_at = NULL WHERE url = ?",
            (seen, url),
        )
    else:
        cursor = db.conn.execute(
            "UPDATE response_languages SET removed_at = ? WHERE url = ? AND removed_at IS NULL",
            (removed, url),
        )
    return cursor.rowcount > 0
