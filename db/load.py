"""Loading parsed responses into the archive, with history that never loses a row.

History columns on `responses`:
- `first_seen`: the first load of this page; never changes afterwards.
- `last_seen`: the last time the site served it (a load, a 304, an identical body).
- `last_changed`: the last load where the page's bytes (`content_sha256`) changed AND
  the parsed record changed with them. A byte change the reader cannot see (a rotating
  token in the page chrome) is not a change; neither is a re-parse of the same bytes
  by a newer parser (the row is rewritten, but the page did not change on the site).
- `removed_at`: set once when the site stops serving the page; cleared when it returns.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

import sqlite_utils

from db import languages
from db.answers import replace_answers
from db.events import record_event
from parsers.record import Response
from parsers.sites import english_path

# Paths on the police websites platform start with this; the rest is readable and unique.
_PATH_PREFIX = "/foi-ai/"

CRAWL_RUN_COLUMNS = (
    "started_at",
    "finished_at",
    "site",
    "new",
    "changed",
    "removed",
    "unchanged",
    "failed",
    "requests",
    "bytes",
    "duration_s",
    "parse_yield",
    "exit_code",
)


@dataclass(frozen=True)
class Provenance:
    url: str
    fetched_at: str
    content_sha256: str


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def response_key(url: str) -> str:
    """Readable primary key from the URL path, the same for the live site and a mirror.

    `https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/x/`
    -> `metropolitan-police/disclosure-2024/august-2024/x`. The force's own path segment
    is kept, so other forces on the same platform never collide. A query string (not
    seen on detail pages) is kept after `?` so distinct URLs keep distinct keys.
    A Welsh page gets its English twin's key (one response, two language versions:
    db/languages.py), and a mirror's host prefix before `/foi-ai/` is dropped.
    """
    parts = urlsplit(url.strip())
    path = unquote(english_path(url.strip()) or parts.path)
    if path.startswith(_PATH_PREFIX):
        path = path[len(_PATH_PREFIX) :]
    key = "/".join(segment for segment in path.split("/") if segment)
    if parts.query:
        key = f"{key}?{parts.query}"
    if not key:
        raise ValueError(f"cannot make a response key from {url!r}: empty path")
    return key


def record_digest(response: Response) -> str:
    """sha256 of what a reader sees in the record (not warnings or parser version).

    The JSON of `response.to_dict()` without those two keys, made without copying the
    record first (`dataclasses.asdict` deep-copies every string: a third of a load's
    Python time on a full-length page). The bytes hashed are the same, so archived
    `record_sha256` values stay valid (tests/archive/test_load.py checks it).
    """
    data = {name: getattr(response, name) for name in _DIGEST_FIELDS}
    encoded = json.dumps(
        data, sort_keys=True, ensure_ascii=False, default=_dataclass_fields
    ).encode()
    return hashlib.sha256(encoded).hexdigest()


_DIGEST_FIELDS = tuple(
    f.name for f in fields(Response) if f.name not in ("warnings", "parser_version")
)


def _dataclass_fields(value: object) -> dict:
    """json.dumps' hook for the nested records (questions, answers, tables...)."""
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction; nested inside a caller's transaction as a savepoint."""
    conn = db.conn
    if conn.in_transaction:
        conn.execute("SAVEPOINT foilog_load")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK TO foilog_load")
            conn.execute("RELEASE foilog_load")
            raise
        conn.execute("RELEASE foilog_load")
        return
    # IMMEDIATE takes the write lock up front, so a concurrent writer waits on
    # busy_timeout instead of failing halfway through a read-then-write.
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def load_response(
    db: sqlite_utils.Database,
    response: Response,
    prov: Provenance,
    *,
    now: str | None = None,
    seen: bool = True,
    run_id: int | None = None,
    digest: str | None = None,
) -> str:
    """Upsert one parsed response and its child rows. Returns new / changed / unchanged.

    `seen=False` is for re-parsing stored pages: the site was not visited, so
    `last_seen` and `removed_at` keep their values (and no event is written).
    A visit writes its `new` / `changed` / `restored` event (db/events.py) in the same
    transaction; `changed` only when `last_changed` moves (the page itself changed).
    `digest`: `record_digest(response)` when the caller has it already (a bulk job
    computes it in its parser processes, off the single writer).
    """
    now = now or utc_now()
    rid = response_key(prov.url or response.url)
    digest = digest or record_digest(response)
    url = prov.url or response.url
    with transaction(db):
        if languages.is_secondary(db, rid, response.language):
            # the Welsh twin of an English response: its own version row only
            return languages.save_version(
                db, rid, response, url, prov.content_sha256, prov.fetched_at, now, seen=seen
            )
        old = _current(db, rid)
        status = (
            "new" if old is None else ("unchanged" if old["record_sha256"] == digest else "changed")
        )
        version = (db, rid, response, url, prov.content_sha256, prov.fetched_at, now)
        if status == "unchanged" and old and old["parser_version"] == response.parser_version:
            if seen:
                _touch(db, rid, prov, now)
                _upsert_attachments(db, rid, response, now)
                _record_visit_events(
                    db, rid, prov.url or response.url, old, status, prov, now, run_id
                )
            languages.save_version(*version, seen=seen)
            return status
        history = row_history(old, status, prov, now, seen)
        if status == "unchanged":
            # A newer parser read the same record (most pages after a parser fix): its
            # child rows are what the digest covers, so only the row's own bookkeeping
            # is rewritten, not the questions, answers and their FTS entries.
            _rewrite_unchanged(db, rid, response, prov, history)
            languages.save_version(*version, seen=seen)
            _upsert_attachments(db, rid, response, now)
            if seen:
                _record_visit_events(db, rid, url, old, status, prov, now, run_id)
            return status
        _upsert_row(db, rid, response, prov, digest, history)
        languages.save_version(*version, seen=seen)
        _replace_children(db, rid, response, fresh=old is None)
        _upsert_attachments(db, rid, response, now)
        if seen:
            _record_visit_events(db, rid, prov.url or response.url, old, status, prov, now, run_id)
    return status


