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
