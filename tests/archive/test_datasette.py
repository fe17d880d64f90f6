"""The archive as people use it: Datasette, metadata.yml, canned queries, feeds, pages.

Runs the real app (`build_datasette`, the same one `foilog serve` runs) over an archive
built from the offline mirror with the real parser and loader.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
import sqlite_utils

from plugins.app import load_metadata
from tests.archive.build import HOSTILE_ID, SCRIPT, SEED_001_ID, manifest

ATOM = "{http://www.w3.org/2005/Atom}"
TABLES = [
    "responses",
    "questions",
    "exemptions",
    "response_exemptions",
    "links",
    "attachments",
    "crawl_runs",
]
VIEWS = ["responses_with_exemptions", "exemption_counts_by_month", "outcome_counts_by_month"]
ATTACHMENT_TABLES = [
    "attachment_sheets",
    "attachment_rows",
    "attachment_table_rows",
    "attachment_state",
]


def queries() -> dict:
    return load_metadata()["databases"]["foi"]["queries"]


def test_every_mirror_page_is_archived(archive_build):
    path, result = archive_build
    assert result["failed"] == []
    assert sqlite_utils.Database(path)["responses"].count == len(manifest()) + 1


def test_metadata_describes_every_table_and_column(archive_path):
    db = sqlite_utils.Database(archive_path)
    described = load_metadata()["databases"]["foi"]["tables"]
    for name in TABLES + VIEWS + ATTACHMENT_TABLES + ["schema_version"]:
        columns = db[name].columns_dict
        assert described[name].get("description"), name
        missing = set(columns) - set(described[name].get("columns", {}))
        assert not missing, f"{name}: undescribed columns {missing}"


@pytest.mark.parametrize("name", TABLES + VIEWS)
async def test_every_table_and_view_answers(ds, name):
    page = await ds.client.get(f"/foi/{name}")
    assert page.status_code == 200
    data = (await ds.client.get(f"/foi/{name}.json?_shape=objects")).json()
    assert data["rows"], f"{name} has no rows"


async def test_responses_are_newest_first_and_described(ds):
    data = (await ds.client.get("/foi/responses.json?_shape=objects&_size=max")).json()
    months = [r["month"] for r in data["rows"]]
    assert all(months) and months == sorted(months, reverse=True)
    page = (await ds.client.get("/foi/responses")).text
    assert "One row per published FOI response page" in page
    assert "Open Government Licence v3.0" in page


async def test_database_page_hides_plumbing(ds):
    data = (await ds.client.get("/foi.json")).json()
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    visible = {t["name"] for t in data["tables"] if not t["hidden"]}
    assert {
        "crawl_runs",
        "schema_version",
        "attachment_state",
        "responses_fts",
        "responses_fts_data",
    } <= hidden
    assert {"responses", "questions", "attachments"} <= visible


@pytest.mark.parametrize(
    "name, params",
    [
        ("search", "q=facial"),
        ("by_exemption", "section=40"),
        ("ncnd_responses", ""),
        ("removed_from_site", ""),
        ("recently_changed", ""),
        ("exemption_trends", ""),
        ("new_responses", ""),
        ("new_responses_matching", "q=facial"),
        ("new_responses_citing", "section=40"),
        ("search_attachments", "q=data"),
    ],
)
async def test_every_canned_query_answers(ds, name, params):
    assert name in queries()
    response = await ds.client.get(f"/foi/{name}?{params}")
    assert response.status_code == 200
    assert queries()[name]["title"] in response.text


async def test_search_finds_facial_recognition_with_highlighted_snippets(ds):
    data = (await ds.client.get("/foi/search.json?q=facial&_shape=objects")).json()
    rows = data["rows"]
    assert len(rows) >= 3
    assert all("<mark>" in row["snippet"] for row in rows)
    assert any(re.search(r"<mark>facial</mark>", row["snippet"], re.I) for row in rows)
    page = (await ds.client.get("/foi/search?q=facial")).text
    assert re.search(r"<mark>facial</mark>", page, re.I)  # rendered as a highlight


async def test_search_matches_questions_and_references(ds, archive_path):
    db = sqlite_utils.Database(archive_path)
    reference = db.execute(
        "select reference from responses where reference is not null limit 1"
    ).fetchone()[0]
    data = (await ds.client.get(f"/foi/search.json?q={reference}&_shape=objects")).json()
    assert data["rows"][0]["reference"] == reference
    hits = (await ds.client.get("/foi/search.json?q=vans&_shape=objects")).json()["rows"]
    assert any(r["matched_in"].startswith(("question", "response")) for r in hits)


@pytest.mark.parametrize("q", ["s.40(2)", '"unbalanced', "OR", "facial OR", "*", ""])
async def test_search_survives_any_input(ds, q):
    response = await ds.client.get(f"/foi/search.json?q={quote(q)}")
    assert response.status_code == 200, response.text


async def test_search_snippets_never_unescape_scraped_markup(ds):
    page = (await ds.client.get("/foi/search?q=hostile")).text
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


async def test_facet_by_exemption_and_outcome(ds):
    data = (
        await ds.client.get(
            "/foi/responses_with_exemptions.json?_facet_array=exemptions&_facet=outcome"
        )
    ).json()
    results = data["facet_results"]
    exemptions = {item["value"]: item["count"] for item in results["exemptions"]["results"]}
    assert exemptions.get("s40 Personal information", 0) >= 1
    assert any(label.startswith("s31 ") for label in exemptions)
    outcomes = {item["value"] for item in results["outcome"]["results"]}
    assert outcomes and outcomes <= {
        "full",
        "partial",
        "refused",
        "not_held",
        "ncnd",
        "cost_limit",
        "vexatious",
        "invalid",
        "unknown",
    }
    filtered = (
        await ds.client.get(
            "/foi/responses_with_exemptions.json?_shape=objects&exemptions__arraycontains="
            + quote("s40 Personal information")
        )
    ).json()
    assert filtered["rows"]
    assert all(40 in json.loads(r["exemption_sections"]) for r in filtered["rows"])


@pytest.mark.parametrize(
    "path, at_least",
    [
        ("/search.atom", 3),
        ("/search.atom?q=facial", 3),
        ("/search.atom?section=40", 1),
    ],
)
async def test_atom_feeds_parse_with_entries(ds, path, at_least):
    response = await ds.client.get(path)
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= at_least
    for entry in entries:
        assert entry.find(f"{ATOM}title").text
        links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert links["alternate"].startswith("http://localhost/response/")
        assert links["related"].startswith("https://www.met.police.uk/")
        assert "T" in entry.find(f"{ATOM}updated").text


async def test_feed_with_no_matches_is_still_valid_atom(ds):
    response = await ds.client.get("/search.atom?q=zzqqxxnomatch")
    assert response.status_code == 200
    feed = ET.fromstring(response.content)
    assert feed.findall(f"{ATOM}entry") == []
    assert "zzqqxxnomatch" in feed.find(f"{ATOM}title").text


async def test_feed_content_is_escaped(ds):
    response = await ds.client.get("/search.atom?q=hostile")
    assert b"<script>" not in response.content
    feed = ET.fromstring(response.content)
    contents = [e.find(f"{ATOM}content") for e in feed.findall(f"{ATOM}entry")]
    assert any("<script>" in c.text for c in contents)  # as text, never markup
    assert all(c.get("type") == "text" for c in contents)


async def test_home_page_says_what_and_how_fresh(ds):
    page = await ds.client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "searchable archive" in text
    assert "Last refresh: <strong>2026-11-01T02:03:00+00:00</strong>" in text
    assert 'action="/search"' in text
    assert '<svg id="outcome-chart"' in text
    assert len(re.findall(r'<rect class="bar"', text)) >= 10
    for name in (
        "ncnd_responses",
        "removed_from_site",
        "recently_changed",
        "exemption_trends",
    ):
        assert f"/foi/{name}" in text
    assert 'action="/search.atom"' in text and 'href="/changes.atom"' in text
    assert 'type="application/atom+xml"' in text
    assert "https://cdn" not in text and "<script src=" not in text


async def test_response_page_of_seed_001_pairs_every_question_with_its_answer(ds, archive_path):
    page = await ds.client.get(f"/response/{SEED_001_ID}")
    assert page.status_code == 200
    db = sqlite_utils.Database(archive_path)
    questions = list(
        db["questions"].rows_where("response_id = ?", [SEED_001_ID], order_by="position")
    )
    assert len(questions) == 20
    # One group per answer (see tests/archive/test_answer_page.py), each question in a
    # group with its answer.
    groups = re.findall(r'<li class="qa-pair"[^>]*>(.*?)</div>\s*</li>', page.text, re.S)
    assert len(groups) == 7
    for question in questions:
        asked, answer = _html_text(question["text"]), question["answer"]
        assert answer and any(asked in g and _html_text(answer[:40]) in g for g in groups)
    assert "01.FOI.23.033534" in page.text


async def test_response_page_shows_exemptions_attachments_and_history(ds, archive_path):
    db = sqlite_utils.Database(archive_path)
    rid = db.execute(
        "select response_id from response_exemptions re join responses r "
        "on r.id = re.response_id where r.attachment_count > 0 "
        "and r.id != ? limit 1",
        [HOSTILE_ID],
    ).fetchone()[0]
    row = db["responses"].get(rid)
    page = (await ds.client.get("/response/" + rid)).text
    assert row["url"] in page
    assert "First seen" in page and row["first_seen"] in page
    for e in db.execute(
        "select re.section, e.name from response_exemptions re left join "
        "exemptions e using (section) where response_id = ?",
        [rid],
    ):
        assert e[1] is None or _html_text(e[1]) in page
    for a in db["attachments"].rows_where("response_id = ?", [rid]):
        assert _html_text(a["url"]) in page


async def test_response_page_escapes_scraped_text(ds):
    page = (await ds.client.get("/response/" + HOSTILE_ID)).text
    assert SCRIPT not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert 'href="javascript:' not in page
    assert "a scripted link" in page


async def test_row_page_links_to_the_readable_page(ds):
    page = (await ds.client.get("/foi/responses/" + HOSTILE_ID.replace("/", "~2F"))).text
    assert f'href="/response/{HOSTILE_ID}"' in page


async def test_unknown_response_is_a_404(ds):
    assert (await ds.client.get("/response/no/such/page")).status_code == 404


async def test_table_cells_link_to_the_response_page(ds):
    page = (await ds.client.get("/foi/questions")).text
    assert 'href="/response/metropolitan-police/' in page


async def test_no_write_access(ds):
    response = await ds.client.post("/foi", data={"sql": "delete from responses"})
    assert response.status_code in (400, 403, 405)
    data = (
        await ds.client.get("/foi.json?sql=select+count(*)+as+n+from+responses&_shape=array")
    ).json()
    assert data[0]["n"] > 0


def _html_text(text: str) -> str:
    return html.escape(text, quote=False)


async def test_whole_archive_download_is_a_consistent_snapshot(ds, tmp_path, archive_path):
    response = await ds.client.get("/foi.db")
    assert response.status_code == 200
    assert response.content.startswith(b"SQLite format 3\x00")
    copy = tmp_path / "download.db"
    copy.write_bytes(response.content)
    expected = sqlite_utils.Database(archive_path)["responses"].count
    assert sqlite_utils.Database(copy)["responses"].count == expected
    assert 'href="/foi.db"' in (await ds.client.get("/")).text


@pytest.mark.parametrize("table", ["responses", "questions"])
async def test_table_pages_offer_full_text_search(ds, table):
    data = (await ds.client.get(f"/foi/{table}.json?_search=facial&_shape=objects")).json()
    assert len(data["rows"]) >= 3
    page = (await ds.client.get(f"/foi/{table}")).text
    assert 'name="_search"' in page
