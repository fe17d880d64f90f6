"""Schema migration 9: what a national archive (hundreds of thousands of rows) needs.

FTS update triggers that fire only when the indexed text really changes. The triggers
of migrations 1 and 4 are `AFTER UPDATE OF <columns>`, which SQLite fires whenever
those columns are *named* in the UPDATE, and the loader's upsert names every column:
so re-parsing a page whose text did not change (every page, after a parser fix that
touches one field) deleted and re-indexed all its text: about a third of the writer's
time per full-length page. With `WHEN old.x IS NOT new.x OR ...` the index is touched
only for a real change; what it holds is the same.

Indexes for the table pages' facets (metadata.yml: force, outcome, month, ncnd,
language; newest month first), filtered or not. Datasette counts a facet with `SELECT
month, count(*) FROM (SELECT * FROM responses WHERE outcome = ?) GROUP BY month`; with
single-column indexes SQLite walked the month (or ncnd, language) index and read every
row (790 ms at 50,000 full-length responses). These indexes hold every facet column
after the filter's, so each count is read from an index alone (2-20 ms at 50,000).
"""

from __future__ import annotations

import sqlite_utils

# (table, indexed columns): the FTS5 tables of migrations 1 and 4.
FTS_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("responses", ("title", "request_text", "body_text")),
    ("questions", ("text", "answer")),
    ("attachments", ("title", "text")),
    ("answers", ("text",)),
)


def update_trigger(table: str, columns: tuple[str, ...]) -> str:
    cols = ", ".join(columns)
    fts = f"{table}_fts"
    old = ", ".join(f"old.{c}" for c in columns)
    new = ", ".join(f"new.{c}" for c in columns)
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    return (
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} WHEN {changed} BEGIN "
        f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new}); END"
    )


FACET_INDEXES: dict[str, tuple[str, ...]] = {
    "idx_responses_outcome_facets": ("outcome", "month", "force", "ncnd", "language"),
    "idx_responses_force_facets": ("force", "month", "outcome", "ncnd", "language"),
    "idx_responses_language_facets": ("language", "outcome", "force"),
    "idx_responses_ncnd_facets": ("ncnd", "outcome", "force"),
}


def migrate(db: sqlite_utils.Database) -> None:
    for table, columns in FTS_COLUMNS:
        db.conn.execute(f"DROP TRIGGER IF EXISTS {table}_au")
        db.conn.execute(update_trigger(table, columns))
    for name, columns in FACET_INDEXES.items():
        db.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON responses({', '.join(columns)})")
