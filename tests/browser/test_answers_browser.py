"""Decision first, each answer once, tables as tables: in Chromium, on a desktop and a phone.

`foilog serve` runs for real over an archive built from the mirror; Debian's Chromium
(`/usr/bin/chromium`) loads the pages at 1280 and 390 px wide. Screenshots are written
under the test's tmp dir.
"""

from __future__ import annotations

import pytest

from tests.archive.build import SEED_001_ID, build_archive
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Served

STOPS_ID = "metropolitan-police/disclosure-2024/march-2024/stop-and-search-borough-2023"
IMSI_ID = "metropolitan-police/d/march-2022/imsi-catchers-protests-parliament-square"
WIDTHS = [1280, 390]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt install chromium)",
    ),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("answers-browser") / "foi.db"
    build_archive(db_path)
    served = Served(db_path)
    try:
        yield served.base
    finally:
        served.stop()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def page(request, chromium):
    context = chromium.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.width = request.param
    yield page
    context.close()


def fits(page, selector: str) -> None:
    """Every element matching `selector` lies within the window's width."""
    for box in page.locator(selector).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })"
    ):
        assert box[0] >= 0 and box[1] <= page.width + 0.5, (selector, box)


def test_seed_shows_each_answer_once_per_group(base_url, page, tmp_path):
    page.goto(f"{base_url}/response/{SEED_001_ID}")
    qa = page.locator("section.questions")
    assert qa.locator("li.qa-pair").count() == 7
    outside = qa.get_by_text("fall outside the act", exact=False)
    assert outside.count() == 1 and outside.is_visible()
    group = qa.locator("li.qa-pair", has=page.get_by_text("fall outside the act", exact=False))
    assert group.locator(".question .number").all_inner_texts() == ["7.", "8.", "9.", "10."]
    assert group.locator(".answer").count() == 1
    deployment = qa.locator(".answer", has_text="LFR - Deployment Records")
    assert deployment.count() == 3
    # The decision comes first: under the title, above the page's facts.
    decision = page.locator("section.decision")
    assert decision.is_visible()
    title_y = page.locator("h1").bounding_box()["y"]
    decision_y = decision.bounding_box()["y"]
    assert title_y < decision_y < page.locator("dl.facts").bounding_box()["y"]
    assert "Disclosed in part" in decision.locator(".outcome-words").inner_text()
    assert page.locator("details.reasons").get_attribute("open") is not None
    fits(page, "section.decision, section.questions, li.qa-pair")
    page.screenshot(path=str(tmp_path / f"seed-{page.width}.png"), full_page=True)


def test_a_table_in_an_answer_is_a_table(base_url, page, tmp_path):
    page.goto(f"{base_url}/response/{STOPS_ID}")
    table = page.locator("section.questions table.answer-table")
    assert table.count() == 1
    table.scroll_into_view_if_needed()
    assert table.is_visible()
    assert table.locator("thead th").all_inner_texts() == [
        "Borough",
        "Total stop and searches",
        "Section 60 searches",
        "Arrests",
    ]
    assert table.locator("tbody tr").count() == 33
    barnet = table.locator("tbody tr", has_text="Barnet").locator("td").all_inner_texts()
    assert barnet == ["Barnet", "4,723", "156", "755"]
    assert "Borough | Total" not in page.locator("section.questions").inner_text()
    # On a phone a wide table scrolls inside its frame; the page itself does not.
    fits(page, "section.questions, section.questions .table-wrap")
    page.locator("section.questions .table-wrap").screenshot(
        path=str(tmp_path / f"table-{page.width}.png")
    )
    page.screenshot(path=str(tmp_path / f"stops-{page.width}.png"), full_page=True)


def test_ncnd_reasons_are_open_with_their_headings(base_url, page, tmp_path):
    page.goto(f"{base_url}/response/{IMSI_ID}")
    decision = page.locator("section.decision")
    assert "Neither confirmed nor denied" in decision.locator(".outcome-words").inner_text()
    assert decision.locator(".ncnd").count() == 3
    balance = decision.locator("details.reasons h3", has_text="Balance test")
    assert balance.is_visible()  # open without a click
    assert page.get_by_text("No separate answer").count() == 0
    fits(page, "section.decision, section.questions")
    page.screenshot(path=str(tmp_path / f"ncnd-{page.width}.png"), full_page=True)
