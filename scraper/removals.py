"""Removals that are true: a 404 is a removal only on a night the site is healthy.

During a run a page whose own URL answers 404/410 (or now redirects to a page that is
not a response) is only a candidate (outcome `gone`, scraper/process.py). At the end
of the run the candidates become removals in the archive (`removed_at`, a `removed`
event) only if the site was otherwise healthy tonight:

- robots.txt answered normally (200, or 404/410: a site without one);
- the lister answered normally (its first page listed disclosure-log items);
- most known pages checked this run answered normally (new, changed, unchanged),
  not gone, failed or blocked. When fewer than `MIN_CONTROLS` pages were checked,
  a few more archived pages are checked as controls first, so one 404 on a quiet
  night is judged against the site, not against itself.

A night that fails these (a site-wide 404 after a broken deploy, a maintenance page
everywhere) marks nothing removed; the candidates stay flagged in the crawl state and
are re-checked on the next run (scraper/plan.py), as are pages already removed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from db.crawl_queries import live_response_urls
from db.known_urls import UrlRange
from db.load import mark_removed, utc_now

log = logging.getLogger("foilog.refresh")

MIN_CONTROLS = 3
FINE = ("new", "changed", "unchanged")
TROUBLED = ("gone", "failed", "blocked")


@dataclass
class SiteHealth:
    robots_ok: bool
    lister_ok: bool
    fine: int = 0
    troubled: int = 0

    def problem(self) -> str | None:
        """Why tonight's 404s cannot be trusted as removals, or None."""
        if not self.robots_ok:
            return "robots.txt did not answer normally"
        if not self.lister_ok:
            return "the lister did not answer normally"
        if self.fine <= self.troubled:
            checked = self.fine + self.troubled
            return f"only {self.fine} of {checked} pages checked tonight answered normally"
        return None


def robots_answered_normally(status: int) -> bool:
    return status == 200 or status in (404, 410)


async def confirm_removals(
    ctx, health: SiteHealth, candidates: list[str]
) -> tuple[int, str | None]:
    """Mark the candidates removed if the site is healthy; (how many, why not)."""
    if not candidates:
        return 0, None
    candidates = list(candidates)
    if health.fine < MIN_CONTROLS:
        await _check_controls(ctx, health, candidates)
    problem = health.problem()
    if problem is not None:
        log.debug(
            "%d page(s) answered 404/410 but %s: none marked removed; re-checked next run",
            len(candidates),
            problem,
        )
        return 0, problem
    now = utc_now()
    removed = 0
    for url in candidates:
        async with _turn(ctx):
            if mark_removed(ctx.archive, url, now, run_id=ctx.run_id):
                removed += 1
        if ctx.run_id is not None:
            ctx.store.set_state(ctx.run_id, url, "done", outcome="removed")
    return removed, None


async def _check_controls(ctx, health: SiteHealth, candidates: list[str]) -> None:
    """Check a few archived, live pages not yet checked this run."""
    from scraper.process import refresh_page

    if not (health.robots_ok and health.lister_ok):
        return  # the night is already known to be unhealthy: spare the site
    skip = set(candidates)
    if ctx.run_id is not None:
        skip |= ctx.store.run_urls(ctx.run_id)
    wanted = MIN_CONTROLS - health.fine
    site = UrlRange.of_site(ctx.fetcher.base_url)  # controls the fetcher can ask for
    pool = [u for u in live_response_urls(ctx.archive, wanted + len(skip), site) if u not in skip]
    controls = pool[:wanted]
    if ctx.run_id is not None and controls:
        ctx.store.add_to_frontier(ctx.run_id, [(u, "page", "control") for u in controls])
    for url in controls:
        outcome = await refresh_page(ctx, url)
        if outcome.outcome in FINE:
            health.fine += 1
        elif outcome.outcome in TROUBLED:
            health.troubled += 1
        if outcome.outcome == "gone":
            candidates.append(url)


class _NoLock:
    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc_info):
        return False


def _turn(ctx):
    return ctx.archive_lock if ctx.archive_lock is not None else _NoLock()
