"""sync_attachments end to end: the real mirror server on loopback, the crawler's
Fetcher, the raw page store and the archive schema, no mocks."""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from db.attachments import (
    ATTACHMENT_SEARCH_SQL,
    ATTACHMENT_SEARCH_SQL_RAW,
    ensure_attachment_tables,
)
from db.load import Provenance, load_response, response_key
from db.pages import PageStore
from db.schema import ensure_schema
from foilog.fixture_site import TYPES, serve_mirror
from foilog.settings import Settings
from parsers.record import Attachment, Response
from plugins.sqlfunctions import register as register_sql_functions
from scraper.attachments import sync_attachments
from scraper.fetch import Fetcher

ASSETS = "/SysSiteAssets/foi-media/metropolitan-police/"
STOP_SEARCH = ASSETS + "disclosure_2024/march_2024/stop-and-search-by-borough-2023.xlsx"
LFR = ASSETS + "disclosure_2023/november_2023/lfr-deployment-policy.pdf"
FLEET = ASSETS + "disclosure_2024/october_2024/vehicle-fleet-list.csv"
GUIDANCE = ASSETS + "disclosure_2025/february_2025/training-guidance.docx"
CORRUPT = ASSETS + "disclosure_2024/september_2024/custody-deaths-summary.xlsx"
PAGE = "/foi-ai/metropolitan-police/disclosure-2024/march-2024/stop-and-search-borough-2023/"
OFFSITE = "https://assets.example.org/files/outside.xlsx"


@pytest.fixture
def site():
    with serve_mirror() as running:
        yield running


