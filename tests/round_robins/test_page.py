"""The comparison page in a real browser (foilog serve + Chromium), its feed and queries."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import httpx
import pytest

from db.round_robins import update_round_robins
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Served
from tests.round_robins.mirror_archive import build, mirror_items

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    path = tmp_path_factory.mktemp("rrpage") / "foi.db"
    db = build(path, mirror_items())
    update_round_robins(db)
    rounds = dict(db.conn.execute("select title, id from round_robins"))
    expected = {
        rr: {
            rid
            for (rid,) in db.conn.execute(
                "select response_id from round_robin_members where cluster_id = ?", (rr,)
            )
        }
        for rr in rounds.values()
    }
    db.close()
    served = Served(path)
    try:
        yield served.base, rounds, expected
    finally:
        served.stop()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium")
def test_comparison_page_links_every_member_in_a_browser(served):
    from playwright.sync_api import sync_playwright

    base, rounds, expected = served
    rr = rounds["Taser purchase costs 2022-2025"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/round-robin/{rr}")
            assert "How much money in GBP" in page.locator("blockquote.request-text").inner_text()
            rows = page.locator("table.round-robin-answers tbody tr")
            assert rows.count() == 5
            hrefs = [a.get_attribute("href") for a in page.locator("a.member").all()]
            linked = {h.removeprefix("/response/") for h in hrefs}
            assert linked == expected[rr]
            marked = page.locator("tr.differs").all_inner_texts()
            assert any(
                "warwickshire-police" in t and "refused where most disclosed" in t for t in marked
            )
            # every member's page opens and links back to the round robin
            for href in hrefs:
                page.goto(base + href)
                assert page.locator("h1").count() == 1
                back = page.locator("p.round-robin-link a")
                assert back.get_attribute("href") == f"/round-robin/{rr}"
            page.goto(f"{base}/round-robin/{rounds['Drone fleet and deployments 2024']}")
            ncnd_row = page.locator("tr[data-force='northamptonshire-police']")
            assert "NCND where most answered" in ncnd_row.inner_text()
            assert "NCND" in ncnd_row.locator("td").nth(3).inner_text()
        finally:
            browser.close()


def test_feed_has_one_entry_per_answer(served):
    base, rounds, expected = served
    rr = rounds["Drone fleet and deployments 2024"]
    feed = httpx.get(f"{base}/round-robin/{rr}.atom", timeout=60)
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("application/atom+xml")
    entries = ET.fromstring(feed.text).findall(f"{ATOM}entry")
    assert len(entries) == len(expected[rr]) == 5
    assert httpx.get(f"{base}/round-robin/999999", timeout=60).status_code == 404


def test_canned_queries_find_the_differing_answers(served):
    base, rounds, _ = served
    differently = httpx.get(
        f"{base}/foi/round_robins_answered_differently.json?_shape=objects"
    ).json()["rows"]
    assert {r["title"] for r in differently} == set(rounds)
    refusing = httpx.get(
        f"{base}/foi/forces_refusing_what_others_disclose.json?_shape=objects"
    ).json()["rows"]
    by_force = {r["force"]: r for r in refusing}
    assert by_force["warwickshire-police"]["refused_where_most_disclosed"] == 1
    assert by_force["northamptonshire-police"]["ncnd_where_most_answered"] == 1


def test_round_robin_ids_link_to_their_page(served):
    base, rounds, _ = served
    rr = rounds["Taser purchase costs 2022-2025"]
    table = httpx.get(f"{base}/foi/round_robins", timeout=60).text
    assert f'<a href="/round-robin/{rr}">Taser purchase costs 2022-2025</a>' in table
    members = httpx.get(f"{base}/foi/round_robin_members", timeout=60).text
    assert f'<a href="/round-robin/{rr}">' in members
    query = httpx.get(f"{base}/foi/round_robins_answered_differently", timeout=60).text
    assert f'<a href="/round-robin/{rr}">{rr}</a>' in query