def _record_visit_events(db, rid, url, old, status, prov, now, run_id) -> None:
    if old is not None and old["removed_at"] is not None:
        record_event(db, rid, url, "restored", now, run_id)
    if status == "new":
        record_event(db, rid, url, "new", now, run_id)
    elif status == "changed" and old["content_sha256"] != prov.content_sha256:
        record_event(db, rid, url, "changed", now, run_id)


# What a load compares and keeps of a response's row (`_current`).
_CURRENT = (
    "content_sha256",
    "record_sha256",
    "parser_version",
    "first_seen",
    "last_seen",
    "last_changed",
    "removed_at",
)


def _current(db: sqlite_utils.Database, rid: str) -> dict | None:
    row = db.conn.execute(
        f"SELECT {', '.join(_CURRENT)} FROM responses WHERE id = ?", (rid,)
    ).fetchone()
    return None if row is None else dict(zip(_CURRENT, row))


def current_rows(db: sqlite_utils.Database, rids: list[str]) -> dict[str, tuple[str, dict]]:
    """{id: (main language, the row as `_current` reads it)} for many responses in one
    query (a bulk job's batch)."""
    marks = ", ".join("?" for _ in rids)
    rows = db.conn.execute(
        f"SELECT id, language, {', '.join(_CURRENT)} FROM responses WHERE id IN ({marks})",
        rids,
    )
    return {row[0]: (row[1], dict(zip(_CURRENT, row[2:]))) for row in rows}


def row_history(
    old: dict | None, status: str, prov: Provenance, now: str, seen: bool
) -> tuple[str, str, str, str | None]:
    """(first_seen, last_seen, last_changed, removed_at) for the row being written."""
    if old is None:
        return now, now, now, None
    last_changed = old["last_changed"]
    if status == "changed" and old["content_sha256"] != prov.content_sha256:
        last_changed = now  # the page itself changed, not just our reading of it
    if seen:
        return old["first_seen"], now, last_changed, None
    return old["first_seen"], old["last_seen"], last_changed, old["removed_at"]


def _touch(db: sqlite_utils.Database, rid: str, prov: Provenance, now: str) -> None:
    db.conn.execute(
        "UPDATE responses SET last_seen = ?, removed_at = NULL, fetched_at = ?, "
        "content_sha256 = ? WHERE id = ?",
        (now, prov.fetched_at, prov.content_sha256, rid),
    )


def _rewrite_unchanged(
    db: sqlite_utils.Database,
    rid: str,
    response: Response,
    prov: Provenance,
    history: tuple[str, str, str, str | None],
) -> None:
    """What `_upsert_row` would change on a row whose record digest is the same."""
    db.conn.execute(REWRITE_UNCHANGED, rewrite_unchanged_values(rid, response, prov, history))


