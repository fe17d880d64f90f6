"""The raw page store, crawl state and the lock: units on a real SQLite file."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import UTC

import pytest

from db.pages import DONE, STORED, PageStore, sha256_hex
from scraper.lock import CrawlLock, LockHeld
from scraper.plan import plan_revisits, url_slice

URL = "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/may-2024/x/"


def test_versions_are_kept_only_when_content_changes(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    first = store.store(URL, 200, {"ETag": '"a"'}, b"<html>one</html>", "2026-01-01T00:00:00+00:00")
    same = store.store(URL, 200, {"ETag": '"a"'}, b"<html>one</html>", "2026-01-02T00:00:00+00:00")
    edited = store.store(
        URL, 200, {"ETag": '"b"'}, b"<html>two</html>", "2026-01-03T00:00:00+00:00"
    )
    assert (first.version, first.new_version) == (1, True)
    assert (same.version, same.new_version) == (1, False)
    assert (edited.version, edited.new_version) == (2, True)
    versions = store.versions(URL)
    assert [v.body for v in versions] == [b"<html>one</html>", b"<html>two</html>"]
    assert versions[0].sha256 == sha256_hex(b"<html>one</html>")
    assert store.known(URL).etag == '"b"'
    raw = sqlite3.connect(tmp_path / "pages.db").execute("SELECT body FROM pages").fetchone()[0]
    assert raw != b"<html>one</html>"  # stored compressed


def test_removal_keeps_every_version_and_a_return_clears_it(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    store.store(URL, 200, {}, b"<html>one</html>", "2026-01-01T00:00:00+00:00")
    store.store(URL, 404, {}, b"", "2026-01-02T00:00:00+00:00")
    assert store.known(URL).removed_at == "2026-01-02T00:00:00+00:00"
    assert store.latest(URL).body == b"<html>one</html>"
    store.store(URL, 200, {}, b"<html>one</html>", "2026-01-03T00:00:00+00:00")
    assert store.known(URL).removed_at is None and len(store.versions(URL)) == 1


def test_store_is_wal_with_full_sync(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_an_unfinished_run_is_resumed_with_its_frontier(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    run = store.start_or_resume_run("2026-01-01T00:00:00+00:00", 100, full=False)
    store.add_to_frontier(run.id, [(URL, "page", "listing"), (URL + "b/", "page", "revisit")])
    store.set_state(run.id, URL, STORED)
    store.close()
    again = PageStore(tmp_path / "pages.db")
    resumed = again.start_or_resume_run("2026-01-01T01:00:00+00:00", 100, full=False)
    assert resumed.id == run.id and resumed.resumed
    assert [(i.url, i.state) for i in again.open_items(run.id)] == [
        (URL, STORED),
        (URL + "b/", "pending"),
    ]
    again.set_state(run.id, URL, DONE, outcome="new")
    again.finish_run(run.id, "2026-01-01T02:00:00+00:00", "{}")
    fresh = again.start_or_resume_run("2026-01-02T00:00:00+00:00", 101, full=False)
    assert fresh.id != run.id and not fresh.resumed


def test_revisit_plan_is_recent_pages_plus_a_rotating_slice(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    old = [f"{URL}{i}/" for i in range(90)]
    for url in old:
        store.store(url, 200, {}, b"x", "2025-01-01T00:00:00+00:00")
        store.mark_loaded(url, sha256_hex(b"x"))
    store.store(URL, 200, {}, b"y", "2026-05-01T00:00:00+00:00")
    store.mark_loaded(URL, sha256_hex(b"y"))
    store.note_discovered([URL + "never-fetched/"], "page", "2025-01-01T00:00:00+00:00")
    from datetime import datetime

    now = datetime(2026, 5, 2, tzinfo=UTC)
    known = store.known_urls()
    nights = [
        dict(plan_revisits(known, now=now, night=n, recent_days=90, revisit_slice=30, full=False))
        for n in range(30)
    ]
    for due in nights:
        assert due[URL] == "revisit" and due[URL + "never-fetched/"] == "retry"
    # each old page exactly once in 30 nights
    counts = {u: sum(u in due for due in nights) for u in old}
    assert set(counts.values()) == {1}
    assert old[0] in nights[url_slice(old[0], 30)]
    full = plan_revisits(known, now=now, night=0, recent_days=90, revisit_slice=30, full=True)
    assert len(full) == len(known)


def test_lock_refuses_a_second_holder_and_is_released(tmp_path):
    db = tmp_path / "foi.db"
    with CrawlLock(db):
        with pytest.raises(LockHeld, match="another refresh"):
            with CrawlLock(db):
                pass
    with CrawlLock(db):
        pass


def test_lock_of_a_killed_holder_is_free(tmp_path):
    db = tmp_path / "foi.db"
    code = (
        "import sys, os, signal; from scraper.lock import CrawlLock\n"
        f"CrawlLock({str(db)!r}).__enter__(); os.kill(os.getpid(), signal.SIGKILL)"
    )
    proc = subprocess.run([sys.executable, "-c", code], timeout=30)
    assert proc.returncode == -9
    with CrawlLock(db):  # no stale lock left behind
        pass


def test_an_old_response_first_crawled_today_is_not_recent(tmp_path):
    from datetime import datetime

    store = PageStore(tmp_path / "pages.db")
    for url in (URL, URL + "new/"):
        store.store(url, 200, {}, b"x", "2026-05-01T00:00:00+00:00")
        store.mark_loaded(url, sha256_hex(b"x"))
    dated = {URL: "2019-03", URL + "new/": "2026-04-30"}
    nights = [
        dict(
            plan_revisits(
                store.known_urls(),
                now=datetime(2026, 5, 2, tzinfo=UTC),
                night=n,
                recent_days=90,
                revisit_slice=30,
                full=False,
                dated=dated,
            )
        )
        for n in range(30)
    ]
    assert sum(URL in due for due in nights) == 1  # the 2019 response: once a month
    assert all(URL + "new/" in due for due in nights)
