"""The batched reparse writer leaves the archive exactly as loading one record at a time.

One raw store of the whole mirror (every force, Welsh twins, attachments) and one
archive made from part of it, then changed the ways a real archive drifts from its
pages: rows read by an older parser, records an older parser read differently, language
version rows missing or stale, attachments no longer listed or not yet listed, history
set by refreshes. `foilog reparse` then runs on two copies, one with the batch path
(db/reparse_batch.py `load_batch`), one with `load_response` for every record
(`load_each`), and every table is compared row by row, rowids included.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

import db.reparse as reparse_module
from db.load import response_key
from db.pages import PageStore
from db.reparse import is_response_page, reparse
from db.reparse_batch import load_each
from db.schema import ensure_schema
from parsers import parse_response
from tests.archive.build import BASE_URL, SITE

FETCHED = "2026-10-01T01:00:00+00:00"
REFETCHED = "2026-10-02T01:00:00+00:00"
MIRROR = "http://127.0.0.1:8123"  # the same page under a mirror's host: the same response


def _mirror_pages() -> list[tuple[str, Path]]:
    """(live URL, file) of every page of the offline mirror, in a fixed order."""
    pages = []
    for path in sorted(SITE.rglob("index.html")):
        relative = path.relative_to(SITE).parent.as_posix()
        host, _, rest = relative.partition("/")
        if host.startswith("www."):
            pages.append((f"https://{host}/{rest}/", path))
        else:
            pages.append((f"{BASE_URL}/{relative}/", path))
    return pages


def _welsh_only(pages: list[tuple[str, Path]]) -> list[tuple[str, Path]]:
    """The pages without the English twin of the first Welsh one: a response whose
    main version is Welsh."""
    welsh = next(url for url, _ in pages if "/cy-GB/" in url)
    twin = [
        url
        for url, _ in pages
        if url != welsh and is_response_page(url) and response_key(url) == response_key(welsh)
    ]
    assert twin
    return [(url, path) for url, path in pages if url not in twin]


def _failing(urls: set[str]):
    def parse(body, url):
        if url in urls:
            raise ValueError("content root not found")
        return parse_response(body, url)

    return parse


@pytest.fixture
def drifted(tmp_path, monkeypatch):
    """(archive path, page store path, URLs that fail to parse) as described above."""
    pages = _welsh_only(_mirror_pages())
    assert len(pages) > 200
    # one page in four is new to the archive, met among the others in the store's order
    new = [page for i, page in enumerate(pages) if i % 4 == 1 and "/cy-GB/" not in page[0]]
    archived = [page for page in pages if page not in new]
    lister = f"{BASE_URL}/foi-ai/af/accessing-information/published-items/"
    archive = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(archive)
    first = PageStore(tmp_path / "first.db")
    for url, path in archived:
        first.store(url, 200, {}, path.read_bytes(), FETCHED)
    reparse(archive, first)
    first.close()
    _drift(archive)
    archive.close()

    store = PageStore(tmp_path / "pages.db")
    for url, path in archived:
        store.store(url, 200, {}, path.read_bytes(), FETCHED)
    for url, path in new:
        store.store(url, 200, {}, path.read_bytes(), REFETCHED)
    store.store(lister, 200, {}, b"<p/>", FETCHED)
    # a page stored under a mirror's host too (one response met twice), a page gone
    url, path = archived[5]
    store.store(
        url.replace("https://www.met.police.uk", MIRROR), 200, {}, path.read_bytes(), REFETCHED
    )
    store.store(archived[9][0], 404, {}, b"", REFETCHED)
    # a new fetch of an archived page with other bytes (the same record)
    url, path = archived[12]
    store.store(url, 200, {}, path.read_bytes() + b"<!-- token -->", REFETCHED)
    store.close()
    failing = {archived[3][0], new[-2][0]}
    monkeypatch.setattr(reparse_module, "parse_response", _failing(failing))
    return tmp_path / "foi.db", tmp_path / "pages.db", failing


def _drift(archive: sqlite_utils.Database) -> None:
    """An archive as refreshes and older parsers left it."""
    ids = [row[0] for row in archive.conn.execute("SELECT id FROM responses ORDER BY id")]
    every = {n: ids[n::7] for n in range(7)}

    def update(sql: str, rids: list[str]) -> None:
        archive.conn.execute(sql % ", ".join("?" for _ in rids), rids)

    # an older parser read most rows the same (every[0] keeps the current version)
    update("UPDATE responses SET parser_version = 'old' WHERE id NOT IN (%s)", every[0])
    update("UPDATE responses SET warnings = '[\"stale\"]' WHERE id IN (%s)", every[1] + every[0])
    # and some differently (the title, or just the digest)
    update(
        "UPDATE responses SET record_sha256 = 'old', title = title || '.' WHERE id IN (%s)",
        every[2],
    )
    update("UPDATE responses SET record_sha256 = 'old' WHERE id IN (%s)", every[3][:5])
    # history from refreshes: seen later and removed; changed on the site
    update(
        "UPDATE responses SET last_seen = '2026-11-05T00:00:00+00:00', "
        "removed_at = '2026-11-06T00:00:00+00:00' WHERE id IN (%s)",
        every[4],
    )
    update(
        "UPDATE responses SET last_changed = '2026-11-01T00:00:00+00:00', "
        "content_sha256 = 'other' WHERE id IN (%s)",
        every[5],
    )
    # language version rows missing, stale and seen later
    update("DELETE FROM language_versions WHERE response_id IN (%s)", every[6])
    update(
        "UPDATE language_versions SET title = 'stale', last_seen = '2026-11-07T00:00:00+00:00' "
        "WHERE response_id IN (%s)",
        every[1],
    )
    # attachments: one not yet in the archive, one removed, two no longer listed
    sql = archive.conn.execute
    listed = sql("SELECT id, response_id FROM attachments ORDER BY id").fetchall()
    assert len(listed) > 6
    sql("UPDATE attachments SET last_seen = '2026-09-30T00:00:00+00:00'")
    sql("DELETE FROM attachments WHERE id = ?", (listed[0][0],))
    sql("UPDATE attachments SET removed_at = '2026-11-02' WHERE id = ?", (listed[3][0],))
    for _, rid in listed[4:6]:
        sql(
            "INSERT INTO attachments (response_id, position, url, title, first_seen, last_seen)"
            " VALUES (?, 99, 'https://example.org/gone.pdf', 'gone', '2026-01-01', '2026-01-01')",
            (rid,),
        )
    archive.conn.commit()


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every table's rows (rowids included where there are), FTS shadow tables too."""
    conn = sqlite3.connect(path)
    out = {}
    for name, sql in conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'"):
        if sql.upper().startswith("CREATE VIRTUAL"):
            continue  # its shadow tables are compared
        try:
            rows = conn.execute(f'SELECT rowid, * FROM "{name}" ORDER BY rowid').fetchall()
        except sqlite3.OperationalError:  # WITHOUT ROWID
            rows = sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        out[name] = rows
    conn.close()
    return out


