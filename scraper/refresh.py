"""The nightly refresh: discover -> plan revisits -> fetch/store/parse/load -> report.

Resumable: the run and its frontier live in the raw page store, so a refresh killed at
any moment (even SIGKILL) picks up the same run next time and finishes it. One
refresh per archive at a time (an flock next to the archive).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import sqlite_utils

from db.crawl_queries import (
    pages_with_attachment_trouble,
    removed_response_urls,
    response_dates_of,
)
from db.files import check_sqlite_file, open_archive, open_page_store
from db.load import record_crawl_run, utc_now
from db.pages import STORED, FrontierItem, PageStore, Run, UrlRange
from scraper.config import CrawlSettings
from scraper.discover import (
    Discovery,
    SiteChangedShape,
    discover_listing,
    discover_sitemap,
    lister_url,
)
from scraper.fetch import Fetcher
from scraper.lock import CrawlLock
from scraper.parse_pool import ParsePool
from scraper.plan import DateLookup, night_number, plan_revisits
from scraper.process import PageContext, PageOutcome, refresh_page
from scraper.progress import Progress
from scraper.removals import FINE, TROUBLED, SiteHealth, confirm_removals, robots_answered_normally
from scraper.report import canary_message, exit_code_for, parse_yield, summary_json

log = logging.getLogger("foilog.refresh")


def open_crawl_archive(settings: CrawlSettings) -> sqlite_utils.Database:
    db = open_archive(settings.db_path)
    # The archive can be rebuilt from the raw store (which is FULL, see db/pages.py):
    # a load lost to a power cut is found missing on the next visit and reloaded
    # (scraper.process._seen), so the archive need not fsync every response.
    db.conn.execute("PRAGMA synchronous=NORMAL")
    return db


def check_files(settings: CrawlSettings) -> None:
    """Raise db.files.NotAnArchive now if either file is not SQLite (before any request)."""
    check_sqlite_file(settings.db_path, "archive")
    check_sqlite_file(settings.pages_path, "raw page store")


async def refresh(
    settings: CrawlSettings,
    *,
    progress: Progress | None = None,
    backoff_base: float = 1.0,
    lock: bool = True,
) -> dict:
    """Run (or resume) one refresh; returns the summary (see scraper.report).

    `lock=False`: the caller holds the archive's lock (scraper/forces_run.py).
    """
    started, clock = utc_now(), time.monotonic()
    check_files(settings)
    # the Fetcher reads --cookies: a bad file is refused before the lock file is made
    async with Fetcher(settings, backoff_base=backoff_base) as fetcher:
        # the lock before any request: a second refresh sends the site nothing
        with CrawlLock(settings.db_path) if lock else contextlib.nullcontext():
            # unreachable or blocked by bot protection: raise before touching the stores
            await fetcher.preflight()
            lister = await fetcher.probe(lister_url(settings.site))
            store = open_page_store(settings.pages_path)
            try:
                archive = open_crawl_archive(settings)
            except BaseException:
                store.close()
                raise
            if settings.warc_dir is not None:
                from scraper.warc_write import RunWarcWriter

                fetcher.warc = RunWarcWriter.start(settings.warc_dir, settings.site.base_url)
            try:
                return await _run(
                    settings, fetcher, store, archive, progress, started, clock, lister.ok
                )
            finally:
                store.close()
                archive.close()
                if fetcher.warc is not None:
                    log.info("this run's answers: %s", fetcher.warc.close())


async def _run(settings, fetcher, store, archive, progress, started, clock, lister_ok) -> dict:
    now = datetime.now(UTC)
    run = store.start_or_resume_run(started, night_number(now), settings.full)
    if run.resumed:
        log.info("resuming run %s (started %s, interrupted)", run.id, run.started_at)
    discovery = Discovery()
    shape_error = None
    if not run.discovery_done:
        site = UrlRange.of_site(settings.site.base_url)  # another force's rows are not read
        shape_error = await discover(
            fetcher,
            store,
            settings,
            run,
            now,
            discovery,
            lambda urls: response_dates_of(archive, urls),
            pages_with_attachment_trouble(archive, site),
            removed_response_urls(archive, site),
        )
    items = store.open_items(run.id)
    pool = ParsePool()
    ctx = PageContext(fetcher, store, archive, run.id, asyncio.Lock(), parse_pool=pool)
    try:
        await fetch_pages(ctx, items, settings.concurrency, progress or Progress(enabled=False))
        withheld = await _confirm_removals(ctx, fetcher, run, lister_ok and not shape_error)
    finally:
        pool.close()
    if withheld:
        discovery.warnings.append(withheld)
    _group_round_robins(archive)
    summary = summarise(settings, store, fetcher, run, discovery, started, clock, shape_error)
    record_crawl_run(archive, summary)
    store.finish_run(run.id, summary["finished_at"], summary_json(summary))
    return summary


async def _confirm_removals(ctx: PageContext, fetcher: Fetcher, run: Run, lister_ok: bool):
    """Tonight's 404s become removals only if the site was healthy (scraper/removals.py);
    returns the warning when they were withheld."""
    counts = ctx.store.run_outcomes(run.id)
    robots = await fetcher.robots()
    health = SiteHealth(
        robots_ok=robots_answered_normally(robots.status) and not fetcher.blocked_reason,
        lister_ok=lister_ok,
        fine=sum(counts.get(o, 0) for o in FINE),
        troubled=sum(counts.get(o, 0) for o in TROUBLED),
    )
    candidates = ctx.store.run_urls_with_outcome(run.id, "gone")
    _, problem = await confirm_removals(ctx, health, candidates)
    if problem is None:
        return None
    gone = len(ctx.store.run_urls_with_outcome(run.id, "gone"))
    message = (
        f"{gone} page(s) answered 404/410 or left for a non-response page, but {problem}: "
        "none marked removed tonight (re-checked next run)"
    )
    log.warning("%s", message)
    return message


async def discover(
    fetcher: Fetcher,
    store: PageStore,
    settings: CrawlSettings,
    run: Run,
    now: datetime,
    discovery: Discovery,
    dated: Mapping[str, str] | DateLookup | None = None,
    attachment_retries: Sequence[str] = (),
    removed: Sequence[str] = (),
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
        store.iter_known("page", UrlRange.of_site(settings.site.base_url)),
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
        # flagged removed: re-checked every run, so a page put back is restored at once
        store.add_to_frontier(run.id, [(u, "page", "removed") for u in removed])
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
        "unchanged": counts.get("unchanged", 0) + counts.get("still_removed", 0),
        "failed": len(failures),
        "blocked": max(fetcher.stats.blocked, counts.get("blocked", 0)),
        "requests": fetcher.stats.requests,
        "bytes": fetcher.stats.bytes,
        "duration_s": round(time.monotonic() - clock, 3),
        "parse_yield": parse_yield(parsed, with_reference),
        "lister_requests": discovery.lister_requests,
        "sitemap_new": len(discovery.sitemap_urls),
        "retries": fetcher.stats.retries,
        "gone_unconfirmed": counts.get("gone", 0),
        "blocked_reason": fetcher.blocked_reason,
        "browser_requests": fetcher.stats.by_browser,
        "parsed": parsed,
        "run_id": run.id,
        "resumed": run.resumed,
        "full": run.full,
        "site": settings.site.base_url,
        "force": settings.site.key,
        "started_at": started,
        "finished_at": utc_now(),
        "shape_changed": shape_error or canary,
        "failures": failures[:50],
        "warnings": discovery.warnings,
    }
    summary["exit_code"] = exit_code_for(summary)
    return summary


def _group_round_robins(archive) -> None:
    """Every response loaded or changed and not yet grouped, once the parser child is gone.

    Page by page in bounded memory, even after a first crawl of thousands of pages
    (db/round_robins.py REFRESH_REBUILD_FROM): the whole-archive build would hold every
    sketch at once and start a sketching process per core (crawl_peak_rss_mb_5k).
    """
    from db.round_robins import REFRESH_REBUILD_FROM, update_round_robins

    update_round_robins(archive, rebuild_from=REFRESH_REBUILD_FROM)
