"""Re-parsing stored raw pages: rows follow the parser, history stays, failures reported."""

from __future__ import annotations

import dataclasses

import pytest
import sqlite_utils
from click.testing import CliRunner

import db.reparse as reparse_module
from db.load import Provenance, load_response, response_key
from db.pages import PageStore
from db.reparse import reparse
from db.schema import ensure_schema
from foilog.cli import cli
from parsers import parse_response
from tests.archive.build import BASE_URL, SITE, manifest

FETCHED = "2026-10-01T01:00:00+00:00"
LOADED = "2026-10-01T01:00:05+00:00"


@pytest.fixture
def stores(tmp_path):
    """An archive and a page store holding three mirror pages and a listing page."""
    pages = PageStore(tmp_path / "pages.db")
    entries = manifest()[:3]
    for entry in entries:
        body = (SITE / entry["path"]).read_bytes()
        pages.store(BASE_URL + entry["url_path"], 200, {}, body, FETCHED)
    pages.store(
        BASE_URL + "/foi-ai/af/accessing-information/published-items/",
        200,
        {},
        b"<html>lister</html>",
        FETCHED,
    )
    archive = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(archive)
    yield archive, pages, [BASE_URL + e["url_path"] for e in entries]
    pages.close()


def test_reparse_loads_every_stored_response_page(stores):
    archive, pages, urls = stores
    counts = reparse(archive, pages)
    assert (counts["parsed"], counts["new"], counts["failed"]) == (3, 3, 0)
    assert counts["skipped"] == 1  # the lister page is stored but is not a response
    assert {r["url"] for r in archive["responses"].rows} == set(urls)
    again = reparse(archive, pages)
    assert (again["unchanged"], again["changed"]) == (3, 0)


def test_reparse_rewrites_stale_rows_without_moving_history(stores):
    archive, pages, urls = stores
    url = urls[0]
    page = pages.latest(url)
    fresh = parse_response(page.body, url)
    stale = dataclasses.replace(fresh, title="What an older parser made of it", questions=())
    load_response(archive, stale, Provenance(url, page.fetched_at, page.sha256), now=LOADED)
    archive.execute("update responses set last_seen = '2026-11-01T00:00:00+00:00'")
    archive.conn.commit()

    counts = reparse(archive, pages)
    assert counts["changed"] == 1
    row = archive["responses"].get(response_key(url))
    assert row["title"] == fresh.title
    assert row["question_count"] == len(fresh.questions)
    assert archive["questions"].count_where("response_id = ?", [row["id"]]) == len(fresh.questions)
    # Same bytes: the site did not change, so last_changed stays; nor was it visited.
    assert row["last_changed"] == LOADED
    assert row["last_seen"] == "2026-11-01T00:00:00+00:00"


def test_a_page_that_fails_to_parse_keeps_its_row_and_is_reported(stores, monkeypatch):
    archive, pages, urls = stores
    reparse(archive, pages)
    before = archive["responses"].get(response_key(urls[1]))

    def broken_parser(body, url):
        if url == urls[1]:
            raise ValueError("content root not found")
        return parse_response(body, url)

    monkeypatch.setattr(reparse_module, "parse_response", broken_parser)
    counts = reparse(archive, pages)
    assert counts["failed"] == 1
    assert counts["errors"] == [{"url": urls[1], "error": "ValueError: content root not found"}]
    assert archive["responses"].get(response_key(urls[1])) == before


def test_reparse_command_prints_a_summary(stores, tmp_path):
    result = CliRunner().invoke(
        cli, ["reparse", "--db", str(tmp_path / "foi.db"), "--pages-db", str(tmp_path / "pages.db")]
    )
    assert result.exit_code == 0, result.output
    assert "reparsed 3 pages: 3 new" in result.output


def test_reparse_command_without_a_page_store_exits_2(tmp_path):
    result = CliRunner().invoke(
        cli,
        ["reparse", "--db", str(tmp_path / "foi.db"), "--pages-db", str(tmp_path / "missing.db")],
    )
    assert result.exit_code == 2
    assert "no raw page store at" in result.output
    assert not (tmp_path / "missing.db").exists()


def _dump(archive, table: str) -> list[tuple]:
    return archive.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()


def test_pages_a_new_parser_reads_the_same_are_counted_not_rewritten(stores, tmp_path):
    """After a parser fix most records are unchanged: their child rows stay as they are
    (same rowids, FTS untouched), the row takes the new parser version, and the archive
    ends the same as a fresh reparse into an empty archive."""
    archive, pages, urls = stores
    reparse(archive, pages)
    archive.execute("UPDATE responses SET parser_version = 'old', warnings = '[\"stale\"]'")
    archive.conn.commit()
    questions = archive.conn.execute("SELECT rowid, * FROM questions ORDER BY rowid").fetchall()
    assert questions

    counts = reparse(archive, pages)
    assert (counts["parsed"], counts["unchanged"], counts["changed"]) == (3, 3, 0)
    assert archive.conn.execute("SELECT rowid, * FROM questions ORDER BY rowid").fetchall() == (
        questions
    )
    assert {r["parser_version"] for r in archive["responses"].rows} != {"old"}
    fresh = sqlite_utils.Database(tmp_path / "fresh.db")
    ensure_schema(fresh)
    reparse(fresh, pages)
    for table in ("responses", "questions", "answers", "attachments", "response_languages"):
        assert _dump(archive, table) == _dump(fresh, table), table
    for table in ("responses", "questions"):
        archive.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('integrity-check')")


def test_a_changed_record_keeps_the_child_rows_it_did_not_change(stores):
    archive, pages, urls = stores
    reparse(archive, pages)
    questions = archive.conn.execute("SELECT rowid, * FROM questions ORDER BY rowid").fetchall()
    # another reading of the title only: the questions are the same rows
    archive.execute("UPDATE responses SET record_sha256 = 'old', title = 'old title'")
    archive.execute("UPDATE links SET text = 'old text' WHERE position = 1")
    archive.conn.commit()
    links = archive.conn.execute("SELECT count(*) FROM links").fetchone()

    counts = reparse(archive, pages)
    assert counts["changed"] == 3
    assert archive.conn.execute("SELECT rowid, * FROM questions ORDER BY rowid").fetchall() == (
        questions
    )
    assert "old title" not in {r["title"] for r in archive["responses"].rows}
    assert archive.conn.execute(
        "SELECT count(*) FROM links WHERE text = 'old text'"
    ).fetchone() == (0,)
    assert archive.conn.execute("SELECT count(*) FROM links").fetchone() == links
    for table in ("responses", "questions"):
        archive.execute(f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)")
