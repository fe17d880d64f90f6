"""One response page through the pipeline: fetch -> store raw -> parse -> load.

The raw body is committed (with the frontier item's state) before it is parsed; the
archive load is one transaction; the frontier item is marked done last. A kill between
any two steps therefore repeats at most one idempotent step on restart.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from dataclasses import dataclass
from urllib.parse import urlsplit

import sqlite_utils

from db.attachments import listed_attachments
from db.crawl_queries import archived_reference, archived_sha256, is_removed
from db.load import Provenance, load_response, mark_removed, mark_seen, utc_now
from db.pages import DONE, FAILED, STORED, PageStore, StoredPage
from parsers import parse_response
from scraper.discover import canonical_page_url
from scraper.fetch import Fetcher, FetchResult
from scraper.parse_pool import ParsePool

log = logging.getLogger("foilog.refresh")


@dataclass
class PageContext:
    fetcher: Fetcher
    store: PageStore
    archive: sqlite_utils.Database
    run_id: int | None = None  # None for `foilog fetch`: no frontier
    # the archive connection is shared by all workers; attachment syncing awaits
    # while it writes, so archive writes take turns
    archive_lock: asyncio.Lock | None = None
    attachments: bool = True
    # refresh parses in a child process with a time limit (scraper.parse_pool);
    # None parses inline (one-page commands)
    parse_pool: ParsePool | None = None


@dataclass(frozen=True)
class PageOutcome:
    url: str
    # new | changed | unchanged | removed | failed, and for the run's bookkeeping:
    # gone (404/410: a removal candidate, confirmed at the end of the run by
    # scraper/removals.py), still_removed (flagged removed, still 404), blocked
    # (a bot-protection challenge: nothing stored, retried next run)
    outcome: str
    error: str | None = None
    has_reference: bool | None = None


async def refresh_page(ctx: PageContext, url: str, *, stored_already: bool = False) -> PageOutcome:
    if stored_already:  # resumed: the body was stored before the kill; no refetch
        page = ctx.store.latest(url)
        if page is not None:
            return await _parse_and_load(ctx, page)
    known = ctx.store.known(url)
    trust_cache = (
        known is not None
        and known.failures == 0
        and (known.loaded_sha256 is not None and known.loaded_sha256 == known.latest_sha256)
    )
    cached = known if trust_cache else None  # its ETag and Last-Modified go with the request
    result = await ctx.fetcher.get(
        url,
        kind="page",
        etag=cached.etag if cached is not None else None,
        last_modified=cached.last_modified if cached is not None else None,
    )
    now = utc_now()
    if result.blocked:  # never parsed, stored, or taken for a removal
        return _blocked(ctx, url, result.error or "blocked by bot protection", now)
    redirected = _redirected_to(ctx, url, result)
    if redirected is not None:
        if ctx.fetcher.settings.site.is_detail_path(urlsplit(redirected).path):
            return await _moved(ctx, url, redirected, result, now)
        if result.status == 200:  # to a page that is not a response: gone, like a 404
            return await _gone(ctx, url, result.status, now, note=f"redirects to {redirected}")
    if result.error is not None:
        return _failed(ctx, url, result.error, now)
    if result.status in (404, 410):
        if known is None and ctx.run_id is None:
            return _failed(ctx, url, f"HTTP {result.status}: not found", now)
        return await _gone(ctx, url, result.status, now)
    if result.status == 304:
        ctx.store.store(url, 304, result.headers, b"", now)
        return await _seen(ctx, url, now)
    with ctx.store.transaction():
        page = ctx.store.store(url, 200, result.headers, result.body, now)
        _set_state(ctx, url, STORED)
    if not page.new_version and trust_cache:
        return await _seen(ctx, url, now)
    return await _parse_and_load(ctx, page)


def _redirected_to(ctx: PageContext, url: str, result: FetchResult) -> str | None:
    """Where this URL now redirects (on-site, another address than its own), if anywhere."""
    if result.error is not None or result.final_url == url:
        return None
    target = canonical_page_url(result.final_url)
    return None if target == url else target


async def _moved(
    ctx: PageContext, url: str, target: str, result: FetchResult, now: str
) -> PageOutcome:
    """A renamed page: archived under its new address; the old one marked removed.

    Keeping the body under the old URL would give the archive two rows for one
    response once the lister shows the new address.
    """
    log.info("moved: %s -> %s", url, target)
    ctx.store.store(url, 301, {}, b"", now)  # the old address: known, never a new version
    async with _archive_turn(ctx):
        mark_removed(ctx.archive, url, now, run_id=ctx.run_id)
    outcome = await refresh_page(ctx, target)  # once more, through the whole pipeline
    _set_state(
        ctx,
        url,
        FAILED if outcome.outcome == "failed" else DONE,
        outcome=outcome.outcome,
        error=outcome.error,
    )
    return outcome


async def _seen(ctx: PageContext, url: str, now: str) -> PageOutcome:
    """Unchanged on the site; load the stored copy if the archive does not have it."""
    known = ctx.store.known(url)
    if known and known.latest_sha256 and archived_sha256(ctx.archive, url) == known.latest_sha256:
        async with _archive_turn(ctx):
            mark_seen(ctx.archive, url, now, run_id=ctx.run_id)
            # a file can be replaced, withdrawn or have failed to download last time
            # while the page linking to it stays the same: re-check them (conditionally)
            listed = listed_attachments(ctx.archive, url) if ctx.attachments else ()
            if listed:
                await _sync_attachments(ctx, url, listed)
        return _done(ctx, PageOutcome(url, "unchanged"))
    # the archive lacks this content (a kill or power cut after the raw store commit,
    # a parse that failed last time, a fresh archive): load it from the raw store
    page = ctx.store.latest(url)
    if page is None:
        return _failed(ctx, url, "not modified, but no stored copy to load", now)
    return await _parse_and_load(ctx, page)


async def _parse_and_load(ctx: PageContext, page: StoredPage) -> PageOutcome:
    try:
        if ctx.parse_pool is not None:
            response = await ctx.parse_pool.parse(page.body, page.url)
        else:
            response = parse_response(page.body, page.url)
    # A parser bug (or a page the parser spins on: ParseTimeout) on one page must not stop the run: the raw page is kept, the
    # failure counted and reported, and the page retried next run.
    except Exception as exc:  # noqa: BLE001
        error = f"parse failed: {type(exc).__name__}: {exc}"
        return _failed(ctx, page.url, error, utc_now(), has_reference=False)
    if _would_blank_a_good_record(ctx, response):
        # Seen on real sites: an empty 200 or a maintenance page at a response URL.
        # The raw page is stored; the archive keeps the good record until the site
        # serves a real page again, and the failure is reported and retried.
        error = "page now parses to an empty record; archived record kept (raw page stored)"
        return _failed(ctx, page.url, error, utc_now(), has_reference=False)
    prov = Provenance(page.url, page.fetched_at, page.sha256)
    async with _archive_turn(ctx):
        status = load_response(ctx.archive, response, prov, now=page.fetched_at, run_id=ctx.run_id)
        if ctx.attachments and response.attachments:
            await _sync_attachments(ctx, page.url, response.attachments)
    outcome = PageOutcome(page.url, status, has_reference=response.reference is not None)
    with ctx.store.transaction(durable=False):
        ctx.store.mark_loaded(page.url, page.sha256)
        return _done(ctx, outcome)


def _would_blank_a_good_record(ctx: PageContext, response) -> bool:
    if response.reference is not None or response.questions:
        return False
    archived, reference = archived_reference(ctx.archive, response.url)
    return archived and reference is not None


async def _sync_attachments(ctx: PageContext, url: str, attachments) -> None:
    from scraper.attachments import sync_attachments

    try:
        await sync_attachments(ctx.fetcher, ctx.store, ctx.archive, url, attachments, utc_now())
    except sqlite3.Error:
        raise  # a full disk or a read-only file stops the run at the command boundary
    # The response itself is archived; a bug in attachment handling must not lose it
    # or stop the run. It is logged with the page URL.
    except Exception as exc:  # noqa: BLE001
        log.warning("attachments of %s not synced: %s: %s", url, type(exc).__name__, exc)


async def _gone(ctx: PageContext, url: str, status: int, now: str, note: str = "") -> PageOutcome:
    """The page's own URL answers 404/410 (or redirects away from responses).

    Recorded in the crawl state only. Whether it is a removal depends on the whole
    night (a site-wide 404 is an outage, not 1000 removals): scraper/removals.py
    decides at the end of the run and writes the archive then.
    """
    # a redirect away is kept as "gone" (404) in the crawl state: re-checked nightly
    ctx.store.store(url, 404 if note else status, {}, b"", now)
    if is_removed(ctx.archive, url):
        return _done(ctx, PageOutcome(url, "still_removed"))
    if ctx.store.latest(url) is None:
        why = note or f"HTTP {status}: not found"
        return _failed(ctx, url, f"{why}, nothing archived", now)
    return _done(ctx, PageOutcome(url, "gone", note or f"HTTP {status}"))


def _blocked(ctx: PageContext, url: str, error: str, now: str) -> PageOutcome:
    with ctx.store.transaction(durable=False):
        if ctx.run_id is not None or ctx.store.known(url) is not None:
            ctx.store.record_failure(url, "page", error, now)  # retried next run
        _set_state(ctx, url, DONE, outcome="blocked", error=error)
    return PageOutcome(url, "blocked", error)


def _failed(
    ctx: PageContext, url: str, error: str, now: str, *, has_reference: bool | None = None
) -> PageOutcome:
    log.debug("failed: %s: %s", url, error)  # listed once at the end of the run
    with ctx.store.transaction(durable=False):
        if ctx.run_id is not None or ctx.store.known(url) is not None:
            # remembered so the next run retries it; a one-off `foilog fetch` of an
            # unknown URL (a typo) is not added to the nightly schedule
            ctx.store.record_failure(url, "page", error, now)
        _set_state(ctx, url, FAILED, outcome="failed", error=error, has_reference=has_reference)
    return PageOutcome(url, "failed", error, has_reference)


def _done(ctx: PageContext, outcome: PageOutcome) -> PageOutcome:
    _set_state(
        ctx,
        outcome.url,
        DONE,
        outcome=outcome.outcome,
        error=outcome.error,
        has_reference=outcome.has_reference,
    )
    return outcome


def _set_state(ctx: PageContext, url: str, state: str, **fields) -> None:
    if ctx.run_id is not None:
        ctx.store.set_state(ctx.run_id, url, state, **fields)


class _NoLock:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return False


def _archive_turn(ctx: PageContext):
    return ctx.archive_lock if ctx.archive_lock is not None else _NoLock()
