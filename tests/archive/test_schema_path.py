"""One schema path: every archive table comes from db.schema's migrations."""

from __future__ import annotations

import sqlite_utils

from db.schema import MIGRATIONS, current_version, ensure_schema

ATTACHMENT_TABLES = {"attachment_state", "attachment_sheets", "attachment_rows"}


def test_attachment_tables_are_migration_6(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    assert 6 in MIGRATIONS and current_version(db) >= 6
    assert ATTACHMENT_TABLES <= set(db.table_names())
    assert "attachment_table_rows" in db.view_names()


def test_an_archive_that_already_has_the_tables_migrates_to_6(tmp_path):
    # before migration 6, db/attachments.py created the tables on every page
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    db.execute("DELETE FROM schema_version WHERE version = 6")
    db.conn.commit()
    schema_before = db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall()
    ensure_schema(db)
    assert current_version(db) >= 6
    assert db.execute("SELECT sql FROM sqlite_master ORDER BY name").fetchall() == schema_before


def test_ensure_schema_on_a_current_archive_writes_nothing(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    changes = db.conn.total_changes
    ensure_schema(db)
    assert db.conn.total_changes == changes
