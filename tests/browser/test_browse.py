"""A person using the archive in a real browser: `foilog serve` as a subprocess, Chromium.

Screenshots go to tests/artifacts/ (gitignored) for a human to look at.
"""

from __future__ import annotations

import re
import signal
import sys
from pathlib import Path

import pytest

from foilog.child_server import start_server
from tests.archive.build import HOSTILE_ID, SCRIPT, SEED_001_ID, build_archive

CHROMIUM = Path("/usr/bin/chromium")
FOILOG = str(Path(sys.executable).parent / "foilog")
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's Chromium at /usr/bin/chromium (apt install chromium)",
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    db_path = tmp_path_factory.mktemp("browser") / "archive.db"  # any name: served as foi
    build_archive(db_path)
    with start_server([FOILOG, "serve", "--db", str(db_path), "--port", "0"]) as child:
        yield child.base_url, child.process


@pytest.fixture
def page(browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs
    yield page
    context.close()


def test_home_search_and_a_response(server, page):
    base, _ = server
    page.goto(base + "/")
    assert "searchable archive" in page.locator("p.lede").inner_text()
    assert "Last refresh" in page.locator("p.freshness").inner_text()
    chart = page.locator("svg#outcome-chart")
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 100
    assert page.locator("svg#outcome-chart rect.bar").count() >= 10
    page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)

    page.fill("input#q", "facial recognition")
    page.press("input#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=facial"))
    results = page.locator("ol.results li.result")
    assert results.count() >= 3
    assert page.locator("p.snippet mark").count() >= 3
    assert "facial" in page.locator("p.snippet mark").first.inner_text().lower()
    page.screenshot(path=str(ARTIFACTS / "search.png"), full_page=True)

    page.locator("ol.results h3 a").first.click()
    page.wait_for_url(re.compile(r"/response/"))
    assert page.locator("h1").inner_text().strip()
    assert page.get_by_text("Original page", exact=True).is_visible()
    assert page.get_by_text("First seen", exact=True).is_visible()
    assert page.dialogs == []


def test_response_page_pairs_each_question_with_its_answer(server, page):
    base, _ = server
    page.goto(f"{base}/response/{SEED_001_ID}")
    assert "01.FOI.23.033534" in page.locator("dl.facts").inner_text()
    pairs = page.locator("li.qa-pair")  # one per answer: 20 questions, 7 answers
    assert pairs.count() == 7
    assert pairs.locator(".question").count() == 20
    for i in range(pairs.count()):
        pair = pairs.nth(i)
        question = pair.locator(".question").last
        answer = pair.locator(".answer")
        assert question.is_visible() and answer.is_visible()
        assert question.inner_text().strip() and answer.inner_text().strip()
        # The answer reads below its question.
        assert answer.bounding_box()["y"] > question.bounding_box()["y"]
    page.screenshot(path=str(ARTIFACTS / "response-seed-001.png"), full_page=True)


def test_scraped_markup_is_shown_as_text_never_run(server, page):
    base, _ = server
    page.goto(f"{base}/response/{HOSTILE_ID}")
    page.wait_for_load_state("load")
    assert page.dialogs == []
    assert SCRIPT in page.locator("h1").inner_text()
    assert SCRIPT in page.locator(".qa-pair .question").inner_text()
    assert SCRIPT in page.locator(".qa-pair .answer").inner_text()
    assert page.get_by_text(f"Question with {SCRIPT}?").is_visible()
    page.goto(f"{base}/foi/search?q=hostile")
    page.wait_for_load_state("load")
    assert page.dialogs == []
    assert SCRIPT in page.locator("td.col-snippet").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "hostile-markup.png"), full_page=True)


def test_ctrl_c_stops_the_server_cleanly(tmp_path):
    db_path = tmp_path / "foi.db"
    build_archive(db_path)
    with start_server([FOILOG, "serve", "--db", str(db_path), "--port", "0"]) as child:
        assert child.stop(signal.SIGINT) == 0
        assert "Traceback" not in child.stderr_text()
