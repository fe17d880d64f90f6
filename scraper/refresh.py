"""The nightly refresh: discover -> plan revisits -> fetch/store/parse/load -> report.

Resumable: the run and its frontier live in the raw page store, so a refresh killed at
any moment (even SIGKILL) picks up the same run next time and finishes it. One
refresh per archive at a time (an flock next to the archive).
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime

import sqlite_utils

from db.load import record_crawl_run, utc_now
from db.pages import STORED, FrontierItem, PageStore, Run
from db.round_robins import update_round_robins
from db.schema import ensure_schema
from foilog.settings import Settings
from scraper.discover import Discovery, SiteChangedShape, discover_listing, discover_sitemap
from scraper.fetch import Fetcher
from scraper.lock import CrawlLock
from scraper.parse_pool import ParsePool
from scraper.plan import night_number, plan_revisits
from scraper.process import PageContext, PageOutcome, refresh_page
from scraper.progress import Progress
from scraper.report import canary_message, exit_code_for, parse_yield, summary_json

log = logging.getLogger("foilog.refresh")


def open_archive(settings: Settings) -> sqlite_utils.Database:
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite_utils.Database(settings.db_path)
    ensure_schema(db)
    # The archive can be rebuilt from the raw store (which is FULL, see db/pages.py):
    # a load lost to a power cut is found missing on the next visit and reloaded
    # (scraper.process._seen), so the archive need not fsync every response.
    db.conn.execute("PRAGMA synchronous=NORMAL")
    return db


async def refresh(
    settings: Settings, *, progress: Progress | None = None, backoff_base: float = 1.0
) -> dict:
    """Run (or resume) one refresh; returns the summary (see scraper.report)."""
    started, clock = utc_now(), time.monotonic()
    with CrawlLock(settings.db_path):
        async with Fetcher(settings, backoff_base=backoff_base) as fetcher:
            await fetcher.preflight()  # unreachable: raise before touching any file
            store = PageStore(settings.pages_path)
            archive = open_archive(settings)
            try:
                return await _run(settings, fetcher, store, archive, progress, started, clock)
            finally:
                store.close()
                archive.close()


async def _run(settings, fetcher, store, archive, progress, started, clock) -> dict:
    now = datetime.now(UTC)
    run = store.start_or_resume_run(started, night_number(now), settings.full)
    if run.resumed:
        log.info("resuming run %s (started %s, interrupted)", run.id, run.started_at)
    discovery = Discovery()
    shape_error = None
    if not run.discovery_done:
        shape_error = await discover(
            fetcher,
            store,
            settings,
            run,
            now,
            discovery,
            response_dates(archive),
            pages_with_attachment_trouble(archive),
        )
    items = store.open_items(run.id)
    pool = ParsePool()
    ctx = PageContext(fetcher, store, archive, run.id, asyncio.Lock(), parse_pool=pool)
    try:
        await fetch_pages(ctx, items, settings.concurrency, progress or Progress(enabled=False))
    finally:
        pool.close()
    update_round_robins(archive)  # every response loaded or changed and not yet grouped
    summary = summarise(settings, store, fetcher, run, discovery, started, clock, shape_error)
    record_crawl_run(archive, summary)
    store.finish_run(run.id, summary["finished_at"], summary_json(summary))
    return summary


def response_dates(archive: sqlite_utils.Database) -> dict[str, str]:
    """url -> the response's own date (published, else month) from the archive."""
    rows = archive.conn.execute(
        "SELECT url, COALESCE(published, month) FROM responses"
        " WHERE COALESCE(published, month) IS NOT NULL"
    )
    return {url: date for url, date in rows}


def pages_with_attachment_trouble(archive: sqlite_utils.Database) -> list[str]:
    """Live responses with an attachment not yet downloaded or whose last download
    failed (not off-site, not gone): their pages are revisited so the files are retried."""
    if not archive["attachment_state"].exists():
        return []
    rows = archive.conn.execute(
        "SELECT DISTINCT r.url FROM attachments a JOIN responses r ON r.id = a.response_id"
        " LEFT JOIN attachment_state s ON s.attachment_id = a.id"
        " WHERE a.removed_at IS NULL AND r.removed_at IS NULL"
        " AND COALESCE(s.offsite, 0) = 0 AND s.gone_since IS NULL"
        " AND (s.fetch_error IS NOT NULL OR a.sha256 IS NULL) ORDER BY r.url"
    )
    return [url for (url,) in rows]


