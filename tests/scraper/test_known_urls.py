"""A refresh asks for the night's URLs, never the whole store or archive (db/known_urls.py).

"Reads no other force's rows" is measured as SQLite's own work: the virtual-machine
steps of a query (a progress handler called on every step) must not grow when another
force's rows are added; a scan of the table would grow with them.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

from db.crawl_queries import (
    live_response_urls,
    pages_with_attachment_trouble,
    removed_response_urls,
    response_dates_of,
)
from db.files import open_archive
from db.load import response_key
from db.pages import PageStore, UrlRange, sha256_hex
from scraper.plan import plan_revisits
from scraper.refresh import refresh
from tests.scraper.conftest import settings_for

SITE = "http://127.0.0.1:8000"
MINE = SITE + "/foi-ai/metropolitan-police/disclosure-2024/may-2024/{}/"
# neighbours in text order on both sides of the site's range, and look-alike hosts
OTHERS = (
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure-2024/may/{}/",
    "http://127.0.0.1:80/foi-ai/other-a/{}/",
    "http://127.0.0.1:80001/foi-ai/other-b/{}/",
    "http://127.0.0.1:8000.example/foi-ai/other-c/{}/",
    "http://zz.example/foi-ai/other-d/{}/",
)
WHEN = "2026-05-01T00:00:00+00:00"


def steps(conn: sqlite3.Connection, query) -> tuple[int, object]:
    """(SQLite VM steps, result) of `query()`."""
    count = 0

    def tick() -> int:
        nonlocal count
        count += 1
        return 0

    conn.set_progress_handler(tick, 1)
    try:
        result = query()
    finally:
        conn.set_progress_handler(None, 0)
    return count, result


def other_urls(n: int) -> list[str]:
    return [pattern.format(f"item-{i}") for pattern in OTHERS for i in range(n)]


def test_url_range_is_the_sites_scheme_and_host_only():
    within = UrlRange.of_site("HTTP://127.0.0.1:8000/www.met.police.uk/")
    assert within.start <= MINE.format("a") < within.stop
    assert not any(within.start <= url < within.stop for url in other_urls(1))


def test_known_among_answers_for_the_urls_asked_only(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    known = [MINE.format(i) for i in range(1200)]
    store.note_discovered(known, "page", WHEN)
    store.note_discovered([SITE + "/published-items/"], "listing", WHEN)
    asked = known[::2] + [MINE.format(f"unknown-{i}") for i in range(700)]
    found = store.known_among([*asked, SITE + "/published-items/"], "page")
    assert sorted(found) == sorted(known[::2])  # 600 known, over one chunk; no other kind
    assert found[known[0]].first_seen == WHEN
    # one indexed look-up per URL: the rest of the store is not read
    few, _ = steps(store.conn, lambda: store.known_among(known[:10], "page"))
    store.note_discovered(other_urls(2000), "page", WHEN)
    after, _ = steps(store.conn, lambda: store.known_among(known[:10], "page"))
    assert after < few + 100


def test_iter_known_streams_one_sites_urls_in_order_and_reads_no_other(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    mine = [MINE.format(f"r{i:03d}") for i in range(50)]
    store.note_discovered(reversed(mine), "page", WHEN)
    store.note_discovered([SITE + "/sitemap.xml"], "sitemap", WHEN)
    within = UrlRange.of_site(SITE)
    alone, urls = steps(store.conn, lambda: [k.url for k in store.iter_known("page", within)])
    assert urls == mine
    store.note_discovered(other_urls(2000), "page", WHEN)
    crowded, urls = steps(store.conn, lambda: [k.url for k in store.iter_known("page", within)])
    assert urls == mine
    assert crowded < alone + 100  # 10,000 other rows: a scan would add tens of thousands


def test_the_streamed_plan_equals_the_plan_over_a_dict_and_asks_dates_of_recent_pages(tmp_path):
    store = PageStore(tmp_path / "pages.db")
    for i in range(2500):  # more than one batch
        url = MINE.format(f"r{i:04d}")
        when = WHEN if i % 3 else "2024-01-01T00:00:00+00:00"
        store.store(url, 200, {}, b"x", when)
        if i % 7:
            store.mark_loaded(url, sha256_hex(b"x"))  # the others: retry
    store.note_discovered([MINE.format("never")], "page", WHEN)
    dated = {MINE.format(f"r{i:04d}"): "2019-03" for i in range(0, 2500, 2)}
    asked: list[str] = []

    def lookup(urls):
        asked.extend(urls)
        return {u: dated[u] for u in urls if u in dated}

    plan = dict(now=datetime(2026, 5, 2, tzinfo=UTC), recent_days=90, revisit_slice=30)
    for night in (0, 7):
        for full in (False, True):
            expected = plan_revisits(
                store.known_urls(), night=night, full=full, dated=dated, **plan
            )
            streamed = plan_revisits(
                store.iter_known("page", UrlRange.of_site(SITE)),
                night=night,
                full=full,
                dated=lookup,
                **plan,
            )
            assert streamed == expected
            assert [u for u, _ in streamed] == sorted(u for u, _ in streamed)
    known = store.known_urls()
    assert asked and all(
        known[u].first_seen == WHEN and known[u].loaded_sha256 == known[u].latest_sha256
        for u in asked
    )


def _archive_with(tmp_path, urls, removed=(), troubled=()):
    archive = open_archive(tmp_path / "foi.db")
    with archive.conn:
        archive.conn.executemany(
            "INSERT INTO responses (id, url, title, published, first_seen, last_seen,"
            " last_changed, removed_at) VALUES (?, ?, 't', '2019-03-01', ?, ?, ?, ?)",
            [(response_key(u), u, WHEN, WHEN, WHEN, WHEN if u in removed else None) for u in urls],
        )
        archive.conn.executemany(
            "INSERT INTO attachments (response_id, url, first_seen, last_seen) VALUES (?,?,?,?)",
            [(response_key(u), u + "file.pdf", WHEN, WHEN) for u in troubled],
        )
    return archive


def test_the_archive_lists_of_a_refresh_are_the_sites_and_read_no_other(tmp_path):
    mine = [MINE.format(f"r{i}") for i in range(20)]
    others = other_urls(1500)
    archive = _archive_with(
        tmp_path, mine + others, removed={mine[3], others[5]}, troubled={mine[4], others[6]}
    )
    within = UrlRange.of_site(SITE)
    assert removed_response_urls(archive, within) == [mine[3]]
    assert pages_with_attachment_trouble(archive, within) == [mine[4]]
    assert set(live_response_urls(archive, 100, within)) == set(mine) - {mine[3]}
    assert response_dates_of(archive, mine[:2] + ["http://nowhere/"]) == dict.fromkeys(
        mine[:2], "2019-03-01"
    )
    queries = (
        lambda: removed_response_urls(archive, within),
        lambda: pages_with_attachment_trouble(archive, within),
        lambda: live_response_urls(archive, 5, within),
        lambda: response_dates_of(archive, mine[:5]),
    )
    for query in queries:
        work, _ = steps(archive.conn, query)
        assert work < 3000, work  # 7,520 responses: a scan of them costs far more


async def test_a_refresh_queues_no_other_forces_url_and_takes_no_known_url_for_new(
    manifest, mirror, tmp_path
):
    settings = settings_for(mirror.base_url, tmp_path)
    listed = sorted(mirror.url(r["url_path"]) for r in manifest["responses"])
    with PageStore(settings.pages_path) as store:
        # another force in the same store and archive, due by every rule (never fetched,
        # removed): none of it may reach this site's frontier
        store.note_discovered([OTHERS[0].format(i) for i in range(3)], "page", WHEN)
        store.store(OTHERS[0].format("gone"), 404, {}, b"", WHEN)
        store.note_discovered(listed[:2], "page", WHEN)  # known, never fetched: retries
    _archive_with(tmp_path, [OTHERS[0].format("gone")], removed={OTHERS[0].format("gone")}).close()
    summary = await refresh(settings, backoff_base=0.02)
    assert summary["failed"] == 0 and summary["new"] == len(listed)
    conn = sqlite3.connect(settings.pages_path)
    reasons = dict(conn.execute("SELECT url, reason FROM frontier WHERE kind='page'"))
    conn.close()
    assert all(url.startswith(mirror.base_url + "/") for url in reasons)
    assert [reasons[u] for u in listed[:2]] == ["retry", "retry"]
    assert {reasons[u] for u in listed[2:]} == {"listing"}