@pytest.fixture
def archive(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    register_sql_functions(db.conn)  # fts_query(), as on Datasette's connections
    yield db
    db.close()


@pytest.fixture
def pages(tmp_path):
    with PageStore(tmp_path / "pages.db") as store:
        yield store


def _attachments(site, *paths: str, offsite: bool = False) -> tuple[Attachment, ...]:
    items = [Attachment(p.rsplit("/", 1)[-1], site.url(p), p.rsplit(".", 1)[-1]) for p in paths]
    if offsite:
        items.append(Attachment("Elsewhere", OFFSITE, "xlsx"))
    return tuple(items)


def _load(archive, site, attachments) -> str:
    url = site.url(PAGE)
    response = Response(
        url=url,
        reference="01.FOI.24.035517",
        title="Stop and search by borough 2023",
        month="2024-03",
        published="2024-03-14",
        request_text="stop and search by borough",
        questions=(),
        exemptions=(),
        outcome="full",
        ncnd=False,
        body_text="see the spreadsheet",
        attachments=attachments,
    )
    load_response(archive, response, Provenance(url, "2024-03-14T10:00:00+00:00", "0" * 64))
    return url


async def _sync(site, pages, archive, url, attachments, now, **settings):
    config = Settings.from_env(site=site.base_url, rate=0, **settings)
    async with Fetcher(config, backoff_base=0.01) as fetcher:
        return await sync_attachments(fetcher, pages, archive, url, attachments, now)


def _row(archive, url):
    return archive.execute(
        "SELECT a.*, s.http_status, s.gone_since, s.offsite, s.page_version FROM attachments a "
        "JOIN attachment_state s ON s.attachment_id = a.id WHERE a.url = ?",
        (url,),
    ).fetchone()


def _cols(archive):
    return [
        d[0]
        for d in archive.execute(
            "SELECT a.*, s.http_status, s.gone_since, s.offsite, s.page_version FROM attachments a "
            "JOIN attachment_state s ON s.attachment_id = a.id LIMIT 0"
        ).description
    ]


def _get(archive, url) -> dict:
    return dict(zip(_cols(archive), _row(archive, url)))


async def test_new_files_are_downloaded_extracted_loaded_and_searchable(site, pages, archive):
    attachments = _attachments(site, STOP_SEARCH, LFR, FLEET, GUIDANCE, CORRUPT, offsite=True)
    url = _load(archive, site, attachments)
    counts = await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    assert counts == {
        "new": 4,
        "changed": 0,
        "unchanged": 0,
        "removed": 0,
        "failed": 1,
        "offsite": 1,
        "bytes": counts["bytes"],
    }
    sizes = [
        len((site.state.root / p.lstrip("/")).read_bytes())
        for p in (STOP_SEARCH, LFR, FLEET, GUIDANCE, CORRUPT)
    ]
    assert counts["bytes"] == sum(sizes)

    sheet = _get(archive, site.url(STOP_SEARCH))
    assert sheet["bytes"] == sizes[0] and len(sheet["sha256"]) == 64
    assert sheet["content_type"] == TYPES[".xlsx"] and sheet["error"] is None
    assert sheet["last_changed"] == sheet["extracted_at"] == "2024-03-15T01:00:00+00:00"
    assert pages.latest(site.url(STOP_SEARCH)).sha256 == sheet["sha256"]

    # searchable: the word only the spreadsheet's notes sheet contains
    hits = archive.execute(ATTACHMENT_SEARCH_SQL, {"q": "Quillfeather"}).fetchall()
    assert len(hits) == 1
    assert hits[0][0] == response_key(url) and hits[0][4] == site.url(STOP_SEARCH)
    assert "<mark>Quillfeather</mark>" in hits[0][-1]
    assert archive.execute(ATTACHMENT_SEARCH_SQL, {"q": "watchlist"}).fetchone()[4] == site.url(LFR)
    # what a person types is made safe: no FTS5 syntax error on s.40(2) or a stray quote
    assert archive.execute(ATTACHMENT_SEARCH_SQL, {"q": 's.40(2) "unbalanced'}).fetchall() == []
    assert archive.execute(ATTACHMENT_SEARCH_SQL_RAW, {"q": "Quillfeather"}).fetchall() == hits

    # every sheet queryable in SQL with a stable schema
    westminster = archive.execute(
        "SELECT json_extract(record, '$.Total'), row_number FROM attachment_table_rows "
        "WHERE attachment_url = ? AND sheet = 'Searches by month' "
        "AND json_extract(record, '$.Borough') = 'Westminster'",
        (site.url(STOP_SEARCH),),
    ).fetchone()
    assert westminster == ("8021", 36)
    sheets = archive.execute(
        "SELECT sheet, row_count, header FROM attachment_sheets s JOIN attachments a "
        "ON a.id = s.attachment_id WHERE a.url = ? ORDER BY s.position",
        (site.url(STOP_SEARCH),),
    ).fetchall()
    assert [(s, n) for s, n, _ in sheets] == [("Searches by month", 33), ("Notes", 5)]
    assert json.loads(sheets[0][2])[0] == "Borough"
    assert (
        archive.execute(
            "SELECT count(*) FROM attachment_rows r JOIN attachments a ON a.id = r.attachment_id "
            "WHERE a.url = ?",
            (site.url(FLEET),),
        ).fetchone()[0]
        == 61
    )

    # the corrupt file: bytes kept, error recorded, nothing else disturbed
    corrupt = _get(archive, site.url(CORRUPT))
    assert corrupt["error"].startswith("xlsx: ") and corrupt["text"] is None
    assert corrupt["sha256"] and pages.latest(site.url(CORRUPT)) is not None

    # the off-site link: listed, never requested
    elsewhere = _get(archive, OFFSITE)
    assert elsewhere["offsite"] == 1 and elsewhere["sha256"] is None
    assert not any(
        "example.org" in target or "outside" in target for _, target, _ in site.request_log
    )


async def test_same_file_again_is_a_conditional_request_and_unchanged(site, pages, archive):
    attachments = _attachments(site, STOP_SEARCH, LFR)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    before = _get(archive, site.url(STOP_SEARCH))
    site.request_log.clear()
    counts = await _sync(site, pages, archive, url, attachments, "2024-03-16T01:00:00+00:00")
    assert counts["unchanged"] == 2 and counts["new"] == counts["changed"] == 0
    assert counts["bytes"] == 0
    statuses = [status for method, target, status in site.request_log if "SysSiteAssets" in target]
    assert statuses == [304, 304]
    after = _get(archive, site.url(STOP_SEARCH))
    assert after["last_seen"] == "2024-03-16T01:00:00+00:00"
    assert after["last_changed"] == before["last_changed"] == "2024-03-15T01:00:00+00:00"
    assert after["extracted_at"] == before["extracted_at"]
    assert len(pages.versions(site.url(STOP_SEARCH))) == 1


async def test_replaced_file_is_a_new_version_with_new_text_and_tables(site, pages, archive, maker):
    attachments = _attachments(site, FLEET)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-10-02T01:00:00+00:00")
    first = _get(archive, site.url(FLEET))
    assert archive.execute(ATTACHMENT_SEARCH_SQL, {"q": "Berlingo"}).fetchall()
    replacement = "Make,Model,Number in fleet\r\nLand Rover,Defender,42\r\n".encode("cp1252")
    site.add_response(FLEET, replacement, title="replaced", content_type=TYPES[".csv"])
    counts = await _sync(site, pages, archive, url, attachments, "2024-10-09T01:00:00+00:00")
    assert counts["changed"] == 1
    second = _get(archive, site.url(FLEET))
    assert second["sha256"] != first["sha256"] and second["bytes"] == len(replacement)
    assert second["last_changed"] == "2024-10-09T01:00:00+00:00"
    assert second["first_seen"] == first["first_seen"]
    assert second["page_version"] == 2
    versions = pages.versions(site.url(FLEET))
    assert [v.version for v in versions] == [1, 2] and versions[0].sha256 == first["sha256"]
    rows = archive.execute(
        "SELECT json_extract(record, '$.Make') FROM attachment_table_rows WHERE attachment_url = ?",
        (site.url(FLEET),),
    ).fetchall()
    assert rows == [("Land Rover",)]
    assert archive.execute(ATTACHMENT_SEARCH_SQL, {"q": "Defender"}).fetchall()
    assert not archive.execute(ATTACHMENT_SEARCH_SQL, {"q": "Berlingo"}).fetchall()


async def test_404_marks_removed_and_keeps_rows_tables_and_bytes(site, pages, archive):
    attachments = _attachments(site, STOP_SEARCH, LFR)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    site.remove(STOP_SEARCH, status=404)
    counts = await _sync(site, pages, archive, url, attachments, "2024-04-01T01:00:00+00:00")
    assert counts["removed"] == 1 and counts["unchanged"] == 1
    gone = _get(archive, site.url(STOP_SEARCH))
    assert gone["removed_at"] == "2024-04-01T01:00:00+00:00" and gone["http_status"] == 404
    assert "Quillfeather" in gone["text"]
    assert archive.execute(ATTACHMENT_SEARCH_SQL, {"q": "Quillfeather"}).fetchall()
    assert (
        archive.execute(
            "SELECT count(*) FROM attachment_table_rows WHERE attachment_url = ?",
            (site.url(STOP_SEARCH),),
        ).fetchone()[0]
        == 38
    )
    assert pages.latest(site.url(STOP_SEARCH)).body
    # the response page is reloaded the next night (clearing removed_at as still
    # listed) and the file is still gone: the removal date is the first one
    _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-04-02T01:00:00+00:00")
    assert _get(archive, site.url(STOP_SEARCH))["removed_at"] == "2024-04-01T01:00:00+00:00"


async def test_oversize_file_is_aborted_and_recorded(site, pages, archive):
    attachments = _attachments(site, STOP_SEARCH, FLEET)
    url = _load(archive, site, attachments)
    counts = await _sync(
        site,
        pages,
        archive,
        url,
        attachments,
        "2024-03-15T01:00:00+00:00",
        max_attachment_bytes=5000,
    )
    assert counts["failed"] == 1 and counts["new"] == 1
    big = _get(archive, site.url(STOP_SEARCH))
    assert big["error"].startswith("download: ") and big["sha256"] is None and big["text"] is None
    assert pages.latest(site.url(STOP_SEARCH)) is None
    assert _get(archive, site.url(FLEET))["text"]


async def test_a_download_error_keeps_the_last_good_text(site, pages, archive):
    attachments = _attachments(site, LFR)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    site.add_response(LFR, b"x" * 5000, title="too big now", content_type=TYPES[".pdf"])
    counts = await _sync(
        site,
        pages,
        archive,
        url,
        attachments,
        "2024-03-16T01:00:00+00:00",
        max_attachment_bytes=2000,
    )
    assert counts["failed"] == 1
    row = _get(archive, site.url(LFR))
    assert row["error"] is None and "watchlist" in row["text"] and row["page_version"] == 1
    fetch_error = archive.execute(
        "SELECT fetch_error FROM attachment_state WHERE attachment_id = ?", (row["id"],)
    ).fetchone()[0]
    assert "limit" in fetch_error or "2000" in fetch_error


async def test_tables_are_idempotent_and_bad_response_url_does_not_raise(site, pages, archive):
    ensure_attachment_tables(archive)
    ensure_attachment_tables(archive)
    counts = await _sync(
        site, pages, archive, "not a url", _attachments(site, FLEET), "2024-01-01T00:00:00+00:00"
    )
    assert counts["failed"] == 1


async def test_files_of_an_unchanged_page_can_be_rechecked_from_the_archive(site, pages, archive):
    from db.attachments import listed_attachments

    attachments = _attachments(site, STOP_SEARCH, FLEET, offsite=True)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    listed = listed_attachments(archive, url)
    assert [a.url for a in listed] == [a.url for a in attachments]
    site.remove(FLEET, status=410)
    counts = await _sync(site, pages, archive, url, listed, "2024-03-16T01:00:00+00:00")
    assert counts["removed"] == 1 and counts["unchanged"] == 1 and counts["offsite"] == 1
    # a file gone with a 410 is still listed, so its return will be noticed
    assert site.url(FLEET) in [a.url for a in listed_attachments(archive, url)]
    # a file the page no longer links to is not re-checked
    _load(archive, site, attachments[1:2])
    assert [a.url for a in listed_attachments(archive, url)] == [site.url(FLEET)]


async def test_the_documented_sql_examples_run(site, pages, archive):
    import re
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "attachments.md").read_text()
    westminster_sql, each_sql = re.findall(r"```sql\n(.*?)```", doc, re.S)
    attachments = _attachments(site, STOP_SEARCH)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    assert archive.execute(westminster_sql).fetchall() == [(36, "Westminster", 8021)]
    attachment_id = _get(archive, site.url(STOP_SEARCH))["id"]
    cells = archive.execute(
        each_sql, {"attachment_id": attachment_id, "sheet": "Searches by month"}
    ).fetchall()
    assert len(cells) == 33 * 14 and cells[0] == (5, "Borough", "Barking and Dagenham")


