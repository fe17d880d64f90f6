"""The reader's archive in a real browser, at 1280 and 390 px, after a night in which the
force edited one page and removed another (two real refreshes against the mirror).

Screenshots are written under each test's tmp dir.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from tests.archive.reader import EDITED_REFERENCE, build_reader_archive
from tests.browser.conftest import Served, axe_violations

pytestmark = pytest.mark.browser
WIDTHS = (1280, 390)
SEED_001 = "01.FOI.23.033534"


@pytest.fixture(scope="module")
def reader(mirror_root, tmp_path_factory):
    return build_reader_archive(mirror_root, tmp_path_factory.mktemp("reader-browser"))


@pytest.fixture(scope="module")
def site(reader):
    served = Served(reader.db_path, "--pages-db", str(reader.pages_path))
    yield served
    served.stop()


@pytest.fixture(params=WIDTHS, ids=lambda w: f"{w}px")
def page(browser, request):
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    page.width = request.param
    page.dialogs = []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def shoot(page, tmp_path, name: str) -> None:
    page.screenshot(path=str(tmp_path / f"{name}-{page.width}.png"), full_page=True)


def fits_the_screen(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.width, f"{page.url} scrolls sideways: {width}px wide at {page.width}px"
    for bar in ("header", "footer"):
        box = page.locator(bar).first.bounding_box()
        assert box["width"] >= page.width - 1, f"{bar} stops at {box['width']}px"


def response_url(site, rid: str) -> str:
    return f"{site.base}/response/{quote(rid, safe='/')}"


def test_search_counts_links_and_narrows(site, page, tmp_path):
    page.goto(site.base + "/")
    fits_the_screen(page)
    page.fill("input#q", "facial recognition")
    page.press("input#q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=facial"))
    count = _count(page)
    assert count >= 4
    assert page.locator("ol.results li.result").count() == count
    assert page.locator("p.snippet mark").first.is_visible()
    fits_the_screen(page)
    shoot(page, tmp_path, "search")
    for field, value in (("year", "2023"), ("outcome", "partial")):
        page.select_option(f"select#{field}", value)
        page.click("input[type=submit][value=Search]")
        page.wait_for_url(re.compile(rf"{field}={value}"))
        narrowed = _count(page)
        assert 0 < narrowed <= count
        count = narrowed
    page.fill("input#section", "31")
    page.click("input[type=submit][value=Search]")
    page.wait_for_url(re.compile(r"section=31"))
    assert 0 < _count(page) <= count
    page.locator("ol.results h3 a").first.click()
    page.wait_for_url(re.compile(r"/response/"))
    assert page.locator("h1").inner_text().strip()
    assert page.dialogs == []


def _count(page) -> int:
    text = page.locator("h2.result-count").inner_text()
    return int(re.match(r"([\d,]+) results?", text).group(1).replace(",", ""))


def test_a_reference_opens_its_response(site, page, reader, tmp_path):
    page.goto(f"{site.base}/ref/{EDITED_REFERENCE}")
    assert page.url == response_url(site, reader.edited_id)
    assert EDITED_REFERENCE in page.locator("dl.facts").inner_text()
    assert EDITED_REFERENCE in page.locator("p.citation").inner_text()
    fits_the_screen(page)
    shoot(page, tmp_path, "response-edited")


def test_the_edited_page_shows_what_changed(site, page, reader, tmp_path):
    page.goto(response_url(site, reader.edited_id))
    inserted = page.locator("#history ins")
    assert inserted.first.is_visible() and "training" in inserted.first.inner_text()
    page.click("#history >> text=Full history with every change")
    page.wait_for_url(re.compile(r"/history$"))
    assert page.locator("section.change ins").count() >= 1
    fits_the_screen(page)
    shoot(page, tmp_path, "history")


def test_archived_copy_opens_sandboxed_with_its_banner(site, page, reader, tmp_path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(response_url(site, reader.removed_id))
    assert "Removed from the force" in page.locator("p.removed").inner_text()
    with page.expect_navigation() as navigation:
        page.click("a.archived-copy")
    response = navigation.value
    assert response.headers["content-security-policy"].startswith("sandbox")
    assert page.get_by_text("Archived copy", exact=True).is_visible()
    assert "has since removed it" in page.locator("[role=note]").inner_text()
    ours = urlsplit(site.base).netloc
    assert {urlsplit(u).netloc for u in requests} == {ours}, requests
    assert page.dialogs == []
    shoot(page, tmp_path, "archived-copy")


@pytest.mark.parametrize("where", ["home", "search", "response", "history"])
def test_no_serious_accessibility_violations(site, page, reader, where):
    paths = {
        "home": "/",
        "search": "/search?q=facial+recognition",
        "response": f"/ref/{SEED_001}",
        "history": f"/response/{quote(reader.edited_id, safe='/')}/history",
    }
    page.goto(site.base + paths[where])
    fits_the_screen(page)
    assert axe_violations(page) == []
