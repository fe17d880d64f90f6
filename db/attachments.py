"""Downloaded attachments in the archive: extraction columns, sheet tables, search.

The `attachments` table (one row per response x linked file) is declared by
`db.schema`; `db.load.load_response` keeps its listing columns (title, type,
position). This module owns what the download adds:

- the extraction columns of `attachments` (bytes, sha256, content_type, last_changed,
  text, error, extracted_at; `text` is indexed by `attachments_fts` through the
  schema's triggers, so search follows every update here);
- `attachment_state`: per attachment, the last HTTP answer, since when it has been
  gone, the page-store version and the extractor version the text came from;
- `attachment_sheets` / `attachment_rows`: every sheet of a spreadsheet (or CSV, or a
  Word table) as rows of JSON, one stable schema for every file (docs/attachments.md).

These tables are declared with the rest of the archive in `db.schema` (migration 6).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import sqlite_utils

from db.load import response_key, transaction
from parsers.extract import EXTRACTOR_VERSION, Extracted
from parsers.record import Attachment

# Search over attachment text: which response, which file, and where the words are.
# Same conventions as the app's other searches (metadata.yml): `fts_query(:q)` (the
# SQL function plugins/sqlfunctions.py registers on Datasette's connections) makes
# what a person types a safe FTS5 query, and a column named `snippet` with <mark>
# markers is escaped and highlighted by the plugin's render_cell.
_SEARCH_SQL = """
select
  a.response_id,
  r.title as response_title,
  r.reference,
  a.title as attachment_title,
  a.url as attachment_url,
  a.type,
  a.bytes,
  a.removed_at,
  snippet(attachments_fts, 1, '<mark>', '</mark>', '…', 24) as snippet
from attachments_fts
join attachments a on a.id = attachments_fts.rowid
join responses r on r.id = a.response_id
where attachments_fts match {match}
order by attachments_fts.rank
limit 100
""".strip()
ATTACHMENT_SEARCH_SQL = _SEARCH_SQL.format(match="fts_query(:q)")
# The same for plain sqlite3 callers, :q in raw FTS5 syntax.
ATTACHMENT_SEARCH_SQL_RAW = _SEARCH_SQL.format(match=":q")


@dataclass(frozen=True)
class AttachmentRow:
    id: int
    response_id: str
    url: str
    title: str | None
    type: str | None
    sha256: str | None
    extracted_at: str | None
    extractor_version: str | None
    page_version: int | None
    gone_since: str | None


def ensure_attachment_tables(db: sqlite_utils.Database) -> None:
    """The attachment tables are migration 6 of `db.schema`; this only makes sure an
    archive opened without `ensure_schema` has them (one catalogue lookup otherwise)."""
    if "attachment_state" not in db.table_names():
        from db.schema import ensure_schema

        ensure_schema(db)


def attachment_row(
    db: sqlite_utils.Database,
    response_id: str,
    url: str,
    title: str | None,
    type: str | None,
    now: str,
) -> AttachmentRow:
    """The attachment's row, inserted if `load_response` has not listed it (yet)."""
    conn = db.conn
    with transaction(db):
        conn.execute(
            "INSERT INTO attachments (response_id, url, title, type, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(response_id, url) DO NOTHING",
            (response_id, url, title, type, now, now),
        )
    row = conn.execute(
        "SELECT a.id, a.response_id, a.url, a.title, a.type, a.sha256, a.extracted_at, "
        "s.extractor_version, s.page_version, s.gone_since FROM attachments a "
        "LEFT JOIN attachment_state s ON s.attachment_id = a.id "
        "WHERE a.response_id = ? AND a.url = ?",
        (response_id, url),
    ).fetchone()
    return AttachmentRow(*row)


def listed_attachments(db: sqlite_utils.Database, response_url: str) -> tuple[Attachment, ...]:
    """The attachments the archive lists for a response, for re-checking the files of a
    page that did not change (a 304 or an identical body): a file can be replaced or
    withdrawn while the page linking to it stays the same. A file gone with a 404 is
    still listed (so its return is noticed); one the page stopped linking to is not
    (unless it was already gone when the page dropped it: one wasted request a night).
    """
    rows = db.conn.execute(
        "SELECT a.title, a.url, a.type FROM attachments a "
        "LEFT JOIN attachment_state s ON s.attachment_id = a.id "
        "WHERE a.response_id = ? AND (a.removed_at IS NULL OR a.removed_at = s.gone_since) "
        "ORDER BY a.position, a.id",
        (response_key(response_url),),
    ).fetchall()
    return tuple(Attachment(title or "", url, type or "unknown") for title, url, type in rows)


def record_offsite(db: sqlite_utils.Database, att: AttachmentRow, now: str) -> None:
    with transaction(db):
        _state(db, att, offsite=1, checked_at=None, http_status=None, fetch_error=None)


def record_fetch_failure(
    db: sqlite_utils.Database, att: AttachmentRow, status: int, error: str, now: str
) -> None:
    """The download failed. With no copy yet, `error` says why there is no text; with
    one, its text, tables and error stay (still the file's content) and the failure is
    in `attachment_state.fetch_error`."""
    with transaction(db):
        db.conn.execute(
            "UPDATE attachments SET error = ? WHERE id = ? AND sha256 IS NULL",
            (f"download: {error}", att.id),
        )
        _state(db, att, http_status=status, fetch_error=error, checked_at=now)


def record_gone(db: sqlite_utils.Database, att: AttachmentRow, status: int, now: str) -> None:
    """404/410: the file is no longer served. Every row, table and byte is kept."""
    since = att.gone_since or now
    with transaction(db):
        db.conn.execute("UPDATE attachments SET removed_at = ? WHERE id = ?", (since, att.id))
        _state(db, att, http_status=status, fetch_error=None, checked_at=now, gone_since=since)