@pytest.mark.parametrize("batch", [200, 6])
def test_the_batch_path_writes_what_loading_each_record_writes(drifted, monkeypatch, batch):
    archive, pages, failing = drifted
    monkeypatch.setattr(reparse_module, "BATCH", batch)
    summaries, tables = {}, {}
    for name in ("each", "batch"):
        copy = archive.with_name(f"{name}.db")
        shutil.copy(archive, copy)
        with monkeypatch.context() as patch:
            if name == "each":
                patch.setattr(reparse_module, "load_batch", load_each)
            db = sqlite_utils.Database(copy)
            store = PageStore(pages)
            summaries[name] = reparse(db, store)
            store.close()
            db.close()
        tables[name] = _tables(copy)

    summary = summaries["batch"]
    assert summary == summaries["each"]
    assert {e["url"] for e in summary["errors"]} == failing
    # every kind of page met: new, changed, unchanged (both versions), failed, skipped
    assert min(summary[k] for k in ("new", "changed", "unchanged", "failed", "skipped")) >= 1
    assert summary["unchanged"] > summary["changed"]
    assert tables["batch"].keys() == tables["each"].keys()
    for table, rows in tables["each"].items():
        assert tables["batch"][table] == rows, table
    assert tables["batch"]["attachments"] and tables["batch"]["language_versions"]
