"""An import into an empty archive indexes its rows once at the end: the same index
the row-by-row triggers build, and a crash in between loses no trigger."""

from __future__ import annotations

import contextlib
import sqlite3

import scraper.warc_import as warc_import
from db.bulk_fts import MARKER, defer_fts_if_empty, fts_deferred_if_empty
from db.files import open_archive, open_page_store
from db.load import Provenance, load_response
from parsers import parse_response
from scraper.warc_targets import SiteTargets
from tests.warc.conftest import LIVE, Rec, write_warc

FTS = ("responses", "questions", "answers")


def _import(tmp_path, name: str, warc) -> sqlite3.Connection:
    store = open_page_store(tmp_path / f"{name}-pages.db")
    archive = open_archive(tmp_path / f"{name}.db")
    try:
        summary = warc_import.WarcImport(store, archive, SiteTargets()).run([warc], jobs=1)
    finally:
        store.close()
        archive.close()
    assert summary.outcomes["new"] == 10
    return sqlite3.connect(tmp_path / f"{name}.db")


def _index(conn: sqlite3.Connection, table: str) -> list[tuple]:
    """Every token instance the FTS index holds: (term, rowid, column, offset)."""
    conn.execute(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.{table}_vocab "
        f"USING fts5vocab(main, {table}_fts, 'instance')"
    )
    return conn.execute(f"SELECT * FROM temp.{table}_vocab ORDER BY 1, 2, 3, 4").fetchall()


def _facets(conn: sqlite3.Connection) -> list[tuple]:
    """The facet counts (db/facet_counts.py) that are not zero."""
    return conn.execute(
        "SELECT * FROM facet_counts WHERE count != 0 ORDER BY 1, 2, 3, 4"
    ).fetchall()


def _triggers(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()


def test_an_import_into_an_empty_archive_builds_the_index_the_triggers_build(
    tmp_path, pages, monkeypatch
):
    records = [Rec(LIVE + p["url_path"], p["body"], "2023-05-01T10:00:00Z") for p in pages[:10]]
    warc = write_warc(tmp_path / "capture.warc.gz", records)
    bulk = _import(tmp_path, "bulk", warc)
    monkeypatch.setattr(warc_import, "fts_deferred_if_empty", lambda db: contextlib.nullcontext())
    row_by_row = _import(tmp_path, "rows", warc)

    assert _triggers(bulk) == _triggers(row_by_row)
    assert _facets(bulk) == _facets(row_by_row) and _facets(bulk)
    for table in FTS:
        index = _index(bulk, table)
        assert index and index == _index(row_by_row, table), table
        bulk.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")
    assert not bulk.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MARKER,)).fetchone()


def test_an_archive_left_mid_import_gets_its_index_and_triggers_back(tmp_path, pages):
    expected = _triggers(open_archive(tmp_path / "fresh.db").conn)
    archive = open_archive(tmp_path / "foi.db")
    assert defer_fts_if_empty(archive) is True  # and never restored: the process died here
    page = pages[0]
    url = LIVE + page["url_path"]
    response = parse_response(page["body"], url)
    load_response(archive, response, Provenance(url, "2023-05-01T10:00:00+00:00", "sha"))
    assert _triggers(archive.conn) != expected
    archive.conn.close()

    conn = open_archive(tmp_path / "foi.db").conn
    assert _triggers(conn) == expected
    assert conn.execute(
        "SELECT count FROM facet_counts WHERE filter = '' AND facet = 'force' AND value = ?",
        (response.force,),
    ).fetchone() == (1,)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MARKER,)).fetchone()
    for table in FTS:
        assert _index(conn, table), table
        conn.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")


def test_an_archive_holding_responses_keeps_its_triggers(tmp_path, pages):
    archive = open_archive(tmp_path / "foi.db")
    page = pages[0]
    url = LIVE + page["url_path"]
    load_response(archive, parse_response(page["body"], url), Provenance(url, "2023", "sha"))
    with fts_deferred_if_empty(archive) as deferred:
        assert deferred is False
        assert len(_triggers(archive.conn)) >= 3 * len(FTS)
