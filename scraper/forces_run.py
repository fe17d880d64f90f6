"""Refreshing many forces in one run: the single-site refresh once per force.

Each force keeps what makes its crawl its own: its host's politeness budget (a Fetcher
per force, so 1 request/s per host by default), its lister walk, its canary and its
failure accounting, its raw page store (`pages-<force>.db` next to `--pages-db`: runs,
frontier and crawl flags are per site) and its `crawl_runs` row. Forces on different
hosts run at the same time; forces sharing a host (a mirror) take turns, so a host is
never asked for more than one force's budget. One force that is down, challenged or
changed shape does not stop the others; the run's exit code is the worst of them.

A mirror of several forces (`--site URL --force ...`) serves each force's site under
`URL/<the force's live host>/`, the way a web archive lays out hosts: each force is
rebased onto its own prefix, and the code paths are the ones the live hosts get.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import urlsplit

import sqlite_utils

from db.files import force_pages_path
from db.load import record_crawl_run, utc_now
from db.schema import ensure_schema
from parsers.sites import SITES, SiteDefinition, force_key
from scraper.config import CrawlSettings as Settings
from scraper.lock import CrawlLock
from scraper.report import EXIT_OK, EXIT_UNREACHABLE, parse_yield

log = logging.getLogger("foilog.refresh")

# Hosts crawled at once: each has its own budget, but every force run holds a parser
# process and database connections, so a run over ~40 hosts goes this many at a time.
MAX_PARALLEL_HOSTS = 8
# Summary figures that add up across forces.
TOTALS = (
    "new",
    "changed",
    "removed",
    "unchanged",
    "failed",
    "requests",
    "bytes",
    "lister_requests",
    "sitemap_new",
    "retries",
    "parsed",
)


class UnknownForce(ValueError):
    """A --force KEY that is not in parsers/forces.toml (exit 2)."""


@dataclass(frozen=True)
class ForceJob:
    force: str
    settings: Settings


def select_forces(keys: tuple[str, ...] | list[str]) -> list[SiteDefinition]:
    """The definitions for --force keys (slug, Welsh slug or alias; "all" = every force)."""
    if not keys or "all" in keys:
        return list(SITES.values())
    chosen: dict[str, SiteDefinition] = {}
    for key in keys:
        found = force_key(key)
        if found is None:
            raise UnknownForce(
                f"unknown force {key!r}; known: {', '.join(SITES)} (or 'all'); "
                "add a force in parsers/forces.toml"
            )
        chosen[found] = SITES[found]
    return list(chosen.values())


def on_mirror(site: SiteDefinition, mirror_url: str | None) -> SiteDefinition:
    """The force on a multi-host mirror at `mirror_url`, else on its live host."""
    if not mirror_url:
        return site
    return site.rebased(f"{mirror_url.rstrip('/')}/{site.hosts[0]}")


def plan_jobs(settings: Settings, sites: list[SiteDefinition], mirror_url: str | None):
    """One job per force, grouped by the host actually contacted (in order)."""
    groups: dict[str, list[ForceJob]] = {}
    for site in sites:
        placed = on_mirror(site, mirror_url)
        job = ForceJob(
            site.key,
            replace(
                settings,
                site=placed,
                pages_path=force_pages_path(Path(settings.pages_path), site.key),
            ),
        )
        groups.setdefault(urlsplit(placed.base_url).netloc.lower(), []).append(job)
    return list(groups.values())


async def refresh_forces(
    settings: Settings,
    sites: list[SiteDefinition],
    *,
    mirror_url: str | None = None,
    backoff_base: float = 1.0,
) -> dict:
    """Refresh every force in `sites`; returns the combined summary with `forces`."""
    from scraper.refresh import refresh

    started, clock = utc_now(), time.monotonic()
    results: dict[str, dict] = {}

    async def one(job: ForceJob) -> None:
        try:
            results[job.force] = await refresh(job.settings, backoff_base=backoff_base, lock=False)
        except (sqlite3.Error, OSError, MemoryError):
            raise  # the archive or the disk: every force would meet it; stop the run
        except Exception as exc:  # noqa: BLE001 - one force down must not stop the others
            results[job.force] = _failed_force(job, exc, utc_now())  # reported in the summary

    slots = asyncio.Semaphore(MAX_PARALLEL_HOSTS)

    async def host_group(jobs: list[ForceJob]) -> None:
        async with slots:
            for job in jobs:  # one host's budget: its forces take turns
                await one(job)

    with CrawlLock(settings.db_path):
        groups = plan_jobs(settings, sites, mirror_url)
        try:
            async with asyncio.TaskGroup() as tasks:
                for jobs in groups:
                    tasks.create_task(host_group(jobs))
        except BaseExceptionGroup as group_error:
            raise group_error.exceptions[0] from None  # e.g. disk full: one clear error
        if all(s.get("recorded") is False for s in results.values()):
            raise _nothing_reachable(results)
        _record_failed_forces(settings, results)
    ordered = {site.key: results[site.key] for site in sites if site.key in results}
    return combine(ordered, started=started, duration_s=round(time.monotonic() - clock, 3))


def _failed_force(job: ForceJob, exc: Exception, now: str) -> dict:
    """The summary of a force whose refresh could not run (unreachable, blocked...)."""
    return {
        **{key: 0 for key in TOTALS},
        "duration_s": 0.0,
        "parse_yield": None,
        "site": job.settings.site.base_url,
        "force": job.force,
        "started_at": now,
        "finished_at": now,
        "shape_changed": None,
        "failures": [],
        "warnings": [],
        "error": str(exc) or type(exc).__name__,
        # an exception may carry its own code (e.g. blocked by bot protection)
        "exit_code": int(getattr(exc, "exit_code", EXIT_UNREACHABLE)),
        "recorded": False,
    }


def _nothing_reachable(results: dict[str, dict]) -> Exception:
    """Not one force could run: one line, and nothing is written (exit as for one site)."""
    from scraper.fetch import SiteUnreachable

    first = next(iter(results.values()))
    if len(results) == 1:
        return SiteUnreachable(first["error"])
    return SiteUnreachable(
        f"cannot reach any of the {len(results)} forces (first: {first['error']})"
    )


def _record_failed_forces(settings: Settings, results: dict[str, dict]) -> None:
    """A `crawl_runs` row for each force that could not run: the attempt happened."""
    failed = [s for s in results.values() if s.get("recorded") is False]
    if not failed:
        return
    settings.db_path.parent.mkdir(parents=True, exist_ok=True)
    archive = sqlite_utils.Database(settings.db_path)
    try:
        ensure_schema(archive)
        for summary in failed:
            summary.pop("recorded")
            record_crawl_run(archive, summary)
    finally:
        archive.close()


def combine(forces: dict[str, dict], *, started: str, duration_s: float) -> dict:
    """One summary for the run: totals, each force's own summary, the worst exit code."""
    summary: dict = {key: sum(s.get(key) or 0 for s in forces.values()) for key in TOTALS}
    with_reference = sum(
        round((s.get("parse_yield") or 0) * (s.get("parsed") or 0)) for s in forces.values()
    )
    shape = [f"{key}: {s['shape_changed']}" for key, s in forces.items() if s.get("shape_changed")]
    errors = [f"{key}: {s['error']}" for key, s in forces.items() if s.get("error")]
    summary.update(
        duration_s=duration_s,
        parse_yield=parse_yield(summary["parsed"], with_reference),
        site=", ".join(forces),
        started_at=started,
        finished_at=utc_now(),
        shape_changed="; ".join(shape) or None,
        failures=[{**f, "force": key} for key, s in forces.items() for f in s.get("failures", [])][
            :50
        ],
        warnings=[w for s in forces.values() for w in s.get("warnings", [])],
        errors=errors,
        exit_code=max((s.get("exit_code", EXIT_OK) for s in forces.values()), default=EXIT_OK),
        forces={key: _force_figures(s) for key, s in forces.items()},
    )
    return summary


def _force_figures(summary: dict) -> dict:
    keep = (*TOTALS, "duration_s", "parse_yield", "site", "shape_changed", "error", "exit_code")
    return {key: summary.get(key) for key in keep}


def force_line(force: str, figures: dict) -> str:
    """One line per force for the operator."""
    if figures.get("error"):
        return f"  {force}: exit {figures['exit_code']}: {figures['error']}"
    y = figures.get("parse_yield")
    return (
        f"  {force}: {figures['new']} new, {figures['changed']} changed, "
        f"{figures['removed']} removed, {figures['unchanged']} unchanged, "
        f"{figures['failed']} failed; {figures['requests']} requests; "
        f"parse yield {'n/a' if y is None else f'{y:.0%}'}; exit {figures['exit_code']}"
        + (f" ({figures['shape_changed']})" if figures.get("shape_changed") else "")
    )
