"""The archive's schema (`data/foi.db`), declared once, created and migrated idempotently.

`ensure_schema(db)` is safe to call on every connection: it sets the connection's
pragmas (WAL, foreign keys, busy timeout), applies any migration newer than the
recorded `schema_version`, and refreshes the FOIA exemption catalogue.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import sqlite_utils

from db import languages, scale, search_indexes, views
from db.load import transaction

# Every version in order; a migration runs once, inside one transaction.
# Reserved migration numbers while several branches add tables (keep in this order):
# 2 response_events, 3 force/language, 4 answers and tables, 5 round robins,
# 6 attachment tables as a migration, 7 WARC/import provenance, 8 response_languages
# (db/languages.py: a Welsh page and its English twin are one response).

_V1 = """
CREATE TABLE responses (
    id TEXT PRIMARY KEY,            -- readable key from the URL path, see db.load.response_key
    url TEXT NOT NULL UNIQUE,
    reference TEXT,
    title TEXT,
    month TEXT,
    published TEXT,
    outcome TEXT,
    ncnd INTEGER NOT NULL DEFAULT 0,
    request_text TEXT,
    body_text TEXT,
    question_count INTEGER NOT NULL DEFAULT 0,
    attachment_count INTEGER NOT NULL DEFAULT 0,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT NOT NULL,
    removed_at TEXT,
    content_sha256 TEXT,
    record_sha256 TEXT,
    fetched_at TEXT,
    parser_version TEXT,
    warnings TEXT                   -- JSON array of parser warnings
);
CREATE INDEX idx_responses_reference ON responses(reference);
CREATE INDEX idx_responses_month ON responses(month);
CREATE INDEX idx_responses_published ON responses(published);
CREATE INDEX idx_responses_outcome ON responses(outcome);
CREATE INDEX idx_responses_ncnd ON responses(ncnd);
CREATE INDEX idx_responses_first_seen ON responses(first_seen);
CREATE INDEX idx_responses_last_changed ON responses(last_changed);
CREATE INDEX idx_responses_removed_at ON responses(removed_at);

CREATE TABLE questions (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    number TEXT,
    text TEXT NOT NULL,
    answer TEXT,
    PRIMARY KEY (response_id, position)
);

CREATE TABLE exemptions (
    section INTEGER PRIMARY KEY,
    name TEXT,
    kind TEXT,                      -- absolute / qualified / procedural
    legislation_url TEXT
);

CREATE TABLE response_exemptions (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    section INTEGER NOT NULL REFERENCES exemptions(section),
    subsection TEXT,
    citation TEXT,
    ncnd INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (response_id, position)
);
CREATE INDEX idx_response_exemptions_section ON response_exemptions(section);

CREATE TABLE links (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    text TEXT,
    url TEXT NOT NULL,
    PRIMARY KEY (response_id, position)
);
CREATE INDEX idx_links_url ON links(url);

CREATE TABLE attachments (
    id INTEGER PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    position INTEGER,
    url TEXT NOT NULL,
    title TEXT,
    type TEXT,
    bytes INTEGER,
    sha256 TEXT,
    content_type TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    last_changed TEXT,
    removed_at TEXT,
    text TEXT,
    error TEXT,
    extracted_at TEXT,
    UNIQUE (response_id, url)
);
CREATE INDEX idx_attachments_url ON attachments(url);
CREATE INDEX idx_attachments_type ON attachments(type);

CREATE TABLE crawl_runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT,
    finished_at TEXT,
    site TEXT,
    new INTEGER,
    changed INTEGER,
    removed INTEGER,
    unchanged INTEGER,
    failed INTEGER,
    requests INTEGER,
    bytes INTEGER,
    duration_s REAL,
    parse_yield REAL,
    exit_code INTEGER,
    details TEXT                    -- JSON: everything else the crawler reported
);
CREATE INDEX idx_crawl_runs_finished_at ON crawl_runs(finished_at);

