"""`foilog fetch URL` and `foilog check-live`: one page now, and the operator's canary."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from db.files import open_page_store
from parsers import parse_listing, parse_response
from scraper.config import CrawlSettings
from scraper.discover import canonical_page_url, is_disclosure_item, lister_url
from scraper.fetch import Blocked, Fetcher, SiteUnreachable
from scraper.lock import CrawlLock
from scraper.process import PageContext, PageOutcome, refresh_page
from scraper.refresh import check_files, open_crawl_archive
from scraper.removals import SiteHealth, confirm_removals, robots_answered_normally
from scraper.report import EXIT_OK, EXIT_SHAPE_CHANGED


class BadInput(Exception):
    """A URL or option the command cannot use (exit 2)."""


def check_detail_url(settings: CrawlSettings, fetcher: Fetcher, url: str) -> None:
    if not fetcher.is_on_site(url):
        raise BadInput(f"{url} is not on the configured site {settings.site.base_url} (use --site)")
    if not settings.site.is_detail_path(urlsplit(url).path):
        raise BadInput(f"{url} is not a disclosure-log response page")


async def fetch_one(settings: CrawlSettings, url: str) -> PageOutcome:
    """Add or refresh one response page now, through the nightly pipeline.

    Raises Blocked when the page is behind a challenge this run cannot pass. A page
    that answers 404/410 is marked removed only if a few other archived pages answer
    normally (scraper/removals.py); else the outcome stays "gone".
    """
    check_files(settings)
    async with Fetcher(settings) as fetcher:
        # a URL it cannot use is refused before the lock file is made beside the archive
        check_detail_url(settings, fetcher, url)
        with CrawlLock(settings.db_path):
            url = canonical_page_url(url)
            policy = await fetcher.preflight()
            store = open_page_store(settings.pages_path)
            try:
                archive = open_crawl_archive(settings)
            except BaseException:
                store.close()
                raise
            try:
                ctx = PageContext(fetcher, store, archive)
                outcome = await refresh_page(ctx, url)
                if outcome.outcome == "blocked":
                    raise Blocked(outcome.error or "blocked by bot protection")
                if outcome.outcome == "gone":
                    health = SiteHealth(robots_answered_normally(policy.status), lister_ok=True)
                    health.troubled = 1
                    removed, _ = await confirm_removals(ctx, health, [url])
                    if removed:
                        outcome = PageOutcome(url, "removed")
                return outcome
            finally:
                store.close()
                archive.close()


@dataclass
class LiveCheck:
    lines: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK

    def problem(self, line: str) -> None:
        self.lines.append(f"PROBLEM: {line}")
        self.exit_code = EXIT_SHAPE_CHANGED


async def check_live(settings: CrawlSettings, samples: int = 2) -> LiveCheck:
    """Fetch one lister page and `samples` responses; say whether parsing still works.

    Reads only; writes nothing. Raises SiteUnreachable when the site cannot be read.
    """
    report = LiveCheck()
    site = settings.site
    async with Fetcher(settings) as fetcher:
        await fetcher.preflight()
        url = lister_url(site)
        result = await fetcher.get(url, kind="listing")
        if result.blocked:
            raise Blocked(result.error or "blocked by bot protection")
        if result.status == 0 or result.status >= 500:
            raise SiteUnreachable(f"cannot read the lister {url} ({result.error})")
        if not result.ok:
            report.problem(f"lister {url}: {result.error or f'HTTP {result.status}'}")
            return report
        page = parse_listing(result.body, result.final_url, site)
        items = [i for i in page.items if is_disclosure_item(i, site)]
        if not items:
            report.problem(
                f"lister {url}: no disclosure-log items found ({len(page.items)} items of any kind)"
            )
            return report
        report.lines.append(
            f"ok: lister lists {len(items)} disclosure-log items on page 1"
            + (", with a next page" if page.next_url else "")
        )
        for item in items[:samples]:
            await _check_response(fetcher, canonical_page_url(item.url), report)
    return report


async def _check_response(fetcher: Fetcher, url: str, report: LiveCheck) -> None:
    result = await fetcher.get(url, kind="page")
    if result.blocked:
        raise Blocked(result.error or "blocked by bot protection")
    if not result.ok:
        report.problem(f"{url}: {result.error or f'HTTP {result.status}'}")
        return
    response = parse_response(result.body, url)
    if response.reference is None:
        report.problem(f"{url}: no reference found")
    elif not response.questions:
        report.problem(f"{url}: reference {response.reference} but no questions found")
    else:
        report.lines.append(
            f"ok: {url}: reference {response.reference}, {len(response.questions)} questions"
        )
