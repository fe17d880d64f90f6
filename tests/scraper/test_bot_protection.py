"""The first night behind bot protection, against the mirror's challenge mode.

Real fixture server, real CLI, real headless Chromium (the system's): a challenge is
never archived, a run that cannot get past it exits 5 with one line and changes
nothing; `--browser` passes it and archives the whole mirror; a later night that even
the browser cannot pass exits 5 and marks nothing removed.
"""

from __future__ import annotations

import shutil

import pytest

from foilog.fixture_challenge import COOKIE, clearance_token
from tests.scraper.conftest import archive_rows
from tests.scraper.night import events, refresh, removed_count, run_foilog, snapshot, summary

needs_chromium = pytest.mark.skipif(
    shutil.which("chromium") is None and shutil.which("chromium-browser") is None,
    reason="needs the system Chromium (apt-get install chromium)",
)


def test_without_a_browser_a_challenged_night_exits_5_and_changes_nothing(
    manifest, mirror, tmp_path
):
    assert refresh(mirror, tmp_path).returncode == 0
    before = snapshot(tmp_path / "foi.db")
    mirror.set_challenge("js")
    mirror.remove(manifest["responses"][0]["url_path"])
    proc = refresh(mirror, tmp_path, "--full")
    assert proc.returncode == 5, proc.stderr
    assert proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("error: blocked by the site's bot protection")
    assert "--browser" in line and "Traceback" not in proc.stderr
    assert snapshot(tmp_path / "foi.db") == before
    # a handful of requests, not one per known page, and never in a loop
    assert len(mirror.state.challenge_log) <= 3


def test_a_fresh_archive_is_not_even_created_when_blocked(mirror, tmp_path):
    mirror.set_challenge("js")
    proc = refresh(mirror, tmp_path)
    assert proc.returncode == 5 and proc.stderr.count("\n") == 1
    assert not (tmp_path / "foi.db").exists()


def test_cookies_from_the_operators_browser_get_through(manifest, mirror, tmp_path):
    agent = "Mozilla/5.0 (X11; Linux x86_64) foilog-test"
    cookies = tmp_path / "cookies.txt"
    cookies.write_text(
        "# Netscape HTTP Cookie File\n"
        f"127.0.0.1\tFALSE\t/\tFALSE\t0\t{COOKIE}\t{clearance_token(agent)}\n",
        encoding="utf-8",
    )
    mirror.set_challenge("js")
    proc = refresh(mirror, tmp_path, "--cookies", cookies, env={"FOILOG_USER_AGENT": agent})
    assert proc.returncode == 0, proc.stderr
    assert summary(proc)["new"] == manifest["count"]


@needs_chromium
@pytest.mark.browser
def test_the_browser_passes_the_challenge_then_a_blocked_night_removes_nothing(
    manifest, mirror, tmp_path
):
    mirror.set_challenge("js")
    first = refresh(mirror, tmp_path, "--browser", env={"FOILOG_CHALLENGE_TIMEOUT": "20"})
    assert first.returncode == 0, first.stderr
    done = summary(first)
    assert done["new"] == manifest["count"] == len(archive_rows(tmp_path / "foi.db"))
    assert done["blocked"] == 0 and done["failed"] == 0
    # the browser passed once; its cookies and User-Agent carried the rest over httpx
    assert 1 <= done["browser_requests"] <= 3
    assert len(mirror.state.challenge_log) <= 3

    gone = manifest["responses"][0]["url_path"]
    before = snapshot(tmp_path / "foi.db")
    mirror.remove(gone)
    mirror.set_challenge("unpassable")
    mark = len(mirror.state.challenge_log)
    night = refresh(mirror, tmp_path, "--browser", "--full", env={"FOILOG_CHALLENGE_TIMEOUT": "3"})
    assert night.returncode == 5, night.stderr
    [line] = night.stderr.splitlines()
    assert "bot protection" in line and "even the browser" in line
    # the browser gives up on a challenge that keeps reloading: no loop against the site
    assert len(mirror.state.challenge_log) - mark <= 6
    assert snapshot(tmp_path / "foi.db") == before
    assert removed_count(tmp_path / "foi.db") == 0
    assert events(tmp_path / "foi.db", mirror.url(gone)) == ["new"]


def test_challenges_that_start_mid_run_are_never_stored_or_removals(manifest, mirror, tmp_path):
    """The lister gets through, the pages are challenged: the run stops sending after a
    few, stores no challenge, marks nothing removed, exits 5; the next night catches up."""
    from db.pages import PageStore

    assert refresh(mirror, tmp_path).returncode == 0
    before = snapshot(tmp_path / "foi.db")["responses"]
    with PageStore(tmp_path / "pages.db") as store:
        versions = store.conn.execute("SELECT COUNT(*) FROM pages WHERE kind = 'page'").fetchone()[
            0
        ]
    mirror.set_challenge("js", prefix="/foi-ai/metropolitan-police/")
    mirror.remove(manifest["responses"][1]["url_path"])
    night = refresh(mirror, tmp_path, "--full")
    assert night.returncode == 5, night.stderr
    result = summary(night)
    assert result["blocked"] >= 3 and result["removed"] == 0 and result["new"] == 0
    # three in a row and the run gives up; at most the 4 requests in flight then
    assert len(mirror.state.challenge_log) <= 3 + 4
    assert [r[:3] for r in snapshot(tmp_path / "foi.db")["responses"]] == [r[:3] for r in before]
    with PageStore(tmp_path / "pages.db") as store:
        assert (
            store.conn.execute("SELECT COUNT(*) FROM pages WHERE kind = 'page'").fetchone()[0]
            == versions
        )
    mirror.set_challenge(None)
    next_night = refresh(mirror, tmp_path, "--full")
    assert next_night.returncode == 0, next_night.stderr
    assert summary(next_night)["removed"] == 1 and summary(next_night)["blocked"] == 0


@needs_chromium
@pytest.mark.browser
def test_where_challenges_keep_coming_back_pages_are_fetched_through_the_browser(
    manifest, mirror, tmp_path
):
    """The clearance works only for the browser's own navigations: after one pass the
    httpx retry is challenged again, so the crawler fetches through the browser."""
    mirror.set_challenge("navigate")
    check = run_foilog("check-live", "--site", mirror.base_url, "--rate", "0", "--browser")
    assert check.returncode == 0, check.stderr
    assert check.stdout.count("ok:") == 3 and "Traceback" not in check.stderr
    url = mirror.url(manifest["responses"][0]["url_path"])
    files = ["--db", tmp_path / "foi.db", "--pages-db", tmp_path / "pages.db"]
    fetched = run_foilog("fetch", url, "--site", mirror.base_url, *files, "--browser")
    assert fetched.returncode == 0 and fetched.stdout == f"new: {url}\n", fetched.stderr
    [(reference,)] = {(r[1],) for r in archive_rows(tmp_path / "foi.db")}
    assert reference == manifest["responses"][0]["reference"]
