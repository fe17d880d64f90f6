"""Loading many parsed responses at once: the rows `db.load.load_response` writes, batched.

For building large archives (the national benchmark, a first import): a response the
archive does not hold yet is written with one `executemany` per table for the whole
batch instead of ~15 statements each (no lookups of an old row, no deletes of child
rows that cannot exist). `prepare` makes a new response's rows (pure: it can run in
worker processes) and `load_prepared` inserts them. Anything else (a response already archived, a second version
of one in the same batch) goes through `load_response` itself, in batch order, so the
result is the same as loading the records one by one (tests/archive/test_bulk_load.py
compares the two).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

import sqlite_utils

from db import answers, languages
from db.load import Provenance, load_response, record_digest, response_key, transaction
from parsers.record import Response

RESPONSE_COLUMNS = (
    "id",
    "url",
    "force",
    "language",
    "reference",
    "title",
    "month",
    "published",
    "outcome",
    "ncnd",
    "request_text",
    "body_text",
    "question_count",
    "attachment_count",
    "first_seen",
    "last_seen",
    "last_changed",
    "removed_at",
    "content_sha256",
    "record_sha256",
    "fetched_at",
    "parser_version",
    "warnings",
    "source",
    "captured_at",
)
_INSERT_RESPONSE = (
    f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in RESPONSE_COLUMNS)})"
)
STATEMENTS = {
    "responses": _INSERT_RESPONSE,
    "language_versions": languages.INSERT_VERSION,
    "questions": "INSERT INTO questions (response_id, position, number, text, answer, answer_id) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "exemptions": "INSERT INTO exemptions (section, name) VALUES (?, ?) ON CONFLICT(section) DO "
    "UPDATE SET name = excluded.name WHERE exemptions.name IS NULL",
    "response_exemptions": "INSERT INTO response_exemptions "
    "(response_id, position, section, subsection, citation, ncnd) VALUES (?, ?, ?, ?, ?, ?)",
    "links": "INSERT INTO links (response_id, position, text, url) VALUES (?, ?, ?, ?)",
    **answers.INSERTS,
    "attachments": "INSERT INTO attachments (response_id, position, url, title, type, "
    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(response_id, url) DO "
    "UPDATE SET position = excluded.position, title = excluded.title, type = excluded.type, "
    "last_seen = excluded.last_seen, removed_at = NULL",
    "response_events": "INSERT INTO response_events (response_id, url, event, at, run_id) "
    "VALUES (?, ?, ?, ?, ?)",
}


@dataclass(frozen=True)
class Prepared:
    """A new response's rows, per table (`TABLES` order), ready to insert.

    Plain tuples, so it can be made in another process (`prepare` is pure) and sent to
    the one writer cheaply.
    """

    key: str
    rows: dict[str, list[tuple]]


def prepare(
    response: Response,
    prov: Provenance,
    *,
    now: str,
    run_id: int | None = None,
    seen: bool = True,
    digest: str | None = None,
    source: str = "live",
    captured_at: str | None = None,
) -> Prepared:
    """The rows `load_response(db, response, prov, now=now, run_id=run_id, seen=seen)`
    writes for a response the archive does not hold yet (`digest`: its record digest,
    when made already). A WARC import's new row says where it came from (`source`,
    `captured_at`: what db/web_archive.py `mark_from_web_archive` sets)."""
    rid = response_key(prov.url or response.url)
    url = prov.url or response.url
    row = _response_row(rid, url, response, prov, now, digest or record_digest(response))
    rows = {
        "responses": [(*row, source, captured_at)],
        "language_versions": [
            languages.new_main_version(
                rid, response, url, prov.content_sha256, prov.fetched_at, now
            )
        ],
        "questions": [
            (rid, i, q.number, q.text, q.answer, q.answer_id)
            for i, q in enumerate(response.questions, 1)
        ],
        "exemptions": [(e.section, e.name or None) for e in response.exemptions],
        "response_exemptions": [
            (rid, i, e.section, e.subsection, e.citation, int(e.ncnd))
            for i, e in enumerate(response.exemptions, 1)
        ],
        "links": [(rid, i, link.text, link.url) for i, link in enumerate(response.links, 1)],
        **answers.answer_rows(rid, response),
        "attachments": [
            (rid, position, a.url, a.title, a.type, now, now)
            for position, a in enumerate(response.attachments, 1)
        ],
        # no event when the site was not visited (load_response's `seen`)
        "response_events": [(rid, url, "new", now, run_id)] if seen else [],
    }
    return Prepared(rid, rows)


def load_prepared(db: sqlite_utils.Database, batch: Sequence[Prepared]) -> None:
    """Insert prepared new responses, in order, one executemany per table.

    Every response must be new to the archive and appear once: one already archived
    fails its primary key (sqlite3.IntegrityError) and nothing of the batch is kept:
    on its own this is one transaction; inside a caller's transaction, the error
    leaves that transaction, which rolls back as a whole (db.load.transaction).
    Parents are written before children (foreign keys), each table in batch order, so
    rowids and ids come out as loading one by one numbers them.
    """
    if not db.conn.in_transaction:
        with transaction(db):
            _insert(db, batch)
        return
    # No savepoint of its own inside the caller's transaction. Under a savepoint SQLite
    # keeps the original of every page the batch changes (its sub-journal), and each
    # statement that fires a trigger (response_exemptions -> response_sections) then
    # cost time growing with that: the more index pages a batch changes, the larger the
    # archive. Measured: 0.1 -> 0.4 CPU ms an exemption row from 5,000 to 50,000 pages
    # imported (20 of import-warc's ~110 writer CPU seconds), ~0.005 without it.
    _insert(db, batch)


def _insert(db: sqlite_utils.Database, batch: Sequence[Prepared]) -> None:
    for table, statement in STATEMENTS.items():
        rows = [row for prepared in batch for row in prepared.rows[table]]
        if rows:
            db.conn.executemany(statement, rows)


def _response_row(
    rid: str, url: str, response: Response, prov: Provenance, now: str, digest: str
) -> tuple:
    return (
        rid,
        url,
        response.force,
        response.language,
        response.reference,
        response.title,
        response.month,
        response.published,
        response.outcome,
        int(response.ncnd),
        response.request_text,
        response.body_text,
        len(response.questions),
        len(response.attachments),
        now,
        now,
        now,
        None,
        prov.content_sha256,
        digest,
        prov.fetched_at,
        response.parser_version,
        json.dumps(list(response.warnings), ensure_ascii=False),
    )


def load_responses(
    db: sqlite_utils.Database,
    items: Sequence[tuple[Response, Provenance]],
    *,
    now: str,
    run_id: int | None = None,
) -> list[str]:
    """Load (record, provenance) pairs in order, as `load_response(..., now=now)` each
    would (a visit: `seen`); returns each one's status. One transaction (a savepoint
    inside the caller's)."""
    keys = [response_key(prov.url or response.url) for response, prov in items]
    statuses: list[str] = []
    with transaction(db):
        known = archived(db, keys)
        fresh: list[Prepared] = []
        for key, (response, prov) in zip(keys, items):
            if key in known:  # an update, or a second version: the one-by-one path
                load_prepared(db, fresh)
                fresh = []
                statuses.append(load_response(db, response, prov, now=now, run_id=run_id))
                continue
            known.add(key)
            fresh.append(prepare(response, prov, now=now, run_id=run_id))
            statuses.append("new")
        load_prepared(db, fresh)
    return statuses


def archived(db: sqlite_utils.Database, keys: list[str]) -> set[str]:
    """Those of `keys` the archive holds a response for."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            k for (k,) in db.conn.execute(f"SELECT id FROM responses WHERE id IN ({marks})", chunk)
        )
    return found