async def discover(
    fetcher: Fetcher,
    store: PageStore,
    settings: Settings,
    run: Run,
    now: datetime,
    discovery: Discovery,
    dated: dict[str, str] | None = None,
    attachment_retries: list[str] = (),
) -> str | None:
    """Fill this run's frontier: lister, sitemap, then the revisits due tonight.

    Returns the shape-change message when the lister yields nothing; the known pages
    are still revisited, so the archive keeps up while the operator looks.
    """
    when = now.isoformat(timespec="seconds")
    shape_error = None
    try:
        await discover_listing(
            fetcher, store, settings.site, full=run.full, now=when, into=discovery
        )
    except SiteChangedShape as exc:
        shape_error = str(exc)
    await discover_sitemap(fetcher, store, settings.site, now=when, into=discovery)
    due = plan_revisits(
        store.known_urls("page"),
        now=now,
        night=run.night,
        recent_days=settings.recent_days,
        revisit_slice=settings.revisit_slice,
        full=run.full,
        dated=dated,
    )
    with store.transaction():
        store.add_to_frontier(run.id, [(u, "page", "listing") for u in discovery.new_urls])
        store.add_to_frontier(run.id, [(u, "page", "sitemap") for u in discovery.sitemap_urls])
        store.add_to_frontier(run.id, [(u, "page", "lastmod") for u in discovery.sitemap_changed])
        store.add_to_frontier(run.id, [(u, "page", reason) for u, reason in due])
        store.add_to_frontier(run.id, [(u, "page", "attachments") for u in attachment_retries])
        store.mark_discovery_done(run.id)
    for warning in discovery.warnings:
        log.warning("%s", warning)
    log.info(
        "discovery: %d new from the lister (%d lister requests), %d new and %d updated"
        " (lastmod) from the sitemap, %d due for a revisit",
        len(discovery.new_urls),
        discovery.lister_requests,
        len(discovery.sitemap_urls),
        len(discovery.sitemap_changed),
        len(due),
    )
    return shape_error


async def fetch_pages(
    ctx: PageContext, items: list[FrontierItem], workers: int, progress: Progress
) -> list[PageOutcome]:
    """Fetch, store, parse and load every item with `workers` concurrent workers."""
    queue: asyncio.Queue[FrontierItem] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    outcomes: list[PageOutcome] = []
    progress.start(len(items))

    async def worker() -> None:
        while not queue.empty():
            item = queue.get_nowait()
            outcome = await refresh_page(ctx, item.url, stored_already=item.state == STORED)
            outcomes.append(outcome)
            progress.advance(outcome.outcome)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, min(workers, len(items)))):
                group.create_task(worker())
    except BaseExceptionGroup as group_error:
        raise group_error.exceptions[0] from None  # e.g. disk full: one clear error
    finally:
        progress.close()
    return outcomes


def summarise(settings, store, fetcher, run, discovery, started, clock, shape_error) -> dict:
    counts = store.run_outcomes(run.id)
    parsed, with_reference = store.run_reference_yield(run.id)
    canary = canary_message(parsed, with_reference)
    failures = store.run_failures(run.id)
    failures += [{"url": None, "error": w} for w in discovery.warnings if "failed" in w]
    summary = {
        "new": counts.get("new", 0),
        "changed": counts.get("changed", 0),
        "removed": counts.get("removed", 0),
        "unchanged": counts.get("unchanged", 0),
        "failed": len(failures),
        "requests": fetcher.stats.requests,
        "bytes": fetcher.stats.bytes,
        "duration_s": round(time.monotonic() - clock, 3),
        "parse_yield": parse_yield(parsed, with_reference),
        "lister_requests": discovery.lister_requests,
        "sitemap_new": len(discovery.sitemap_urls),
        "retries": fetcher.stats.retries,
        "parsed": parsed,
        "run_id": run.id,
        "resumed": run.resumed,
        "full": run.full,
        "site": settings.site.base_url,
        "started_at": started,
        "finished_at": utc_now(),
        "shape_changed": shape_error or canary,
        "failures": failures[:50],
        "warnings": discovery.warnings,
    }
    summary["exit_code"] = exit_code_for(summary)
    return summary
