"""Backfill: a response removed before our first refresh, known only from a web archive,
is checked on the next refresh and shown for what it is."""

from __future__ import annotations

import html

from plugins.app import build_datasette
from tests.warc.conftest import Rec, foilog, import_warc, rows, write_warc

GONE = "/foi-ai/metropolitan-police/disclosure-2023/may-2023/withdrawn-response-on-drones/"


async def test_archive_only_page_is_not_on_the_site_when_we_first_looked(mirror, pages, tmp_path):
    body = pages[0]["body"]  # a real page, captured at an address the site no longer serves
    captured = write_warc(
        tmp_path / "wayback.warc.gz", [Rec(mirror.url(GONE), body, "2023-05-20T08:30:00Z")]
    )
    assert import_warc(tmp_path, captured, site=mirror.base_url).returncode == 0
    db = tmp_path / "foi.db"
    (rid,) = rows(db, "SELECT id FROM responses")[0]
    page = await _response_page(db, rid)
    assert "captured 2023-05-20; not yet checked on the site" in page

    refresh = foilog(
        "refresh",
        "--site",
        mirror.base_url,
        "--db",
        db,
        "--pages-db",
        tmp_path / "pages.db",
        "--rate",
        "0",
    )
    assert refresh.returncode in (0, 1), refresh.stderr
    assert ("GET", GONE) in {(m, p) for m, p, _ in mirror.request_log}  # checked at once
    (removed,) = rows(db, "SELECT removed_at FROM responses WHERE id = ?", (rid,))[0]
    assert removed is not None
    page = await _response_page(db, rid)
    assert f"captured 2023-05-20, not on the site when we first looked ({removed[:10]})" in page
    # every other response came from the site itself
    assert rows(db, "SELECT DISTINCT source FROM responses WHERE id != ?", (rid,)) == [("live",)]


async def _response_page(db, rid) -> str:
    ds = build_datasette(db)
    await ds.invoke_startup()
    response = await ds.client.get(f"/response/{rid}")
    assert response.status_code == 200
    return html.unescape(response.text)
