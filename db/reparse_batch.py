"""Loading a batch of re-parsed records: the ones the parser read the same, set-based.

After a parser fix most records come out the same (`record_sha256` unchanged). For
each, `db.load.load_response` (with `seen=False`: nothing was fetched) only rewrites
bookkeeping: the row's url, provenance, parser version and warnings (when the parser
version moved), its language version's row, and its listed attachments' `last_seen`.
Doing that one record at a time cost the single writer ~9 statements and a savepoint a
record. Here the batch's rows are read in two queries, and the writes of its
unchanged records go out as `executemany`, with the same statements and values
`load_response` uses (shared with db/load.py and db/languages.py, so the two paths
cannot drift apart). Every other record (new, changed, a Welsh twin's secondary
version, a response met twice in the batch) goes through `load_response` as before.

Writes keep the batch's order table by table: the unchanged records gathered so far
are written before each record that goes through `load_response`, so the rowids of
any rows inserted are those the one-by-one path gives
(tests/archive/test_reparse_batch.py compares every table of the two).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from db import languages
from db.load import (
    REWRITE_UNCHANGED,
    UPSERT_ATTACHMENT,
    Provenance,
    attachment_removal,
    attachment_upserts,
    current_rows,
    load_response,
    response_key,
    rewrite_unchanged_values,
    row_history,
)
from parsers.record import Response


@dataclass(frozen=True)
class Parsed:
    """One re-parsed stored page to load: its record, digest and provenance."""

    response: Response
    digest: str
    prov: Provenance


@dataclass
class _Writes:
    """The unchanged records' statements gathered since the last flush, in order."""

    rows: list[tuple] = field(default_factory=list)
    versions: list[tuple] = field(default_factory=list)
    attachments: list[tuple] = field(default_factory=list)
    removals: list[tuple[str, tuple]] = field(default_factory=list)

    def flush(self, db: sqlite_utils.Database) -> None:
        conn = db.conn
        if self.rows:
            conn.executemany(REWRITE_UNCHANGED, self.rows)
        if self.versions:
            conn.executemany(languages.UPSERT_VERSION, self.versions)
        if self.attachments:
            conn.executemany(UPSERT_ATTACHMENT, self.attachments)
        # the statement depends on how many attachments a record lists
        by_sql: dict[str, list[tuple]] = {}
        for sql, values in self.removals:
            by_sql.setdefault(sql, []).append(values)
        for sql, many in by_sql.items():
            conn.executemany(sql, many)
        for gathered in (self.rows, self.versions, self.attachments, self.removals):
            gathered.clear()


def load_each(db: sqlite_utils.Database, batch: list[Parsed]) -> list[str]:
    """The one-by-one path: `load_response` for every record (the reference)."""
    return [_load_one(db, item) for item in batch]


def load_batch(db: sqlite_utils.Database, batch: list[Parsed]) -> list[str]:
    """Load re-parsed records (inside the caller's transaction); their statuses, in order.

    What the archive holds afterwards is what `load_each` makes of the same batch.
    """
    rids = [response_key(item.prov.url or item.response.url) for item in batch]
    unique = list(dict.fromkeys(rids))
    rows = current_rows(db, unique)
    versions = languages.versions_of(db, unique)
    writes = _Writes()
    statuses: list[str] = []
    met: set[str] = set()
    for rid, item in zip(rids, batch):
        # a response met earlier in the batch was written since its row was read
        current = None if rid in met else rows.get(rid)
        met.add(rid)
        if current is None or not _unchanged(current, item):
            writes.flush(db)
            statuses.append(_load_one(db, item))
            continue
        _gather(writes, rid, item, current, versions.get((rid, item.response.language)))
        statuses.append("unchanged")
    writes.flush(db)
    return statuses


def _load_one(db: sqlite_utils.Database, item: Parsed) -> str:
    return load_response(
        db, item.response, item.prov, now=item.prov.fetched_at, seen=False, digest=item.digest
    )


def _unchanged(current: tuple[str, dict], item: Parsed) -> bool:
    """The record is its response's main version and reads as archived."""
    main, old = current
    return not languages.secondary_to(main, item.response.language) and (
        old["record_sha256"] == item.digest
    )


def _gather(
    writes: _Writes, rid: str, item: Parsed, current: tuple[str, dict], version: tuple | None
) -> None:
    """What `load_response(seen=False)` writes for a record read the same, in its order."""
    response, prov, now = item.response, item.prov, item.prov.fetched_at
    main, old = current
    rewrite = old["parser_version"] != response.parser_version
    if rewrite:
        history = row_history(old, "unchanged", prov, now, False)
        writes.rows.append(rewrite_unchanged_values(rid, response, prov, history))
    url = prov.url or response.url
    _, values = languages.version_upsert(
        rid, response, url, prov.content_sha256, prov.fetched_at, now, version, main, False
    )
    writes.versions.append(values)
    if rewrite:
        writes.attachments.extend(attachment_upserts(rid, response, now))
        writes.removals.append(attachment_removal(rid, response, now))
