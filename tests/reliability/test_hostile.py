"""Hostile servers and hostile text, end to end: a real `foilog refresh` of a purpose-built
site whose pages misbehave, the archive it leaves, and that archive in a real Chromium.

tests/scraper/test_fetch.py proves each refusal at the Fetcher; here the whole pipeline
is held to it: the refused page is a reported failure, nothing of it reaches the raw
store or the archive, the other host is never contacted, and the good pages still load.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import quote

import pytest

from foilog.child_server import start_server
from scraper.browser import LAUNCH_ARGS
from tests.reliability.conftest import (
    FOILOG,
    clean_env,
    foilog,
    integrity,
    refresh_args,
)
from tests.reliability.hostile_site import DETAIL, HTML, HostileSite, Reply

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = list(LAUNCH_ARGS)  # the crawler's own flags (scraper/browser.py)
SOURCE = "foi-ai/metropolitan-police/disclosure-2023/december-2023/facial-recognition-technology-protests/index.html"
SCRIPT_TEXT = "<script>alert(1)</script>"
IMG_TEXT = '<img src=x onerror="alert(2)">'
MB = 1024 * 1024

GOOD = DETAIL.format("hostile-text-in-a-real-page")
REFUSED = {  # path -> what the failure must say
    DETAIL.format("redirect-to-another-host"): "redirect off-site to http://localhost:",
    DETAIL.format("redirect-to-another-port"): "redirect off-site to http://127.0.0.1:",
    DETAIL.format("body-over-the-limit"): "exceeds the 20 MB limit",
    DETAIL.format("announced-over-the-limit"): "Content-Length 31457280 exceeds the 20 MB limit",
    DETAIL.format("gzip-bomb"): "decompression bomb",
    DETAIL.format("pdf-at-a-page-url"): "not HTML (Content-Type application/pdf)",
    DETAIL.format("binary-without-a-type"): "not HTML (no Content-Type, body is not markup)",
}
ROBOTS_FORBIDDEN = DETAIL.format("robots-forbidden")
# listed but disallowed: reported (never requested), so the operator sees the conflict
REFUSED[ROBOTS_FORBIDDEN] = "disallowed by robots.txt"


def hostile_page(mirror_root: Path) -> bytes:
    """A real mirror page whose scraped text carries markup (escaped, as text) and whose
    body carries live markup (a script, an event handler) that must never be archived."""
    page = (mirror_root / SOURCE).read_bytes().decode("utf-8")
    escaped = SCRIPT_TEXT.replace("<", "&lt;").replace(">", "&gt;")
    img = IMG_TEXT.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    page = page.replace(
        "<h1>Facial recognition technology protests</h1>",
        f"<h1>Facial recognition {escaped} protests</h1>",
        1,
    )
    page = page.replace(
        "1. Has the MPS deployed live facial recognition at any protests?",
        f"1. Has the MPS deployed {img} live facial recognition at any protests?"
        "<script>alert(3)</script><img src=x onerror=alert(4)>",
        1,
    )
    assert escaped in page and img in page
    return page.encode("utf-8")


def oversized_chunks():
    for _ in range(21):
        yield b"<p>" + b"y" * (MB - 7) + b"</p>"


@pytest.fixture(scope="module")
def hostile_crawl(mirror_root, tmp_path_factory):
    where = tmp_path_factory.mktemp("hostile")
    with (
        HostileSite(mirror_root / "_chrome") as other,
        HostileSite(mirror_root / "_chrome") as site,
    ):
        other_port = other.base_url.rsplit(":", 1)[1]
        site.robots = f"User-agent: *\nDisallow: {ROBOTS_FORBIDDEN}\n"
        site.pages.update(
            {
                GOOD: Reply(200, hostile_page(mirror_root)),
                ROBOTS_FORBIDDEN: Reply(200, hostile_page(mirror_root)),
                DETAIL.format("redirect-to-another-host"): Reply(
                    302, b"", {"Location": f"http://localhost:{other_port}/steal/"}
                ),
                DETAIL.format("redirect-to-another-port"): Reply(
                    301, b"", {"Location": f"{other.base_url}{GOOD}"}
                ),
                DETAIL.format("body-over-the-limit"): Reply(
                    200, headers={"Content-Type": HTML}, chunks=oversized_chunks
                ),
                DETAIL.format("announced-over-the-limit"): Reply(
                    200, b"<html>", {"Content-Type": HTML}, length=30 * MB
                ),
                DETAIL.format("gzip-bomb"): Reply(
                    200,
                    gzip.compress(b"\0" * (40 * MB), 9),
                    {"Content-Type": HTML, "Content-Encoding": "gzip"},
                ),
                DETAIL.format("pdf-at-a-page-url"): Reply(
                    200,
                    b"%PDF-1.4\n<html><body>not a page</body></html>",
                    {"Content-Type": "application/pdf"},
                ),
                DETAIL.format("binary-without-a-type"): Reply(
                    200, b"\x89PNG\r\n\x1a\n" + b"\0" * 500, {}
                ),
            }
        )
        first = foilog(*refresh_args(site.base_url, where, "--json"))
        second = foilog(*refresh_args(site.base_url, where, "--json"))
        yield {
            "dir": where,
            "site": site,
            "other": other,
            "first": first,
            "second": second,
            "base": site.base_url,
        }


def test_each_hostile_page_is_a_reported_failure_and_nothing_of_it_is_kept(hostile_crawl):
    first, base = hostile_crawl["first"], hostile_crawl["base"]
    assert first.returncode == 1, first.stderr[-2000:]
    summary = json.loads(first.stdout)
    errors = {f["url"].removeprefix(base): f["error"] for f in summary["failures"]}
    assert set(errors) == set(REFUSED), errors
    for path, expected in REFUSED.items():
        assert expected in errors[path], (path, errors[path])
    conn = sqlite3.connect(hostile_crawl["dir"] / "pages.db")
    stored = {
        url.removeprefix(base) for (url,) in conn.execute("SELECT url FROM pages WHERE kind='page'")
    }
    biggest = conn.execute("SELECT MAX(size) FROM pages").fetchone()[0]
    conn.close()
    assert stored == {GOOD} and biggest < MB  # nothing refused reached the raw store
    conn = sqlite3.connect(hostile_crawl["dir"] / "foi.db")
    archived = [url.removeprefix(base) for (url,) in conn.execute("SELECT url FROM responses")]
    conn.close()
    assert archived == [GOOD]
    assert integrity(hostile_crawl["dir"] / "foi.db") == "ok"


def test_the_other_host_and_robots_disallowed_pages_are_never_requested(hostile_crawl):
    assert hostile_crawl["other"].log == []
    assert ROBOTS_FORBIDDEN not in hostile_crawl["site"].log
    assert "/robots.txt" in hostile_crawl["site"].log


def test_the_next_run_retries_the_failures_and_loses_nothing(hostile_crawl):
    second = hostile_crawl["second"]
    assert second.returncode == 1
    summary = json.loads(second.stdout)
    assert summary["failed"] == len(REFUSED) and summary["new"] == 0
    conn = sqlite3.connect(hostile_crawl["dir"] / "foi.db")
    assert conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 1
    conn.close()


def test_scraped_text_is_stored_as_text_and_live_markup_is_not_archived(hostile_crawl):
    conn = sqlite3.connect(hostile_crawl["dir"] / "foi.db")
    title, body = conn.execute("SELECT title, body_text FROM responses").fetchone()
    question = conn.execute("SELECT text FROM questions ORDER BY position").fetchone()[0]
    conn.close()
    assert SCRIPT_TEXT in title
    assert IMG_TEXT in question
    assert "alert(3)" not in body and "alert(4)" not in body  # live script/img dropped


@pytest.fixture(scope="module")
def served(hostile_crawl):
    argv = [FOILOG, "serve", "--db", str(hostile_crawl["dir"] / "foi.db"), "--port", "0"]
    with start_server(argv, env=clean_env()) as server:
        yield server.base_url


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium")
def test_in_chromium_scraped_markup_is_literal_text_and_never_runs(served, hostile_crawl):
    from playwright.sync_api import sync_playwright

    conn = sqlite3.connect(hostile_crawl["dir"] / "foi.db")
    (rid,) = conn.execute("SELECT id FROM responses").fetchone()
    conn.close()
    pages = [
        f"/response/{quote(rid, safe='/')}",
        "/foi/search?q=facial",
        "/foi/responses",
        f"/foi/questions?response_id={quote(rid)}",
        "/foi/responses?_search=facial",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in pages:
                page.goto(served + path)
                page.wait_for_load_state("load")
                text = page.locator("body").inner_text()
                assert SCRIPT_TEXT in text or IMG_TEXT in text, path
                # the text did not become elements
                assert page.locator("img[src='x']").count() == 0, path
                assert (
                    page.evaluate(
                        "[...document.scripts].filter(s => s.text.includes('alert(')).length"
                    )
                    == 0
                )
            page.goto(served + pages[0])
            assert page.get_by_text(SCRIPT_TEXT, exact=False).first.is_visible()
            question = page.locator(".qa-pair .question").first
            assert question.is_visible() and IMG_TEXT in question.inner_text()
            assert dialogs == []
        finally:
            browser.close()


@pytest.mark.parametrize(
    "glitch",
    [
        Reply(200, b""),
        Reply(200, b"<html><body><h1>Service temporarily unavailable</h1></body></html>"),
    ],
    ids=["empty-200", "maintenance-page-200"],
)
def test_a_good_page_later_served_as_a_glitch_keeps_its_archived_record(
    mirror_root, tmp_path, glitch
):
    with HostileSite(mirror_root / "_chrome") as site:
        site.pages[GOOD] = Reply(200, hostile_page(mirror_root))
        assert foilog(*refresh_args(site.base_url, tmp_path)).returncode == 0
        before = _record(tmp_path / "foi.db")
        site.pages[GOOD] = glitch
        glitched = foilog(*refresh_args(site.base_url, tmp_path, "--json", "--full"))
    summary = json.loads(glitched.stdout)
    assert _record(tmp_path / "foi.db") == before, summary
    assert [f["url"] for f in summary["failures"]] == [site.base_url + GOOD], summary
    # 1 (a failed page) or 3 (the canary: the only page parsed has no reference)
    assert summary["changed"] == 0 and glitched.returncode in (1, 3)


def _record(db_path) -> tuple:
    conn = sqlite3.connect(db_path)
    try:
        return (
            conn.execute("SELECT reference, title, body_text FROM responses").fetchall(),
            conn.execute("SELECT COUNT(*) FROM questions").fetchone()[0],
        )
    finally:
        conn.close()


def test_an_endless_lister_repeating_its_items_does_not_trap_a_full_refresh(mirror_root, tmp_path):
    from urllib.parse import parse_qs

    from tests.reliability.hostile_site import LISTER

    paths = [DETAIL.format(f"repeated-item-{i}") for i in range(3)]
    items = "".join(
        f'<li><a href="{p}">Item {i}</a> Disclosure log 1 May 2025</li>'
        for i, p in enumerate(paths)
    )

    def endless(query: str) -> Reply:
        n = int((parse_qs(query).get("page") or ["1"])[0])
        nxt = f"{LISTER}?dt=Disclosure+log&page={n + 1}"
        return Reply(
            200,
            (
                f'<html><head><link rel="next" href="{nxt}"></head><body><main>'
                f"<ul>{items}</ul></main></body></html>"
            ).encode(),
        )

    with HostileSite(mirror_root / "_chrome") as site:
        for path in paths:
            site.pages[path] = Reply(200, hostile_page(mirror_root))
        site.lister = endless
        assert foilog(*refresh_args(site.base_url, tmp_path)).returncode == 0
        try:
            full = foilog(*refresh_args(site.base_url, tmp_path, "--json", "--full"), timeout=8)
        except subprocess.TimeoutExpired:
            pytest.fail(
                f"--full walked {sum(t.startswith(LISTER) for t in site.log)} "
                "lister pages in 8 s and was still going"
            )
    assert full.returncode == 0 and json.loads(full.stdout)["lister_requests"] <= 3
