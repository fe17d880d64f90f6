"""Serving while the nightly refresh writes: readers never block, and see each commit."""

from __future__ import annotations

import sqlite_utils

from db.load import Provenance, load_response, transaction
from db.schema import ensure_schema
from plugins.app import build_datasette
from tests.archive.records import make_response

COUNT = "/foi.json?sql=select+count(*)+as+n+from+responses&_shape=array"


async def test_pages_answer_during_a_write_and_show_it_once_committed(tmp_path):
    writer = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(writer)
    first = make_response("first")
    load_response(writer, first, Provenance(first.url, "2026-01-01T00:00:00+00:00", "a"))
    ds = build_datasette(tmp_path / "foi.db")
    await ds.invoke_startup()
    assert (await ds.client.get(COUNT)).json() == [{"n": 1}]

    second = make_response("second")
    with transaction(writer):  # the refresh holds the write lock...
        load_response(writer, second, Provenance(second.url, "2026-01-02T00:00:00+00:00", "b"))
        during = await ds.client.get("/")
        assert during.status_code == 200  # ...and readers carry on
        assert (await ds.client.get(COUNT)).json() == [{"n": 1}]
    assert (await ds.client.get(COUNT)).json() == [{"n": 2}]
    page = await ds.client.get("/response/metropolitan-police/disclosure-2024/august-2024/second")
    assert page.status_code == 200


async def test_a_fresh_archive_serves_an_honest_home_page(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    ds = build_datasette(tmp_path / "foi.db")
    await ds.invoke_startup()
    page = await ds.client.get("/")
    assert page.status_code == 200
    assert "The archive has not been refreshed yet." in page.text
    assert "No responses with a month yet." in page.text
    for path in (
        "/foi/search?q=anything",
        "/search?q=anything",
        "/search.atom",
        "/changes.atom",
        "/foi/responses",
    ):
        assert (await ds.client.get(path)).status_code == 200, path


async def test_a_response_without_questions_shows_its_request(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    bare = make_response(
        "bare",
        questions=(),
        exemptions=(),
        attachments=(),
        links=(),
        request_text="Please send me the policy.",
        warnings=("no questions found",),
    )
    load_response(db, bare, Provenance(bare.url, "2026-01-01T00:00:00+00:00", "a"))
    ds = build_datasette(tmp_path / "foi.db")
    page = (
        await ds.client.get("/response/metropolitan-police/disclosure-2024/august-2024/bare")
    ).text
    assert "<h2>The request</h2>" in page and "Please send me the policy." in page
    assert "No exemptions cited." in page
    assert "qa-pair" not in page
    assert "Parser notes (1)" in page and "no questions found" in page