REWRITE_UNCHANGED = (
    "UPDATE responses SET url = ?, first_seen = ?, last_seen = ?, last_changed = ?, "
    "removed_at = ?, content_sha256 = ?, fetched_at = ?, parser_version = ?, "
    "warnings = ? WHERE id = ?"
)


def rewrite_unchanged_values(
    rid: str, response: Response, prov: Provenance, history: tuple[str, str, str, str | None]
) -> tuple:
    first_seen, last_seen, last_changed, removed_at = history
    return (
        prov.url or response.url,
        first_seen,
        last_seen,
        last_changed,
        removed_at,
        prov.content_sha256,
        prov.fetched_at,
        response.parser_version,
        json.dumps(list(response.warnings), ensure_ascii=False),
        rid,
    )


def _upsert_row(
    db: sqlite_utils.Database,
    rid: str,
    response: Response,
    prov: Provenance,
    digest: str,
    history: tuple[str, str, str, str | None],
) -> None:
    first_seen, last_seen, last_changed, removed_at = history
    row = {
        "id": rid,
        "url": prov.url or response.url,
        "force": response.force,
        "language": response.language,
        "reference": response.reference,
        "title": response.title,
        "month": response.month,
        "published": response.published,
        "outcome": response.outcome,
        "ncnd": int(response.ncnd),
        "request_text": response.request_text,
        "body_text": response.body_text,
        "question_count": len(response.questions),
        "attachment_count": len(response.attachments),
        "first_seen": first_seen,
        "last_seen": last_seen,
        "last_changed": last_changed,
        "removed_at": removed_at,
        "content_sha256": prov.content_sha256,
        "record_sha256": digest,
        "fetched_at": prov.fetched_at,
        "parser_version": response.parser_version,
        "warnings": json.dumps(list(response.warnings), ensure_ascii=False),
    }
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    updates = ", ".join(f"{c} = excluded.{c}" for c in row if c != "id")
    # A true upsert (not INSERT OR REPLACE): the row keeps its rowid, so FTS triggers
    # and the attachments' foreign keys see an update, not a delete.
    db.conn.execute(
        f"INSERT INTO responses ({columns}) VALUES ({marks}) "
        f"ON CONFLICT(id) DO UPDATE SET {updates}",
        row,
    )


def _replace_children(
    db: sqlite_utils.Database, rid: str, response: Response, *, fresh: bool = False
) -> None:
    """The response's questions, exemptions, links, answers and tables, as parsed.

    A table whose rows are already these rows is left alone (not compared when
    `fresh`: the response is new): a rewritten record often keeps its questions, and
    rewriting them re-indexes their text for nothing.
    """
    conn = db.conn
    _replace_rows(
        conn,
        "questions",
        ("number", "text", "answer", "answer_id"),
        rid,
        [(q.number, q.text, q.answer, q.answer_id) for q in response.questions],
        fresh,
    )
    # Seed names for sections the catalogue does not know (or before it is loaded).
    conn.executemany(
        "INSERT INTO exemptions (section, name) VALUES (?, ?) ON CONFLICT(section) DO "
        "UPDATE SET name = excluded.name WHERE exemptions.name IS NULL",
        [(e.section, e.name or None) for e in response.exemptions],
    )
    _replace_rows(
        conn,
        "response_exemptions",
        ("section", "subsection", "citation", "ncnd"),
        rid,
        [(e.section, e.subsection, e.citation, int(e.ncnd)) for e in response.exemptions],
        fresh,
    )
    _replace_rows(
        conn,
        "links",
        ("text", "url"),
        rid,
        [(link.text, link.url) for link in response.links],
        fresh,
    )
    replace_answers(db, rid, response)


def _replace_rows(
    conn, table: str, columns: tuple[str, ...], rid: str, rows: list[tuple], fresh: bool
) -> None:
    """`rows` (numbered from 1 in `position`) become the response's rows of `table`."""
    names = ", ".join(columns)
    if not fresh:
        held = conn.execute(
            f"SELECT {names} FROM {table} WHERE response_id = ? ORDER BY position", (rid,)
        ).fetchall()
        if held == rows:
            return
    conn.execute(f"DELETE FROM {table} WHERE response_id = ?", (rid,))
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f"INSERT INTO {table} (response_id, position, {names}) VALUES (?, ?, {marks})",
        [(rid, position, *row) for position, row in enumerate(rows, 1)],
    )


