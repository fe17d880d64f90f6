"""How many responses have each value of the table page's facet columns, kept as they change.

`/foi/responses` shows facets (metadata.yml: force, outcome, month, ncnd, language).
Datasette counts each with a GROUP BY over the rows the page shows: unfiltered, or
filtered by one of those columns (a facet value clicked), that walks a whole index, or
most of one: ~10 ms per facet per 100,000 responses, so 200-250 ms for a page of five
facets over 500,000 responses. Triggers keep (~100 us of writer CPU per insert) `facet_counts` in step with every insert,
delete and change of those columns; the page reads a few hundred rows instead
(plugins/facet_counts.py).

One row per (filter column, its value, facet column, its value): responses with both.
The unfiltered counts have filter = '' and filter_value = ''; the count of all the
responses a filter lets through has facet = '' and value = ''. NULL values are not
faceted (Datasette's facets skip them) and not counted as filters here. A count that
fell to 0 keeps its row; readers skip it. `recount` rebuilds the table from `responses`.

A bulk load into an empty archive (db/bulk_fts.py) drops these triggers with the
full-text ones and calls `recount` once at the end, instead of ~50 upserts a row.
"""

from __future__ import annotations

import sqlite3
from itertools import product

COLUMNS = ("force", "outcome", "month", "ncnd", "language")
# Columns kept as filters: a month's responses are few enough to count directly.
FILTERS = ("force", "outcome", "ncnd", "language")
ALL = ""  # filter or facet "" with value "": no filter / the filter's own total
ALL_SQL = "''"

TABLE = """
CREATE TABLE IF NOT EXISTS facet_counts (
    filter TEXT NOT NULL,       -- a column of responses, or '' for none
    filter_value NOT NULL,      -- its value ('' for none)
    facet TEXT NOT NULL,        -- a column of responses, or '' for all
    value NOT NULL,             -- its value ('' for all)
    count INTEGER NOT NULL,     -- responses with both
    PRIMARY KEY (filter, filter_value, facet, value)
) WITHOUT ROWID
"""

# Every (filter, facet) pair kept, ALL standing for "no filter" / "every response".
PAIRS = [(f, c) for f, c in product((ALL, *FILTERS), (ALL, *COLUMNS)) if f != c or f == ALL]


def _value(row: str, column: str) -> str:
    return f"{row}.{column}" if column else ALL_SQL


def _step(row: str, filter: str, facet: str, step: int) -> str:
    known = " AND ".join(f"{row}.{c} IS NOT NULL" for c in (filter, facet) if c) or "1"
    return (
        "INSERT INTO facet_counts (filter, filter_value, facet, value, count) "
        f"SELECT '{filter}', {_value(row, filter)}, '{facet}', {_value(row, facet)}, {step} "
        f"WHERE {known} ON CONFLICT DO UPDATE SET count = count + {step};"
    )


def trigger_sql() -> list[str]:
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in COLUMNS)
    add = " ".join(_step("new", f, c, 1) for f, c in PAIRS)
    remove = " ".join(_step("old", f, c, -1) for f, c in PAIRS)
    return [
        "CREATE TRIGGER IF NOT EXISTS responses_facets_insert AFTER INSERT ON responses "
        f"BEGIN {add} END",
        "CREATE TRIGGER IF NOT EXISTS responses_facets_delete AFTER DELETE ON responses "
        f"BEGIN {remove} END",
        "CREATE TRIGGER IF NOT EXISTS responses_facets_update AFTER UPDATE OF "
        f"{', '.join(COLUMNS)} ON responses WHEN {changed} BEGIN {remove} {add} END",
    ]


def recount(conn: sqlite3.Connection) -> None:
    """Count everything afresh from responses (in the caller's transaction)."""
    conn.execute("DELETE FROM facet_counts")
    for filter, facet in PAIRS:
        columns = [c for c in (filter, facet) if c]
        known = " AND ".join(f"{c} IS NOT NULL" for c in columns) or "1"
        group = f"GROUP BY {', '.join(columns)}" if columns else ""
        conn.execute(
            "INSERT INTO facet_counts (filter, filter_value, facet, value, count) "
            f"SELECT '{filter}', {filter or ALL_SQL}, '{facet}', {facet or ALL_SQL}, count(*) "
            f"FROM responses WHERE {known} {group}"
        )


def create(conn: sqlite3.Connection) -> None:
    conn.execute(TABLE)
    for statement in trigger_sql():
        conn.execute(statement)
    recount(conn)


def counts(
    conn: sqlite3.Connection, facet: str, limit: int, filter: str = ALL, value: object = ALL
) -> list[tuple[object, int]]:
    """(value, count) of one facet, most first (as Datasette orders a facet), among the
    responses whose `filter` column is `value` (all of them by default)."""
    return conn.execute(
        "SELECT value, count FROM facet_counts WHERE filter = ? AND filter_value = ? "
        "AND facet = ? AND count > 0 ORDER BY count DESC, value LIMIT ?",
        (filter, value, facet, limit),
    ).fetchall()


def total(conn: sqlite3.Connection, filter: str = ALL, value: object = ALL) -> int:
    """Responses whose `filter` column is `value` (all of them by default)."""
    row = conn.execute(
        "SELECT count FROM facet_counts WHERE filter = ? AND filter_value = ? "
        "AND facet = '' AND value = ''",
        (filter, value),
    ).fetchone()
    return row[0] if row else 0