async def test_reextract_from_stored_copies_without_the_network(site, pages, archive):
    from db.attachments import reextract_attachments

    attachments = _attachments(site, STOP_SEARCH, CORRUPT)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    site.remove(CORRUPT)
    await _sync(site, pages, archive, url, attachments, "2024-03-16T01:00:00+00:00")
    assert reextract_attachments(archive, pages, "2024-03-20T00:00:00+00:00")["reextracted"] == 0
    archive.execute("UPDATE attachment_state SET extractor_version = '0'")
    archive.execute("DELETE FROM attachment_rows")
    archive.conn.commit()
    site.request_log.clear()
    counts = reextract_attachments(archive, pages, "2024-03-20T00:00:00+00:00")
    assert counts == {"reextracted": 2, "skipped": 0, "missing": 0}
    assert site.request_log == []
    row = _get(archive, site.url(STOP_SEARCH))
    assert row["extracted_at"] == "2024-03-20T00:00:00+00:00"
    assert row["last_changed"] == "2024-03-15T01:00:00+00:00"  # same bytes: not a change
    assert archive.execute("SELECT count(*) FROM attachment_rows").fetchone()[0] == 38
    corrupt = _get(archive, site.url(CORRUPT))
    assert corrupt["error"].startswith("xlsx: ")
    # re-extraction is not a visit: the withdrawn file stays withdrawn
    assert corrupt["removed_at"] == "2024-03-16T01:00:00+00:00" and corrupt["http_status"] == 404
    assert row["last_seen"] == "2024-03-16T01:00:00+00:00"