def _upsert_attachments(db: sqlite_utils.Database, rid: str, response: Response, now: str) -> None:
    """Upsert listed attachments by (response, url); never touch downloaded data."""
    for values in attachment_upserts(rid, response, now):
        db.conn.execute(UPSERT_ATTACHMENT, values)
    db.conn.execute(*attachment_removal(rid, response, now))


UPSERT_ATTACHMENT = (
    "INSERT INTO attachments (response_id, position, url, title, type, first_seen, "
    "last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(response_id, url) DO UPDATE "
    "SET position = excluded.position, title = excluded.title, type = excluded.type, "
    "last_seen = excluded.last_seen, removed_at = NULL"
)


def attachment_upserts(rid: str, response: Response, now: str) -> list[tuple]:
    """UPSERT_ATTACHMENT's values for each attachment the record lists, in order."""
    return [
        (rid, position, attachment.url, attachment.title, attachment.type, now, now)
        for position, attachment in enumerate(response.attachments, 1)
    ]


def attachment_removal(rid: str, response: Response, now: str) -> tuple[str, tuple]:
    """(SQL, values) marking removed the response's attachments the record no longer
    lists (the SQL depends only on how many it lists)."""
    listed = [attachment.url for attachment in response.attachments]
    marks = ", ".join("?" for _ in listed)
    return (
        f"UPDATE attachments SET removed_at = ? WHERE response_id = ? AND removed_at IS NULL "
        f"AND url NOT IN ({marks})",
        (now, rid, *listed),
    )


def mark_seen(db: sqlite_utils.Database, url: str, when: str, *, run_id: int | None = None) -> bool:
    """The site still serves this page unchanged (a 304, an identical body)."""
    with transaction(db):
        if languages.version_of_url(db, url):
            return languages.mark_version(db, url, seen=when, removed=None)
        languages.mark_version(db, url, seen=when, removed=None)
        restored = db.conn.execute(
            "SELECT url FROM responses WHERE id = ? AND removed_at IS NOT NULL",
            (response_key(url),),
        ).fetchone()
        if restored is not None:
            record_event(db, response_key(url), restored[0], "restored", when, run_id)
        cursor = db.conn.execute(
            "UPDATE responses SET last_seen = ?, removed_at = NULL WHERE id = ?",
            (when, response_key(url)),
        )
        db.conn.execute(
            "UPDATE attachments SET last_seen = ? WHERE response_id = ? AND removed_at IS NULL",
            (when, response_key(url)),
        )
    return cursor.rowcount > 0


def mark_removed(
    db: sqlite_utils.Database, url: str, when: str, *, run_id: int | None = None
) -> bool:
    """The site no longer serves this page (404/410). Every row is kept.

    Whether a 404 is a removal (and not a site-wide outage) is the crawler's call
    (scraper/removals.py); this only records it, with its `removed` event.
    """
    with transaction(db):
        if languages.version_of_url(db, url):  # one language version gone, not the response
            return languages.mark_version(db, url, seen=None, removed=when)
        languages.mark_version(db, url, seen=None, removed=when)
        cursor = db.conn.execute(
            "UPDATE responses SET removed_at = ? WHERE id = ? AND removed_at IS NULL",
            (when, response_key(url)),
        )
        if cursor.rowcount > 0:
            record_event(db, response_key(url), url, "removed", when, run_id)
    return cursor.rowcount > 0


def record_crawl_run(db: sqlite_utils.Database, summary: dict) -> int:
    """One `crawl_runs` row; keys beyond the fixed columns go into JSON `details`."""
    row = {column: summary.get(column) for column in CRAWL_RUN_COLUMNS}
    extra = {k: v for k, v in summary.items() if k not in CRAWL_RUN_COLUMNS}
    row["details"] = json.dumps(extra, ensure_ascii=False, default=str, sort_keys=True)
    columns = ", ".join(row)
    marks = ", ".join(f":{c}" for c in row)
    with transaction(db):
        cursor = db.conn.execute(f"INSERT INTO crawl_runs ({columns}) VALUES ({marks})", row)
    return cursor.lastrowid or 0  # every INSERT sets it
