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

Storage (migration 11): the versions live in `language_versions`; the main version's
text is not stored twice (`body_text` is NULL there: it is the `responses` row's), which
halves a national archive's text. `response_languages` is a view with every version's
own text, as the table of migration 8 had it, so readers and researchers see the same.
A trigger keeps the main version's old text in its row before `responses` takes another
text or language (an edit, an English twin taking over), so no text is ever lost.
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


# The version's text: its own, or the response's when it is the main version (NULL).
VERSION_TEXT = (
    "CASE WHEN l.body_text IS NULL AND l.language = r.language THEN r.body_text "
    "ELSE l.body_text END"
)

MIGRATION_11 = f"""
ALTER TABLE response_languages RENAME TO language_versions;
UPDATE language_versions SET body_text = NULL WHERE body_text IS NOT NULL AND EXISTS (
    SELECT 1 FROM responses r WHERE r.id = language_versions.response_id
    AND r.language = language_versions.language AND r.body_text = language_versions.body_text);
CREATE VIEW response_languages AS
SELECT l.response_id, l.language, l.url, l.title, {VERSION_TEXT} AS body_text,
    l.content_sha256, l.fetched_at, l.first_seen, l.last_seen, l.last_changed, l.removed_at
FROM language_versions l JOIN responses r ON r.id = l.response_id;
CREATE TRIGGER responses_keep_version_text BEFORE UPDATE OF body_text, language ON responses
WHEN old.body_text IS NOT new.body_text OR old.language IS NOT new.language BEGIN
    UPDATE language_versions SET body_text = old.body_text
    WHERE response_id = old.id AND language = old.language AND body_text IS NULL; END
"""

INSERT_VERSION = (
    "INSERT INTO language_versions (response_id, language, url, title, body_text,"
    " content_sha256, fetched_at, first_seen, last_seen, last_changed, removed_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def new_main_version(
    rid: str,
    response: Response,
    url: str,
    content_sha256: str | None,
    fetched_at: str | None,
    now: str,
) -> tuple:
    """INSERT_VERSION's values for the first version of a new response (its main one)."""
    return (
        rid,
        response.language,
        url,
        response.title,
        None,
        content_sha256,
        fetched_at,
        now,
        now,
        now,
        None,
    )


def main_language(db: sqlite_utils.Database, rid: str) -> str | None:
    """The language of the version the `responses` row holds, or None if no row."""
    row = db.conn.execute("SELECT language FROM responses WHERE id = ?", (rid,)).fetchone()
    return row[0] if row else None


def is_secondary(db: sqlite_utils.Database, rid: str, language: str) -> bool:
    """True when the response exists in another language that takes precedence.

    English is the main version; a non-English page is the main one only until an
    English twin is loaded (or when there is none).
    """
    return secondary_to(main_language(db, rid), language)


def secondary_to(main: str | None, language: str) -> bool:
    """`is_secondary` for a response whose main language is known (None: no response)."""
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
    """Upsert one language version's row; new / changed / unchanged for that version.

    Called after the `responses` row is written (or for a secondary version): the main
    version's text is left to that row, a secondary version's is stored.
    """
    old = db.conn.execute(
        f"SELECT {_VERSION_COLUMNS} FROM language_versions l JOIN responses r"
        " ON r.id = l.response_id WHERE l.response_id = ? AND l.language = ?",
        (rid, response.language),
    ).fetchone()
    status, values = version_upsert(
        rid, response, url, content_sha256, fetched_at, now, old, main_language(db, rid), seen
    )
    db.conn.execute(UPSERT_VERSION, values)
    return status


# A version row as `version_upsert` reads it (`l` the version, `r` its response).
_VERSION_COLUMNS = f"l.content_sha256, l.title, {VERSION_TEXT}, l.last_seen, l.removed_at"

UPSERT_VERSION = (
    INSERT_VERSION + " ON CONFLICT(response_id, language) DO UPDATE SET url = excluded.url,"
    " title = excluded.title, body_text = excluded.body_text,"
    " content_sha256 = excluded.content_sha256, fetched_at = excluded.fetched_at,"
    " last_seen = excluded.last_seen, removed_at = excluded.removed_at,"
    " last_changed = CASE WHEN ? THEN excluded.last_changed ELSE last_changed END"
)


def version_upsert(
    rid: str,
    response: Response,
    url: str,
    content_sha256: str | None,
    fetched_at: str | None,
    now: str,
    old: tuple | None,
    main: str | None,
    seen: bool,
) -> tuple[str, tuple]:
    """(status, UPSERT_VERSION's values) for a version whose row was `old` (as
    `_VERSION_COLUMNS` reads it) and whose response's main language is `main`."""
    same = old is not None and (old[1], old[2]) == (response.title, response.body_text)
    status = "new" if old is None else ("unchanged" if same else "changed")
    last_seen = now if seen or old is None else old[3]
    removed_at = None if seen or old is None else old[4]
    own_text = None if main == response.language else response.body_text
    values = (
        rid,
        response.language,
        url,
        response.title,
        own_text,
        content_sha256,
        fetched_at,
        now,
        last_seen,
        now,
        removed_at,
        status == "changed",
    )
    return status, values


def versions_of(db: sqlite_utils.Database, rids: list[str]) -> dict[tuple[str, str], tuple]:
    """{(response id, language): the version row as `version_upsert` reads it}, in one
    query for many responses (a bulk job's batch)."""
    marks = ", ".join("?" for _ in rids)
    rows = db.conn.execute(
        f"SELECT l.response_id, l.language, {_VERSION_COLUMNS} FROM language_versions l"
        f" JOIN responses r ON r.id = l.response_id WHERE l.response_id IN ({marks})",
        rids,
    )
    return {(row[0], row[1]): row[2:] for row in rows}


def version_of_url(db: sqlite_utils.Database, url: str) -> tuple[str, str] | None:
    """(response_id, language) of a secondary version's URL (not the response's own)."""
    row = db.conn.execute(
        "SELECT l.response_id, l.language FROM language_versions l"
        " JOIN responses r ON r.id = l.response_id"
        " WHERE l.url = ? AND r.url != l.url",
        (url,),
    ).fetchone()
    return (row[0], row[1]) if row else None


def mark_version(db: sqlite_utils.Database, url: str, *, seen: str | None, removed: str | None):
    """A secondary version seen again, or gone; the response itself is untouched."""
    if seen is not None:
        cursor = db.conn.execute(
            "UPDATE language_versions SET last_seen = ?, removed_at = NULL WHERE url = ?",
            (seen, url),
        )
    else:
        cursor = db.conn.execute(
            "UPDATE language_versions SET removed_at = ? WHERE url = ? AND removed_at IS NULL",
            (removed, url),
        )
    return cursor.rowcount > 0
