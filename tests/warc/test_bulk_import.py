"""An import writes the responses the archive does not hold with db/bulk_load.py, a
batch at a time: the archive and the summary are those of loading each capture one by
one (`load_response`, then `mark_from_web_archive`)."""

from __future__ import annotations

import sqlite3

import scraper.warc_import as warc_import
from db.files import open_archive, open_page_store
from scraper.warc_targets import SiteTargets
from tests.archive.test_bulk_load import dump
from tests.warc.conftest import LIVE, PNG, Rec, write_warc


def _records(pages) -> list[Rec]:
    """New pages, one captured twice (older first), a page the crawler found gone, an
    image, and a page an archive of this URL already holds (a second import)."""
    records = [
        Rec(LIVE + page["url_path"], page["body"], f"2023-05-{day:02d}T10:00:00Z")
        for day, page in enumerate(pages[:12], start=1)
    ]
    records += [
        Rec(LIVE + pages[3]["url_path"], pages[13]["body"], "2023-06-01T10:00:00Z"),
        Rec(LIVE + pages[14]["url_path"], pages[14]["body"], "2023-06-02T10:00:00Z"),
        Rec(LIVE + "/logo.png", PNG, headers=[("Content-Type", "image/png")]),
        Rec(LIVE + pages[1]["url_path"], pages[15]["body"], "2023-04-01T10:00:00Z"),
    ]
    return records


def _import(tmp_path, name: str, warcs, monkeypatch, bulk: bool):
    if not bulk:
        monkeypatch.setattr(warc_import, "new_responses", lambda store, archive, results: {})
    store = open_page_store(tmp_path / f"{name}-pages.db")
    archive = open_archive(tmp_path / f"{name}.db")
    summaries = []
    try:
        for warc in warcs:
            summary = warc_import.WarcImport(store, archive, SiteTargets()).run([warc], jobs=1)
            summaries.append((summary.outcomes, summary.skipped, summary.failures))
    finally:
        store.close()
        archive.close()
    monkeypatch.undo()
    return summaries


def test_new_responses_written_in_bulk_are_those_written_one_by_one(tmp_path, pages, monkeypatch):
    gone = pages[14]["url_path"]
    first = write_warc(tmp_path / "first.warc.gz", _records(pages))
    second = write_warc(
        tmp_path / "second.warc.gz",
        [Rec(LIVE + p["url_path"], p["body"], "2024-01-01T10:00:00Z") for p in pages[10:20]],
    )
    used: list[int] = []
    real = warc_import.new_responses

    def counting(store, archive, results):
        found = real(store, archive, results)
        used.append(len(found))
        return found

    monkeypatch.setattr(warc_import, "new_responses", counting)
    # the crawler found one page gone before the import: marked removed, by the old path
    for name in ("bulk", "rows"):
        store = open_page_store(tmp_path / f"{name}-pages.db")
        store.store(LIVE + gone, 404, {}, b"", "2023-01-01T00:00:00+00:00")
        store.close()
    bulk = _import(tmp_path, "bulk", [first, second], monkeypatch, bulk=True)
    assert sum(used) == 12 + 7  # 12 new pages, then the 7 of the second file not held
    rows = _import(tmp_path, "rows", [first, second], monkeypatch, bulk=False)

    assert bulk == rows
    outcomes = bulk[0][0]
    assert outcomes["new"] == 13 and outcomes["changed"] == 1 and outcomes["older"] == 1
    got, expected = dump(tmp_path / "bulk.db"), dump(tmp_path / "rows.db")
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], table
    conn = sqlite3.connect(tmp_path / "bulk.db")
    assert conn.execute(
        "SELECT count(*) FROM responses WHERE removed_at IS NOT NULL AND url LIKE ?",
        (f"%{gone}",),
    ).fetchone() == (1,)
    assert conn.execute("SELECT DISTINCT source FROM responses").fetchall() == [("web-archive",)]
