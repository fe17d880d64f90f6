"""Schema migration 10: the indexes search needs at national scale (db/search_plan.py).

- `(column, rowid)` keys to test one response against a filter with a single seek,
  without reading its row (which carries the whole text): the year is an expression
  index (`substr(month, 1, 4)`); outcome, ncnd and force have one already.
- `(filter, month)` indexes to list one filter's responses newest first and stop after a
  page (migration 9's facet indexes put other columns between the filter and the month).
- the responses citing a section, read from the index alone.
- `facet_counts`, kept by triggers, for the table page's unfiltered facets
  (db/facet_counts.py).
"""

from __future__ import annotations

import sqlite_utils

from db import facet_counts

INDEXES: dict[str, str] = {
    "idx_responses_year": "responses(substr(month, 1, 4))",
    "idx_responses_force_month": "responses(force, month)",
    "idx_responses_outcome_month": "responses(outcome, month)",
    "idx_responses_ncnd_month": "responses(ncnd, month)",
    "idx_response_exemptions_section_response": "response_exemptions(section, response_id)",
}


def migrate(db: sqlite_utils.Database) -> None:
    for name, on in INDEXES.items():
        db.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
    facet_counts.create(db.conn)
    # An archive whose statistics were gathered (ANALYZE) gets them for the new indexes
    # too, or the query planner would judge them without; a new archive has none yet.
    if db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        for name in INDEXES:
            db.conn.execute(f"ANALYZE {name}")