def record_seen(db: sqlite_utils.Database, att: AttachmentRow, status: int, now: str) -> None:
    """Served and unchanged (a 304, or the same bytes): only the dates move."""
    with transaction(db):
        db.conn.execute(
            "UPDATE attachments SET last_seen = ?, removed_at = NULL WHERE id = ?",
            (now, att.id),
        )
        _state(db, att, http_status=status, fetch_error=None, checked_at=now, gone_since=None)


def record_extraction(
    db: sqlite_utils.Database,
    att: AttachmentRow,
    *,
    status: int | None,
    size: int,
    sha256: str,
    content_type: str | None,
    page_version: int | None,
    extracted: Extracted,
    extract_ms: float,
    now: str,
) -> None:
    """A downloaded copy and what was extracted from it, in one transaction.

    `status` None: an offline re-extraction of a stored copy; the site was not asked,
    so last_seen, removed_at and the fetch state stay as they were.
    """
    changed = att.sha256 != sha256
    served = status is not None
    with transaction(db):
        db.conn.execute(
            "UPDATE attachments SET bytes = ?, sha256 = ?, content_type = ?, "
            "last_seen = CASE WHEN ? THEN ? ELSE last_seen END, "
            "removed_at = CASE WHEN ? THEN NULL ELSE removed_at END, "
            "last_changed = CASE WHEN ? THEN ? ELSE last_changed END, "
            "text = ?, error = ?, extracted_at = ? WHERE id = ?",
            (
                size,
                sha256,
                content_type,
                served,
                now,
                served,
                changed,
                now,
                extracted.text or None,
                extracted.error,
                now,
                att.id,
            ),
        )
        fetch = (
            dict(http_status=status, fetch_error=None, checked_at=now, gone_since=None)
            if served
            else {}
        )
        _state(
            db,
            att,
            **fetch,
            page_version=page_version,
            extractor_version=EXTRACTOR_VERSION,
            extract_ms=round(extract_ms, 2),
            truncated=int(extracted.truncated),
            pages=extracted.pages,
            notes=json.dumps(list(extracted.notes)) if extracted.notes else None,
        )
        _replace_sheets(db, att.id, extracted)


def _replace_sheets(db: sqlite_utils.Database, attachment_id: int, extracted: Extracted) -> None:
    conn = db.conn
    conn.execute("DELETE FROM attachment_rows WHERE attachment_id = ?", (attachment_id,))
    conn.execute("DELETE FROM attachment_sheets WHERE attachment_id = ?", (attachment_id,))
    for position, sheet in enumerate(extracted.sheets, start=1):
        conn.execute(
            "INSERT INTO attachment_sheets (attachment_id, position, sheet, header, header_row, "
            "preamble, row_count, column_count, truncated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                attachment_id,
                position,
                sheet.name,
                json.dumps(list(sheet.header), ensure_ascii=False),
                sheet.header_row,
                "\n".join(sheet.preamble) or None,
                len(sheet.rows),
                len(sheet.header),
                int(sheet.truncated),
            ),
        )
        numbers = sheet.row_numbers or range(1, len(sheet.rows) + 1)
        conn.executemany(
            "INSERT INTO attachment_rows (attachment_id, sheet, row_number, cells, record) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                (
                    attachment_id,
                    sheet.name,
                    number,
                    json.dumps(list(cells), ensure_ascii=False),
                    json.dumps(dict(zip(sheet.header, cells)), ensure_ascii=False),
                )
                for number, cells in zip(numbers, sheet.rows)
            ),
        )


def _state(db: sqlite_utils.Database, att: AttachmentRow, **values) -> None:
    """Set these columns of the attachment's state row; the others keep their values."""
    db.table("attachment_state").upsert(
        {"attachment_id": att.id, "url": att.url, **values}, pk="attachment_id"
    )


def reextract_attachments(
    db: sqlite_utils.Database, pages, now: str, *, force: bool = False
) -> dict:
    """Re-run the extractors over stored copies, without the network (`foilog reparse`).

    Only rows extracted by an older EXTRACTOR_VERSION are redone unless `force`.
    `pages` is a `db.pages.PageStore`. Returns {"reextracted", "skipped", "missing"}.
    """
    import time

    from parsers.extract import extract

    counts = {"reextracted": 0, "skipped": 0, "missing": 0}
    rows = db.conn.execute(
        "SELECT a.response_id, a.url FROM attachments a LEFT JOIN attachment_state s "
        "ON s.attachment_id = a.id WHERE a.sha256 IS NOT NULL "
        "AND (? OR s.extractor_version IS NOT ?)",
        (int(force), EXTRACTOR_VERSION),
    ).fetchall()
    for response_id, url in rows:
        att = attachment_row(db, response_id, url, None, None, now)
        stored = next((v for v in reversed(pages.versions(url)) if v.sha256 == att.sha256), None)
        if stored is None:
            counts["missing"] += 1
            continue
        started = time.perf_counter()
        extracted = extract(
            stored.body,
            att.type,
            content_type=stored.content_type,
            name=url.rsplit("/", 1)[-1].rsplit(".", 1)[0],
        )
        record_extraction(
            db,
            att,
            status=None,
            size=len(stored.body),
            sha256=stored.sha256,
            content_type=stored.content_type,
            page_version=stored.version,
            extracted=extracted,
            extract_ms=(time.perf_counter() - started) * 1000,
            now=now,
        )
        counts["reextracted"] += 1
    counts["skipped"] = db.conn.execute(
        "SELECT count(*) FROM attachments WHERE sha256 IS NULL"
    ).fetchone()[0]
    return counts