CREATE VIEW responses_with_exemptions AS
SELECT
    r.id, r.reference, r.title, r.month, r.published, r.outcome, r.ncnd,
    r.question_count, r.attachment_count,
    (SELECT json_group_array(label) FROM (
        SELECT DISTINCT 's' || re.section || coalesce(' ' || e.name, '') AS label
        FROM response_exemptions re LEFT JOIN exemptions e ON e.section = re.section
        WHERE re.response_id = r.id ORDER BY re.section)) AS exemptions,
    (SELECT json_group_array(section) FROM (
        SELECT DISTINCT section FROM response_exemptions
        WHERE response_id = r.id ORDER BY section)) AS exemption_sections,
    r.url, r.first_seen, r.last_changed, r.removed_at
FROM responses r;

CREATE VIEW exemption_counts_by_month AS
SELECT r.month, re.section, e.name, count(DISTINCT r.id) AS responses
FROM response_exemptions re
JOIN responses r ON r.id = re.response_id
LEFT JOIN exemptions e ON e.section = re.section
GROUP BY r.month, re.section;

CREATE VIEW outcome_counts_by_month AS
SELECT month, outcome, count(*) AS responses
FROM responses
GROUP BY month, outcome;
"""

# (table, columns) with FTS5 kept in sync by triggers on every insert/update/delete.
FTS_TABLES = (
    ("responses", ("title", "request_text", "body_text")),
    ("questions", ("text", "answer")),
    ("attachments", ("title", "text")),
)


def fts_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    """External-content FTS5 table plus the triggers that keep it in step.

    The update trigger fires only when an indexed column changes, so the nightly
    `last_seen` bump does not re-index every document. `content="<table>"` is the
    form Datasette detects, so `?_search=` works on the table pages too.
    """
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    delete = f"INSERT INTO {fts} ({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old});"
    insert = f"INSERT INTO {fts} (rowid, {cols}) VALUES (new.rowid, {new});"
    return [
        f"CREATE VIRTUAL TABLE {fts} USING FTS5 ({cols}, tokenize='porter unicode61', "
        f'content="{table}")',
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
    ]


def _statements(script: str) -> list[str]:
    # executescript() would COMMIT our migration transaction, so run statements singly.
    return [s.strip() for s in script.split(";\n") if s.strip()]


def _migrate_v1(db: sqlite_utils.Database) -> None:
    statements = _statements(_V1)
    for table, columns in FTS_TABLES:
        statements += fts_sql(table, columns)
    for statement in statements:
        db.conn.execute(statement)


# Every change of a response the archive records, written in the same transaction as
# the change itself: new, changed, removed, restored.
_V2 = """
CREATE TABLE response_events (
    id INTEGER PRIMARY KEY,
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    event TEXT NOT NULL CHECK (event IN ('new', 'changed', 'removed', 'restored')),
    at TEXT NOT NULL,
    run_id INTEGER
);
CREATE INDEX idx_response_events_response_id ON response_events(response_id, at);
CREATE INDEX idx_response_events_at ON response_events(at)
"""

# Which force published the response (the platform's English slug) and in which language.
_V3 = """
ALTER TABLE responses ADD COLUMN force TEXT;
ALTER TABLE responses ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
CREATE INDEX idx_responses_force ON responses(force);
UPDATE responses SET force = substr(id, 1, instr(id, '/') - 1) WHERE force IS NULL AND instr(id, '/') > 0
"""


# What a downloaded attachment adds (db/attachments.py): its fetch and extraction
# state, and every sheet of a spreadsheet or Word table as rows of JSON. IF NOT EXISTS:
# archives made before this migration already have them (they were created per page).
_V6 = """
CREATE TABLE IF NOT EXISTS attachment_state (
    attachment_id INTEGER PRIMARY KEY REFERENCES attachments(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    http_status INTEGER,            -- last answer: 200, 304, 404...; 0 no answer
    fetch_error TEXT,               -- why the last download failed (old text kept)
    checked_at TEXT,                -- last time we asked the site for the file
    gone_since TEXT,                -- first 404/410 of the current absence
    offsite INTEGER NOT NULL DEFAULT 0,  -- a link to another host: listed, never fetched
    page_version INTEGER,           -- version in the raw page store the text came from
    extractor_version TEXT,
    extract_ms REAL,
    truncated INTEGER NOT NULL DEFAULT 0,
    pages INTEGER,
    notes TEXT                      -- JSON array: "decoded as cp1252", "no text layer"...
);
CREATE TABLE IF NOT EXISTS attachment_sheets (
    attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,      -- 1-based order in the workbook
    sheet TEXT NOT NULL,            -- the sheet's name ("Table 1" for a Word table)
    header TEXT NOT NULL,           -- JSON array of column names (unique, non-empty)
    header_row INTEGER NOT NULL,    -- source row of the header, 0 when none was found
    preamble TEXT,                  -- title lines above the header
    row_count INTEGER NOT NULL,
    column_count INTEGER NOT NULL,
    truncated INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (attachment_id, position),
    UNIQUE (attachment_id, sheet)
);
CREATE TABLE IF NOT EXISTS attachment_rows (
    attachment_id INTEGER NOT NULL REFERENCES attachments(id) ON DELETE CASCADE,
    sheet TEXT NOT NULL,
    row_number INTEGER NOT NULL,    -- the row number a reader sees in the spreadsheet
    cells TEXT NOT NULL,            -- JSON array of cell texts, in header order
    record TEXT NOT NULL,           -- JSON object keyed by header: json_extract(record, '$.Borough')
    PRIMARY KEY (attachment_id, sheet, row_number)
);
CREATE VIEW IF NOT EXISTS attachment_table_rows AS
SELECT a.response_id, a.id AS attachment_id, a.title AS attachment_title, a.url AS attachment_url,
       r.sheet, r.row_number, r.record, r.cells
FROM attachment_rows r JOIN attachments a ON a.id = r.attachment_id
"""


# Each answer once with the questions it answers (`questions.answer_id` points at it),
# and the page's data tables as cells; loaded by db/answers.py.
_V4 = """
CREATE TABLE answers (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,      -- 1, 2, ... in the order the reply gives them
    question_numbers TEXT NOT NULL, -- JSON list: ["7", "8", "9", "10"]
    question_count INTEGER NOT NULL,
    text TEXT NOT NULL,
    table_count INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (response_id, position)
);
ALTER TABLE questions ADD COLUMN answer_id INTEGER;
CREATE TABLE response_tables (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,      -- 1, 2, ... in page order
    answer_id INTEGER,              -- answers.position of the answer holding it; NULL: none
    row_count INTEGER NOT NULL,
    column_count INTEGER NOT NULL,
    header_rows INTEGER NOT NULL DEFAULT 0,
    line INTEGER NOT NULL,          -- its first row's index in body_text's lines (0 = first)
    PRIMARY KEY (response_id, position)
);
CREATE TABLE response_table_cells (
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    table_position INTEGER NOT NULL,
    row INTEGER NOT NULL,           -- 1 = first row, heading rows included
    col INTEGER NOT NULL,
    text TEXT NOT NULL,
    header INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (response_id, table_position, row, col)
);
CREATE VIEW response_table_rows AS
SELECT c.response_id, c.table_position, c.row, max(c.header) AS header,
    json_group_array(c.text) AS cells,
    json_group_object(coalesce(nullif(h.text, ''), 'column ' || c.col), c.text) AS record
FROM (SELECT * FROM response_table_cells ORDER BY response_id, table_position, row, col) c
JOIN response_tables t ON t.response_id = c.response_id AND t.position = c.table_position
LEFT JOIN response_table_cells h ON h.response_id = c.response_id
    AND h.table_position = c.table_position AND h.row = t.header_rows AND h.col = c.col
GROUP BY c.response_id, c.table_position, c.row
"""


def _migrate_v4(db: sqlite_utils.Database) -> None:
    for statement in _statements(_V4) + fts_sql("answers", ("text",)):
        db.conn.execute(statement)


# Where a response first came from: the live site, or a web archive (WARC import), and
# when that web archive captured it (see db/web_archive.py, docs/web-archives.md).
_V7 = """
ALTER TABLE responses ADD COLUMN source TEXT NOT NULL DEFAULT 'live';
ALTER TABLE responses ADD COLUMN captured_at TEXT
"""


def _migrate_v5(db: sqlite_utils.Database) -> None:
    from db.round_robins import SCHEMA

    for statement in _statements(SCHEMA):
        db.conn.execute(statement)


def _migrate_v12(db: sqlite_utils.Database) -> None:
    from db.round_robins import MIGRATION_12

    for statement in _statements(MIGRATION_12):
        db.conn.execute(statement)


def _script(script: str) -> Callable[[sqlite_utils.Database], None]:
    def migrate(db: sqlite_utils.Database) -> None:
        for statement in _statements(script):
            db.conn.execute(statement)

    return migrate


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    1: _migrate_v1,
    2: _script(_V2),
    3: _script(_V3),
    6: _script(_V6),
    4: _migrate_v4,
    7: _script(_V7),
    8: _script(languages.MIGRATION),
    5: _migrate_v5,  # round robins (db/round_robins.py)
    9: scale.migrate,  # FTS re-indexed only on a real text change (db/scale.py)
    11: _script(languages.MIGRATION_11),  # a response's text stored once (db/languages.py)
    13: _script(views.MIGRATION),  # force and language in responses_with_exemptions
    10: search_indexes.migrate,  # search at national scale (db/search_indexes.py)
    12: _migrate_v12,  # round robins: capped, dated buckets; regrouped (db/round_robins.py)
}
SCHEMA_VERSION = max(MIGRATIONS)


class SchemaError(Exception):
    """The archive cannot be used by this version of foilog."""


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create or migrate the archive; set this connection's pragmas. Idempotent."""
    conn = db.conn
    conn.execute("PRAGMA busy_timeout = 10000")
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_version "
        "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    found, known = current_version(db), max(MIGRATIONS)
    if found > known:
        raise SchemaError(
            f"archive schema version {found} is newer than this foilog knows ({known}): "
            "upgrade foilog before writing to it"
        )
    # Each migration is applied once by its own number (not "everything above the
    # highest"), so migrations numbered on parallel branches can land in any order.
    for version in sorted(set(MIGRATIONS) - applied_versions(db)):
        _apply(db, version)
    sync_catalogue(db)


def current_version(db: sqlite_utils.Database) -> int:
    row = db.conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def applied_versions(db: sqlite_utils.Database) -> set[int]:
    return {v for (v,) in db.conn.execute("SELECT version FROM schema_version")}


def _apply(db: sqlite_utils.Database, version: int) -> None:
    # One IMMEDIATE transaction per migration: two processes starting at once must not
    # both run it, and a failure leaves the archive at the previous version.
    with transaction(db):
        if version not in applied_versions(db):
            MIGRATIONS[version](db)
            db.conn.execute(
                "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                (version, datetime.now(UTC).isoformat(timespec="seconds")),
            )


def sync_catalogue(db: sqlite_utils.Database) -> None:
    """Fill `exemptions` from the FOIA catalogue (names, kinds, legislation links)."""
    try:
        from parsers.foia import CATALOGUE
    except ImportError:
        return  # catalogue not available yet: load_response seeds names from records
    rows = [(s.section, s.name, s.kind, s.legislation_url) for s in CATALOGUE.values()]
    with transaction(db):
        db.conn.executemany(
            "INSERT INTO exemptions (section, name, kind, legislation_url) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(section) DO UPDATE SET name = excluded.name, kind = excluded.kind, "
            "legislation_url = excluded.legislation_url "
            "WHERE (name, kind, legislation_url) IS NOT (excluded.name, excluded.kind, "
            "excluded.legislation_url)",
            rows,
        )
