"""Search when words match more responses than can be counted or ranked in time.

The thresholds of db/search.py are lowered so the mirror's archive is "national": a
broad word then comes newest first with a bounded count, and every match is still found
by paging, exactly as the full-text index says.
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from db import search as search_module
from db.search import PAGE_SIZE, SearchFilters, search

WORD = "police"  # in nearly every response of the mirror


@pytest.fixture
def conn(archive_path):
    conn = sqlite3.connect(archive_path)
    yield conn
    conn.close()


def direct(conn, where: str = "", params: tuple = ()) -> set[int]:
    """The responses the full-text index says match WORD (and `where` on r)."""
    rows = conn.execute(
        "SELECT r.rowid FROM responses_fts JOIN responses r ON r.rowid = responses_fts.rowid "
        f"WHERE responses_fts MATCH ? {where}",
        (f'"{WORD}"', *params),
    )
    return {rowid for (rowid,) in rows}


def every_page(conn, filters: SearchFilters) -> list:
    hits, page = [], 1
    while True:
        found = search(conn, replace(filters, page=page))
        if not found.hits:
            return hits
        hits += found.hits
        page += 1


def newest_first(hits) -> bool:
    keys = [(hit.month or "", hit.rowid) for hit in hits]
    return keys == sorted(keys, reverse=True)


def test_a_broad_word_is_counted_to_the_cap_and_listed_newest_first(conn, monkeypatch):
    matching = direct(conn)
    assert len(matching) > 2 * PAGE_SIZE
    monkeypatch.setattr(search_module, "COUNT_CAP", PAGE_SIZE)
    found = search(conn, SearchFilters(q=WORD))
    assert (found.total, found.bound) == (PAGE_SIZE, "more than")
    assert not found.ranked and found.too_many_to_rank
    assert found.pages == 2  # "Next" is offered though the count stopped
    hits = every_page(conn, SearchFilters(q=WORD))
    assert {hit.rowid for hit in hits} == matching  # every match found, once
    assert len(hits) == len(matching) and newest_first(hits)


def test_below_the_cap_the_count_is_exact(conn, monkeypatch):
    monkeypatch.setattr(search_module, "RANK_LIMIT", 5)
    found = search(conn, SearchFilters(q=WORD))
    assert (found.total, found.bound) == (len(direct(conn)), "")
    assert not found.ranked and newest_first(found.hits)


@pytest.mark.parametrize("probe_limit, bound", [(10_000, ""), (0, "at least")])
def test_a_broad_word_with_a_filter(conn, monkeypatch, probe_limit, bound):
    """Few filtered responses: each tested against the words (exact). Many: the count is
    a lower bound, and paging still finds every match."""
    monkeypatch.setattr(search_module, "COUNT_CAP", PAGE_SIZE)
    monkeypatch.setattr(search_module, "PROBE_LIMIT", probe_limit)
    outcome = conn.execute(
        "SELECT outcome FROM responses GROUP BY outcome ORDER BY count(*) DESC"
    ).fetchone()[0]
    matching = direct(conn, "AND r.outcome = ?", (outcome,))
    filters = SearchFilters(q=WORD, outcome=outcome, sort="newest")
    found = search(conn, filters)
    assert found.bound == bound
    if bound:
        assert 0 < found.total <= len(matching)
    else:
        assert found.total == len(matching)
    hits = every_page(conn, filters)
    assert {hit.rowid for hit in hits} == matching and newest_first(hits)


def test_year_and_section_filters_agree_with_the_tables(conn, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", PAGE_SIZE)
    monkeypatch.setattr(search_module, "PROBE_LIMIT", 10_000)
    year = conn.execute("SELECT substr(max(month), 1, 4) FROM responses").fetchone()[0]
    in_year = direct(conn, "AND r.month LIKE ?", (f"{year}-%",))
    assert search(conn, SearchFilters(q=WORD, year=int(year))).total == len(in_year)
    section = conn.execute(
        "SELECT section FROM response_exemptions GROUP BY section ORDER BY count(*) DESC"
    ).fetchone()[0]
    citing = direct(
        conn,
        "AND r.id IN (SELECT response_id FROM response_exemptions WHERE section = ?)",
        (section,),
    )
    found = search(conn, SearchFilters(q=WORD, section=section))
    assert found.total == len(citing) > 0


async def test_the_page_says_the_count_stopped(ds, monkeypatch):
    monkeypatch.setattr(search_module, "COUNT_CAP", PAGE_SIZE)
    page = await ds.client.get(f"/search?q={WORD}")
    assert f"More than {PAGE_SIZE} results" in page.text
    assert "stops counting" in page.text and "Last »" not in page.text
    data = (await ds.client.get(f"/search.json?q={WORD}")).json()
    assert (data["total"], data["total_exact"], data["total_bound"]) == (
        PAGE_SIZE,
        False,
        "more than",
    )
    assert data["next_url"] and data["order"] == "newest"


def test_response_sections_follow_the_exemptions(archive_path, tmp_path):
    copy = sqlite3.connect(tmp_path / "foi.db")
    source = sqlite3.connect(archive_path)
    source.backup(copy)
    source.close()
    copy.execute("PRAGMA foreign_keys = ON")
    with copy:
        copy.execute("UPDATE response_exemptions SET section = 21 WHERE rowid % 4 = 0")
        copy.execute("DELETE FROM response_exemptions WHERE rowid % 3 = 0")
        copy.execute("DELETE FROM responses WHERE rowid % 5 = 0")
        first = copy.execute("SELECT id FROM responses LIMIT 1").fetchone()[0]
        copy.execute(
            "INSERT INTO response_exemptions (response_id, position, section) VALUES (?, 99, 43)",
            (first,),
        )
    kept = set(copy.execute("SELECT section, response_rowid FROM response_sections"))
    cited = set(
        copy.execute(
            "SELECT fe.section, r.rowid FROM response_exemptions fe "
            "JOIN responses r ON r.id = fe.response_id"
        )
    )
    copy.close()
    assert kept == cited and 43 in {section for section, _ in kept}


def test_a_phrase_is_ranked_as_bm25_ranks_it(conn):
    """Phrases are scored while counted (one pass fewer): the order is bm25's."""
    title = conn.execute(
        "SELECT title FROM responses WHERE title LIKE '% % %' ORDER BY rowid LIMIT 1"
    ).fetchone()[0]
    phrase = '"' + " ".join(title.split()[:2]) + '"'
    found = search(conn, SearchFilters(q=phrase))
    expected = conn.execute(
        "SELECT rowid FROM responses_fts WHERE responses_fts MATCH ? "
        "ORDER BY bm25(responses_fts, 10.0, 4.0, 1.0), rowid DESC LIMIT ?",
        (phrase, PAGE_SIZE),
    ).fetchall()
    assert found.ranked and found.total >= 1
    assert [hit.rowid for hit in found.hits] == [rowid for (rowid,) in expected]


@pytest.mark.parametrize(
    "query", ["q=police", "q=police&sort=newest&section=40", "q=police&year=2024&force=x", ""]
)
async def test_the_sql_behind_a_search_runs(ds, query):
    """The researchers' link runs the same search as one SQL query on Datasette's page."""
    args = SearchFilters.from_args(dict(pair.split("=") for pair in query.split("&") if pair))
    sql, params = search_module.researcher_sql(args)
    response = await ds.client.get("/foi.json", params={"sql": sql, **params, "_shape": "array"})
    assert response.status_code == 200, response.text
    rows = response.json()
    if query == "q=police":
        assert {row["rowid"] for row in rows} <= {h.rowid for h in every_page_of(ds, args)}


def every_page_of(ds, filters):
    conn = sqlite3.connect(ds.get_database("foi").path)
    try:
        return every_page(conn, filters)
    finally:
        conn.close()
