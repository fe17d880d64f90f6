"""`/search` for people, its JSON, CSV and Atom, against the archive built from the mirror."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from xml.etree import ElementTree

import pytest

from db.search import PAGE_SIZE, BadSearch, SearchFilters, search
from tests.archive.build import SCRIPT

ATOM = "{http://www.w3.org/2005/Atom}"


async def results(ds, query: str) -> dict:
    response = await ds.client.get(f"/search.json?{query}")
    assert response.status_code == 200, response.text
    return response.json()


async def test_the_page_speaks_to_people_and_counts(ds):
    page = await ds.client.get("/search?q=facial+recognition")
    assert page.status_code == 200
    text = page.text
    count = int(re.search(r'class="result-count"[^>]*>(\d+) results', text).group(1))
    assert count >= 4
    for programmer_words in ("Custom SQL query", "Query parameters", "Run SQL"):
        assert programmer_words not in text
    assert "<mark>facial</mark>" in text.lower() or "<mark>Facial</mark>" in text
    assert 'href="/response/metropolitan-police/' in text
    assert "Matched in: title" in text
    assert re.search(r'<a href="/foi\?sql=[^"]+">The SQL behind this search', text)
    assert 'type="application/atom+xml"' in text and "/search.atom?q=facial+recognition" in text
    assert "/search.csv?q=facial+recognition" in text


async def test_filters_narrow_the_results(ds):
    everything = await results(ds, "q=facial+recognition")
    total = everything["total"]
    assert total == len(everything["results"]) <= PAGE_SIZE
    year = await results(ds, "q=facial+recognition&year=2023")
    assert 0 < year["total"] < total
    assert all(r["month"].startswith("2023") for r in year["results"])
    outcome = await results(ds, "q=facial+recognition&outcome=partial")
    assert 0 < outcome["total"] <= total
    assert all(r["outcome"] == "partial" for r in outcome["results"])
    cited = await results(ds, "q=facial+recognition&section=31")
    assert 0 < cited["total"] < total
    ncnd = await results(ds, "q=facial+recognition&ncnd=1")
    assert all(r["ncnd"] for r in ncnd["results"])
    force = await results(ds, "q=facial+recognition&force=metropolitan-police")
    assert force["total"] == total - _foreign(everything)
    nobody = await results(ds, "q=facial+recognition&force=no-such-force")
    assert nobody["total"] == 0 and nobody["results"] == []


def _foreign(data: dict) -> int:
    return sum(1 for r in data["results"] if r["force"] != "metropolitan-police")


async def test_section_filter_agrees_with_the_exemptions_table(ds, archive_path):
    conn = sqlite3.connect(archive_path)
    expected = conn.execute(
        "SELECT count(DISTINCT response_id) FROM response_exemptions WHERE section = 40"
    ).fetchone()[0]
    conn.close()
    assert (await results(ds, "section=40"))["total"] == expected


async def test_paging_reaches_every_result_once(ds, archive_path):
    conn = sqlite3.connect(archive_path)
    total = conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    conn.close()
    seen, page = [], 1
    while True:
        data = await results(ds, f"sort=newest&page={page}")
        assert data["total"] == total
        seen += [r["id"] for r in data["results"]]
        if not data["next_url"]:
            break
        page += 1
    assert page == data["pages"] > 1
    assert len(seen) == len(set(seen)) == total
    months = [r["month"] or "" for r in (await results(ds, "sort=newest"))["results"]]
    assert months == sorted(months, reverse=True)


async def test_every_result_of_a_search_pages_through(ds):
    data = await results(ds, "q=information")
    assert data["total"] > PAGE_SIZE
    ids = []
    for page in range(1, data["pages"] + 1):
        ids += [r["id"] for r in (await results(ds, f"q=information&page={page}"))["results"]]
    assert len(ids) == len(set(ids)) == data["total"]


async def test_newest_first_is_an_option(ds):
    data = await results(ds, "q=facial+recognition&sort=newest")
    months = [r["month"] for r in data["results"]]
    assert months == sorted(months, reverse=True)
    assert data["order"] == "newest"
    assert (await results(ds, "q=facial+recognition"))["order"] == "relevance"


async def test_a_reference_finds_its_response_first(ds):
    data = await results(ds, "q=01.FOI.24.036818")
    assert data["results"][0]["reference"] == "01.FOI.24.036818"
    assert "reference" in data["results"][0]["matched_in"]


@pytest.mark.parametrize(
    "query, word",
    [
        ("section=abc", "section"),
        ("year=24", "year"),
        ("outcome=maybe", "outcome"),
        ("ncnd=yes", "ncnd"),
        ("page=0", "page"),
        ("sort=oldest", "sort"),
    ],
)
async def test_bad_parameters_are_a_400_with_the_reason(ds, query, word):
    for path in ("/search", "/search.json", "/search.atom", "/search.csv"):
        response = await ds.client.get(f"{path}?q=taser&{query}")
        assert response.status_code == 400, (path, query)
        assert word in response.text
    assert (await ds.client.get(f"/search.json?{query}")).json()["ok"] is False


async def test_csv_is_plain_text_with_every_result(ds):
    response = await ds.client.get("/search.csv?q=information")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == (await results(ds, "q=information"))["total"]
    assert all("<mark>" not in row["snippet"] and "\ue000" not in row["snippet"] for row in rows)
    assert rows[0]["archive_url"].startswith("http://localhost/response/")


async def test_follow_this_search_feed(ds):
    response = await ds.client.get("/search.atom?q=facial+recognition&year=2023")
    assert response.status_code == 200
    feed = ElementTree.fromstring(response.content)
    title = feed.findtext(f"{ATOM}title")
    assert "facial recognition" in title and "2023" in title
    entries = feed.findall(f"{ATOM}entry")
    assert entries
    for entry in entries:
        links = {link.get("rel"): link.get("href") for link in entry.findall(f"{ATOM}link")}
        assert links["alternate"].startswith("http://localhost/response/")
        assert links["related"].startswith("https://www.met.police.uk/")
        assert entry.findtext(f"{ATOM}author/{ATOM}name")
    other = ElementTree.fromstring((await ds.client.get("/search.atom?section=40")).content)
    assert other.findtext(f"{ATOM}title") != title


async def test_old_feed_addresses_redirect_to_the_new_ones(ds):
    response = await ds.client.get("/foi/new_responses_matching.atom?q=taser")
    assert response.status_code == 301
    assert response.headers["location"] == "/search.atom?q=taser"
    response = await ds.client.get("/foi/new_responses_citing.atom?section=abc")
    assert (await ds.client.get(response.headers["location"])).status_code == 400


async def test_scraped_markup_in_snippets_stays_text(ds):
    page = (await ds.client.get("/search?q=hostile")).text
    assert SCRIPT not in page
    assert "&lt;script&gt;" in page
    data = await results(ds, "q=hostile")
    assert any(SCRIPT in r["title"] for r in data["results"])


@pytest.mark.parametrize("q", ['"', "s.40(2)", "NOT", "a OR", "*", "‘quoted’", "<mark>x</mark>"])
async def test_any_input_is_a_search(ds, q):
    from urllib.parse import quote

    response = await ds.client.get(f"/search.json?q={quote(q)}")
    assert response.status_code == 200


def test_filters_round_trip_through_the_query_string():
    args = {"q": "taser", "year": "2024", "outcome": "refused", "section": "40", "ncnd": "1"}
    assert SearchFilters.from_args(args).to_args() == args
    with pytest.raises(BadSearch, match="section"):
        SearchFilters.from_args({"section": "99"})


def test_search_counts_match_the_full_text_index(archive_path):
    conn = sqlite3.connect(archive_path)
    found = search(conn, SearchFilters(q="taser"))
    direct = conn.execute(
        "SELECT count(*) FROM responses_fts WHERE responses_fts MATCH '\"taser\"'"
    ).fetchone()[0]
    conn.close()
    assert found.total == direct > 0
