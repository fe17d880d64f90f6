"""A quiet serve terminal, `foilog serve --pages-db`, and table pages fit for browsing."""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import httpx
import sqlite_utils
from click.testing import CliRunner

from db.schema import ensure_schema
from foilog.child_server import start_server
from foilog.cli import cli


def test_serve_with_a_missing_raw_store_exits_2_with_one_line(tmp_path):
    ensure_schema(sqlite_utils.Database(tmp_path / "foi.db"))
    result = CliRunner().invoke(
        cli, ["serve", "--db", str(tmp_path / "foi.db"), "--pages-db", str(tmp_path / "no.db")]
    )
    assert result.exit_code == 2
    assert "no raw page store at" in result.output
    assert result.output.strip().count("\n") == 0


def test_a_404_is_a_page_and_one_log_line(archive_path):
    foilog = Path(sys.executable).parent / "foilog"
    child = start_server([str(foilog), "serve", "--db", str(archive_path), "--port", "0"])
    process, base = child.process, child.base_url
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(base + "/-/versions.json")
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and process.poll() is None
                time.sleep(0.1)
        for path in ("/response/no/such/response", "/foi/no_such_table", "/ref/01.FOI.00.000000"):
            page = httpx.get(base + path)
            assert page.status_code == 404, path
            assert "Not found" in page.text and 'name="q"' in page.text  # a way on
        assert httpx.get(base + "/search.json?section=abc").status_code == 400
    finally:
        child.close()
    log = child.stderr_text()
    assert "Traceback" not in log and "locals" not in log
    lines = [line for line in log.splitlines() if line.strip()]
    assert len(lines) == 4, log  # one line per request that went wrong, nothing else
    assert all(re.match(r"foilog: 40[04] GET /", line) for line in lines), log


async def test_responses_table_hides_long_text_until_asked(ds):
    page = (await ds.client.get("/foi/responses")).text
    assert 'class="col-title' in page
    for hidden in ("body_text", "request_text", "content_sha256"):
        assert f'class="col-{hidden}' not in page
    every = (await ds.client.get("/foi/responses?_nocol=record_sha256")).text
    assert 'class="col-body_text' in every
    data = (await ds.client.get("/foi/responses.json?_shape=objects&_size=1")).json()
    assert "body_text" in data["rows"][0]  # the data itself keeps every column


async def test_month_facet_is_in_date_order_and_nothing_is_suggested(ds):
    data = (await ds.client.get("/foi/responses.json?_size=0")).json()
    months = [r["value"] for r in data["facet_results"]["month"]["results"]]
    assert len(months) > 3 and months == sorted(months, reverse=True)
    assert data["suggested_facets"] == []
