"""Loading many parsed responses at once: the rows `db.load.load_response` writes, batched.

For building large archives (the national benchmark, a first import): a response the
archive does not hold yet is written with one `executemany` per table for the whole
batch instead of ~15 statements each (no lookups of an old row, no deletes of child
rows that cannot exist). Anything else (a response already archived, a second version
of one in the same batch) goes through `load_response` itself, in batch order, so the
result is the same as loading the records one by one (tests/archive/test_bulk_load.py
compares the two).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlite_utils

from db import languages
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
)
_INSERT_RESPONSE = (
    f"INSERT INTO responses ({', '.join(RESPONSE_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in RESPONSE_COLUMNS)})"
)
_STATEMENTS = {
    "questions": "INSERT INTO questions (response_id, position, number, text, answer, answer_id) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "exemptions": "INSERT INTO exemptions (section, name) VALUES (?, ?) ON CONFLICT(section) DO "
    "UPDATE SET name = excluded.name WHERE exemptions.name IS NULL",
    "response_exemptions": "INSERT INTO response_exemptions "
    "(response_id, position, section, subsection, citation, ncnd) VALUES (?, ?, ?, ?, ?, ?)",
    "links": "INSERT INTO links (response_id, position, text, url) VALUES (?, ?, ?, ?)",
    "answers": "INSERT INTO answers (response_id, position, question_numbers, question_count, "
    "text, table_count) VALUES (?, ?, ?, ?, ?, ?)",
    "response_tables": "INSERT INTO response_tables (response_id, position, answer_id, "
    "row_count, column_count, header_rows, line) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "response_table_cells": "INSERT INTO response_table_cells (response_id, table_position, "
    "row, col, text, header) VALUES (?, ?, ?, ?, ?, ?)",
    "attachments": "INSERT INTO attachments (response_id, position, url, title, type, "
    "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(response_id, url) DO "
    "UPDATE SET position = excluded.position, title = excluded.title, type = excluded.type, "
    "last_seen = excluded.last_seen, removed_at = NULL",
    "response_events": "INSERT INTO response_events (response_id, url, event, at, run_id) "
    "VALUES (?, ?, ?, ?, ?)",
}


@dataclass
class _Rows:
    """The rows of a run of new responses, per table, in load order."""

    responses: list[tuple] = field(default_factory=list)
    versions: list[tuple] = field(default_factory=list)
    children: dict[str, list[tuple]] = field(default_factory=lambda: {t: [] for t in _STATEMENTS})

    def add(self, rid: str, response: Response, prov: Provenance, now: str, run_id) -> None:
        url = prov.url or response.url
        self.responses.append(_response_row(rid, url, response, prov, now))
        self.versions.append(
            languages.new_main_version(
                rid, response, url, prov.content_sha256, prov.fetched_at, now
            )
        )
        rows = self.children
        rows["questions"] += [
            (rid, i, q.number, q.text, q.answer, q.answer_id)
            for i, q in enumerate(response.questions, 1)
        ]
        rows["exemptions"] += [(e.section, e.name or None) for e in response.exemptions]
        rows["response_exemptions"] += [
            (rid, i, e.section, e.subsection, e.citation, int(e.ncnd))
            for i, e in enumerate(response.exemptions, 1)
        ]
        rows["links"] += [(rid, i, link.text, link.url) for i, link in enumerate(response.links, 1)]
        rows["answers"] += [
            (
                rid,
                a.position,
                json.dumps(list(a.question_numbers), ensure_ascii=False),
                len(a.question_numbers),
                a.text,
                len(a.tables),
            )
            for a in response.answers
        ]
        holder = {position: a.position for a in response.answers for position in a.tables}
        rows["response_tables"] += [
            (
                rid,
                t.position,
                holder.get(t.position),
                len(t.rows),
                max((len(row) for row in t.rows), default=0),
                t.header_rows,
                t.line,
            )
            for t in response.tables
        ]
        rows["response_table_cells"] += [
            (rid, t.position, r, c, text, int(r <= t.header_rows))
            for t in response.tables
            for r, row in enumerate(t.rows, 1)
            for c, text in enumerate(row, 1)
        ]
        rows["attachments"] += [
            (rid, position, a.url, a.title, a.type, now, now)
            for position, a in enumerate(response.attachments, 1)
        ]
        rows["response_events"].append((rid, url, "new", now, run_id))

    def flush(self, db: sqlite_utils.Database) -> _Rows:
        """Write the rows; returns an empty batch for the next run."""
        conn = db.conn
        # Parents before children (foreign keys), each table in load order, so rowids
        # and ids come out as one-by-one loading numbers them.
        conn.executemany(_INSERT_RESPONSE, self.responses)
        conn.executemany(languages.INSERT_VERSION, self.versions)
        for table, statement in _STATEMENTS.items():
            conn.executemany(statement, self.children[table])
        return _Rows()


def _response_row(rid: str, url: str, response: Response, prov: Provenance, now: str) -> tuple:
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
        record_digest(response),
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
        known = _archived(db, keys)
        pending = _Rows()
        for key, (response, prov) in zip(keys, items):
            if key in known:  # an update, or a second version: the one-by-one path
                pending = pending.flush(db)
                statuses.append(load_response(db, response, prov, now=now, run_id=run_id))
                continue
            known.add(key)
            pending.add(key, response, prov, now, run_id)
            statuses.append("new")
        pending.flush(db)
    return statuses


def _archived(db: sqlite_utils.Database, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found.update(
            k for (k,) in db.conn.execute(f"SELECT id FROM responses WHERE id IN ({marks})", chunk)
        )
    return found
