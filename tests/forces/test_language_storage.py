"""Migration 11: a response's main text stored once, every version read as before.

An archive made at migration 9 (the real migrations 1-9, `response_languages` a table
holding every version's text, the English one a second copy of `responses.body_text`)
is upgraded; the reader pages, the `response_languages` view and the other views read
the same as an archive written by today's loader, and the main text is not stored twice.
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from db import schema
from db.load import Provenance, load_response
from db.schema import ensure_schema
from plugins.app import build_datasette
from tests.forces.test_language_versions import CY, EN, record

CY_ONLY = CY.replace("licence-plate-offences-3872025", "cwn-heddlu-4012025")
EN_ONLY = EN.replace("licence-plate-offences-3872025", "speed-cameras-4022025")
VIEWS = ("response_languages", "responses_with_exemptions", "outcome_counts_by_month")


def load(db, url, language, title, when, sha="a"):
    return load_response(db, record(url, language, title), Provenance(url, when, sha), now=when)


def written_today(path) -> sqlite_utils.Database:
    """Twins (English edited once), a Welsh-only response, an English-only one."""
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    load(db, CY, "cy", "Troseddau platiau", "2026-01-01")  # Welsh first: main until English
    load(db, EN, "en", "Licence plate offences", "2026-01-02")
    load(db, EN, "en", "Licence plate offences (amended)", "2026-01-03", sha="b")
    load(db, CY_ONLY, "cy", "Cwn heddlu", "2026-01-04")
    load(db, EN_ONLY, "en", "Speed cameras", "2026-01-05")
    return db


def at_migration_9(path, source: sqlite_utils.Database, monkeypatch) -> sqlite_utils.Database:
    """The same archive as migrations 1-9 made it: every version's text in the table."""
    with monkeypatch.context() as patched:
        patched.setattr(
            schema, "MIGRATIONS", {k: v for k, v in schema.MIGRATIONS.items() if k <= 9}
        )
        db = sqlite_utils.Database(path)
        ensure_schema(db)
    assert db.conn.execute(
        "SELECT type FROM sqlite_master WHERE name = 'response_languages'"
    ).fetchone() == ("table",)
    db.conn.execute(
        "ATTACH ? AS today", (str(source.conn.execute("PRAGMA database_list").fetchone()[2]),)
    )
    tables = [
        t
        for (t,) in db.conn.execute(
            "SELECT name FROM today.sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%' "
            "AND name NOT IN ('language_versions', 'schema_version', 'exemptions') "
            "AND name NOT LIKE 'sqlite_%'"
        )
    ]
    with db.conn:
        for table in [*tables, "response_languages"]:
            # Tables and columns later migrations added (search indexes, round robins'
            # index) are not in a migration-9 archive: copy what it has.
            old = [c[1] for c in db.conn.execute(f"PRAGMA main.table_info({table})")]
            if not old:
                continue
            columns = ", ".join(old)
            db.conn.execute(
                f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM today.{table}"
            )
    db.conn.execute("DETACH today")
    return db


def reads(db: sqlite_utils.Database, columns: dict | None = None) -> dict:
    """Each view's rows; only `columns[view]` when given (views later migrations widened,
    e.g. migration 13's force and language, are compared on the columns both have)."""
    return {
        view: db.conn.execute(
            f"SELECT {', '.join(columns[view]) if columns else '*'} FROM {view} ORDER BY 1, 2"
        ).fetchall()
        for view in VIEWS
    }


def view_columns(db: sqlite_utils.Database) -> dict:
    return {view: [c[1] for c in db.conn.execute(f"PRAGMA table_info({view})")] for view in VIEWS}


async def pages(path) -> dict:
    datasette = build_datasette(path)
    await datasette.invoke_startup()
    ids = [r for (r,) in sqlite3.connect(path).execute("SELECT id FROM responses ORDER BY id")]
    paths = [f"/response/{i}" for i in ids] + [
        "/force/dyfed-powys-police",
        "/foi/response_languages.json?_shape=array&_sort=url",
        "/foi/responses.json?_shape=array&_col=title&_col=body_text&_col=language",
    ]
    out = {}
    for page in paths:
        response = await datasette.client.get(page)
        assert response.status_code == 200, page
        out[page] = response.text
    return out


def test_a_fresh_archive_stores_the_main_text_once(tmp_path):
    db = written_today(tmp_path / "today.db")
    stored = dict(
        db.conn.execute(
            "SELECT response_id || ':' || language, body_text FROM language_versions"
        ).fetchall()
    )
    twins = "dyfed-powys-police/disclosure-2025/april/licence-plate-offences-3872025"
    assert stored[f"{twins}:en"] is None  # the response's own text
    assert stored[f"{twins}:cy"] == "Troseddau platiau: body"  # kept when English took over
    versions = dict(
        db.conn.execute(
            "SELECT language, body_text FROM response_languages WHERE response_id = ?", (twins,)
        ).fetchall()
    )
    assert versions == {
        "en": "Licence plate offences (amended): body",
        "cy": "Troseddau platiau: body",
    }
    changed = db.conn.execute(
        "SELECT last_changed FROM response_languages WHERE response_id = ? AND language = 'en'",
        (twins,),
    ).fetchone()
    assert changed == ("2026-01-03",)  # the edit of the main text is seen as a change


@pytest.mark.parametrize("edit", ["none", "english", "welsh"])
async def test_an_archive_at_migration_9_upgrades_without_losing_anything(
    tmp_path, monkeypatch, edit
):
    today = written_today(tmp_path / "today.db")
    old = at_migration_9(tmp_path / "old.db", today, monkeypatch)
    columns = view_columns(old)
    before = reads(old, columns)
    assert before == reads(today, columns)
    ensure_schema(old)  # migration 11
    assert schema.current_version(old) >= 11
    assert reads(old, columns) == before
    assert await pages(tmp_path / "old.db") == await pages(tmp_path / "today.db")
    nulls = old.conn.execute(
        "SELECT count(*) FROM language_versions l JOIN responses r ON r.id = l.response_id "
        "WHERE l.body_text IS NULL AND l.language = r.language"
    ).fetchone()[0]
    assert nulls == 3  # each response's main version: its text only in `responses`
    # and the upgraded archive goes on loading like a new one
    if edit == "english":
        for db in (old, today):
            load(db, EN, "en", "Licence plate offences (v3)", "2026-02-01", sha="c")
    elif edit == "welsh":
        for db in (old, today):
            load(db, CY, "cy", "Troseddau platiau (v2)", "2026-02-01", sha="c")
    assert reads(old) == reads(today)
