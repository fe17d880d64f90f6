"""Schema migration 10: the indexes search needs at national scale (db/search_plan.py).

- `(column, rowid)` keys to test one response against a filter with a single seek,
  without reading its row (which carries the whole text): the year is an expression
  index (`substr(month, 1, 4)`); outcome, ncnd and force have one already.
- `(filter, month)` indexes to list one filter's responses newest first and stop after a
  page (migration 9's facet indexes put other columns between the filter and the month).
- `response_sections`: (section, response rowid), kept by triggers on
  response_exemptions, so "cites section 40" is one seek per response tested and the
  responses citing a section are read in rowid order without touching their rows.
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
}


# Trigger names do not end in `_ai`: bulk loaders drop those (FTS fills) and put them back.
SECTIONS = (
    """CREATE TABLE IF NOT EXISTS response_sections (
    section INTEGER NOT NULL,          -- a FOIA section a response cites
    response_rowid INTEGER NOT NULL,   -- responses.rowid of that response
    PRIMARY KEY (section, response_rowid)
) WITHOUT ROWID""",
    "CREATE TRIGGER IF NOT EXISTS response_exemptions_sections_insert "
    "AFTER INSERT ON response_exemptions BEGIN "
    "INSERT OR IGNORE INTO response_sections (section, response_rowid) "
    "SELECT new.section, rowid FROM responses WHERE id = new.response_id; END",
    "CREATE TRIGGER IF NOT EXISTS response_exemptions_sections_delete "
    "AFTER DELETE ON response_exemptions BEGIN "
    "DELETE FROM response_sections WHERE section = old.section "
    "AND response_rowid = (SELECT rowid FROM responses WHERE id = old.response_id) "
    "AND NOT EXISTS (SELECT 1 FROM response_exemptions "
    "WHERE response_id = old.response_id AND section = old.section); END",
    "CREATE TRIGGER IF NOT EXISTS response_exemptions_sections_update "
    "AFTER UPDATE OF section, response_id ON response_exemptions BEGIN "
    "DELETE FROM response_sections WHERE section = old.section "
    "AND response_rowid = (SELECT rowid FROM responses WHERE id = old.response_id) "
    "AND NOT EXISTS (SELECT 1 FROM response_exemptions "
    "WHERE response_id = old.response_id AND section = old.section); "
    "INSERT OR IGNORE INTO response_sections (section, response_rowid) "
    "SELECT new.section, rowid FROM responses WHERE id = new.response_id; END",
    # A response deleted (its exemptions go with it, by cascade): none of its rows stay.
    "CREATE TRIGGER IF NOT EXISTS responses_sections_delete AFTER DELETE ON responses BEGIN "
    "DELETE FROM response_sections WHERE response_rowid = old.rowid "
    "AND section IN (SELECT section FROM exemptions); END",
    "INSERT OR IGNORE INTO response_sections (section, response_rowid) "
    "SELECT fe.section, r.rowid FROM response_exemptions fe JOIN responses r ON r.id = fe.response_id",
)


def migrate(db: sqlite_utils.Database) -> None:
    for name, on in INDEXES.items():
        db.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {on}")
    for statement in SECTIONS:
        db.conn.execute(statement)
    facet_counts.create(db.conn)
    # An archive whose statistics were gathered (ANALYZE) gets them for the new indexes
    # too, or the query planner would judge them without; a new archive has none yet.
    if db.conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
        for name in INDEXES:
            db.conn.execute(f"ANALYZE {name}")