async def test_canned_query_in_datasette_finds_the_response_and_highlights(
    site, pages, archive, tmp_path
):
    from datasette.app import Datasette

    attachments = _attachments(site, STOP_SEARCH, LFR)
    url = _load(archive, site, attachments)
    await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
    archive.conn.commit()
    from pathlib import Path

    import yaml

    # the app's own metadata.yml, which carries the canned query
    metadata = yaml.safe_load((Path(__file__).resolve().parents[2] / "metadata.yml").read_text())
    ds = Datasette([str(tmp_path / "foi.db")], metadata=metadata)
    data = (
        await ds.client.get("/foi/search_attachments.json?q=Quillfeather&_shape=objects")
    ).json()
    (row,) = data["rows"]
    assert row["response_id"] == response_key(url) and row["reference"] == "01.FOI.24.035517"
    assert row["attachment_url"] == site.url(STOP_SEARCH)
    page = (await ds.client.get("/foi/search_attachments?q=Quillfeather")).text
    assert "<mark>Quillfeather</mark>" in page
    # the site-wide search finds the response through its attachment too
    hits = (await ds.client.get("/foi/search.json?q=Quillfeather&_shape=objects")).json()["rows"]
    assert [h["id"] for h in hits] == [response_key(url)]
    assert hits[0]["matched_in"].startswith("attachment:")


async def test_server_without_conditional_requests_same_bytes_is_unchanged(
    pages, archive, tmp_path, maker
):
    """A server that ignores If-None-Match answers 200 again: same sha256, no re-extraction."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = maker.lfr_policy()
    seen: list[str] = []

    class Plain(BaseHTTPRequestHandler):
        def do_GET(self):
            seen.append(self.path)
            data, status = (body, 200) if self.path.endswith(".pdf") else (b"", 404)
            self.send_response(status)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Plain)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:

        class Site:
            base_url = f"http://127.0.0.1:{server.server_address[1]}"

            def url(self, path):
                return self.base_url + path

        site = Site()
        attachments = _attachments(site, LFR)
        url = _load(archive, site, attachments)
        first = await _sync(site, pages, archive, url, attachments, "2024-03-15T01:00:00+00:00")
        again = await _sync(site, pages, archive, url, attachments, "2024-03-16T01:00:00+00:00")
    finally:
        server.shutdown()
        server.server_close()
    assert first["new"] == 1 and again["unchanged"] == 1 and again["bytes"] == len(body)
    assert seen.count(LFR) == 2
    row = _get(archive, site.url(LFR))
    assert (
        row["extracted_at"] == "2024-03-15T01:00:00+00:00"
        and row["last_seen"] == "2024-03-16T01:00:00+00:00"
    )
    assert len(pages.versions(site.url(LFR))) == 1
