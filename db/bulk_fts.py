"""Indexing a bulk load into an empty archive once at the end, not row by row.

The full-text indexes are external-content FTS5 tables kept in step by triggers
(db/schema.py `fts_sql`). Row by row, those triggers cost a WARC import into an empty
archive ~0.7 CPU ms a page; one FTS5 `'rebuild'` of the same tables afterwards costs
~0.1 ms, and builds the index from the content tables themselves, so it is the index
the triggers would have built (the same rowids, columns and tokenizer: FTS5's
`integrity-check` compares the two, tests/warc/test_bulk_fts.py).

The facet counts' triggers (db/facet_counts.py) are deferred with them: they upsert
~50 rows of `facet_counts` for every response inserted, ~0.2 CPU ms a row (80% of a
response row's insert), where one `recount` at the end counts the same from `responses`
in one GROUP BY per facet (tests/warc/test_bulk_fts.py compares the two).

While deferred, the triggers' SQL is kept in the archive (`deferred_fts_triggers`), in
the same transaction that drops them, so a crash cannot lose them: the next
`open_archive` rebuilds the indexes, recounts the facets and puts the triggers back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import sqlite_utils

from db import facet_counts

MARKER = "deferred_fts_triggers"


@contextmanager
def fts_deferred_if_empty(db: sqlite_utils.Database) -> Iterator[bool]:
    """Within: no FTS triggers when the archive had no responses (yields whether
    deferred). On leaving, even by an error, the indexes are rebuilt and the
    triggers restored."""
    deferred = defer_fts_if_empty(db)
    try:
        yield deferred
    finally:
        if deferred:
            restore_deferred_fts(db)


def defer_fts_if_empty(db: sqlite_utils.Database) -> bool:
    """Drop the FTS triggers (keeping their SQL) if the archive has no responses."""
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        if conn.execute("SELECT 1 FROM responses LIMIT 1").fetchone() is not None:
            conn.execute("ROLLBACK")
            return False
        triggers = _fts_triggers(db)
        if triggers is None or _marker_exists(db):
            conn.execute("ROLLBACK")
            return False
        conn.execute(f"CREATE TABLE {MARKER} (name TEXT PRIMARY KEY, tbl_name TEXT, sql TEXT)")
        conn.executemany(f"INSERT INTO {MARKER} VALUES (?, ?, ?)", triggers)
        for name, _table, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def restore_deferred_fts(db: sqlite_utils.Database) -> None:
    """Rebuild the indexes whose triggers were deferred, then put the triggers back."""
    if not _marker_exists(db):
        return
    conn = db.conn
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = conn.execute(f"SELECT name, tbl_name, sql FROM {MARKER} ORDER BY name").fetchall()
        for table in sorted({table for _name, table, sql in rows if f"{table}_fts" in sql}):
            conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
        if any(_counts_facets(sql) for _name, _table, sql in rows):
            facet_counts.recount(conn)
        for _name, _table, sql in rows:
            conn.execute(sql)
        conn.execute(f"DROP TABLE {MARKER}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def _marker_exists(db: sqlite_utils.Database) -> bool:
    return (
        db.conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (MARKER,)
        ).fetchone()
        is not None
    )


def _fts_triggers(db: sqlite_utils.Database) -> list[tuple[str, str, str]] | None:
    """(name, table, sql) of every trigger that writes a table's `<table>_fts`, and of
    the facet counts' triggers; None when an index could not be rebuilt from its table
    (not external content)."""
    triggers = db.conn.execute(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()
    found = [(n, t, sql) for n, t, sql in triggers if f"{t}_fts" in sql]
    for table in {t for _n, t, _sql in found}:
        row = db.conn.execute(
            "SELECT sql FROM sqlite_master WHERE name = ?", (f"{table}_fts",)
        ).fetchone()
        if row is None or not re.search(rf"""content\s*=\s*['"]?{table}['"]?[\s,)]""", row[0]):
            return None
    if not found:
        return None
    return found + [(n, t, sql) for n, t, sql in triggers if _counts_facets(sql)]


def _counts_facets(sql: str) -> bool:
    """A trigger keeping db/facet_counts.py's table (rebuilt by its `recount`)."""
    return "INSERT INTO facet_counts" in sql
