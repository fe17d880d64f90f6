"""`foilog refresh`, `foilog fetch`, `foilog check-live`: the crawler's commands.

Each is a few lines over scraper/; every failure the operator can meet becomes one
line on stderr and an exit code (see EXIT_CODES_HELP), never a traceback.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlsplit

import click

from foilog.settings import Settings
from scraper.report import (
    EXIT_BLOCKED,
    EXIT_CODES_HELP,
    EXIT_LOCKED,
    EXIT_SOME_FAILED,
    EXIT_UNREACHABLE,
    blocked_message,
    summary_json,
    summary_line,
)


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _settings(**options) -> Settings:
    settings = Settings.from_env(**options)
    parts = urlsplit(settings.site.base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        _fail(f"--site must be an http(s) URL, got {settings.site.base_url!r}", EXIT_UNREACHABLE)
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        base = f"{parts.scheme}://{parts.netloc}"
        _fail(
            f"--site must be the site's base URL (scheme and host, e.g. {base}), "
            f"not a page or section: {settings.site.base_url!r}",
            EXIT_UNREACHABLE,
        )
    if settings.rate < 0 or settings.concurrency < 1:
        _fail("--rate must be >= 0 and --concurrency >= 1", EXIT_UNREACHABLE)
    return settings


def _forces(site: str | None, forces: tuple[str, ...]):
    """The forces to crawl, or None for the one site --site names (the old contract)."""
    import os

    from scraper.forces_run import UnknownForce, select_forces

    if not forces and (site or os.environ.get("FOILOG_SITE")):
        return None
    try:
        return select_forces(forces)
    except UnknownForce as exc:
        _fail(str(exc), EXIT_UNREACHABLE)


def _mirror_url(site: str | None) -> str | None:
    """--site with --force: a mirror of several hosts (never a force's live host)."""
    import os

    from parsers.sites import SITES

    url = site or os.environ.get("FOILOG_SITE")
    host = (urlsplit(url).hostname or "").lower() if url else ""
    for known in SITES.values():
        if host in known.hosts:
            _fail(
                f"--site {url} is {known.name}'s own host; use --force {known.key} without "
                "--site, or --site with a mirror URL",
                EXIT_UNREACHABLE,
            )
    return url


class _StderrNow(logging.Handler):
    """Writes to whatever sys.stderr is now: the rich progress bar swaps it to keep log
    lines above the bar; a StreamHandler would hold the old stream and tear the bar."""

    def emit(self, record: logging.LogRecord) -> None:
        print(self.format(record), file=sys.stderr)


def _run(coroutine_factory, *, browser: bool = False):
    """Run one library coroutine; turn the operator-facing failures into exit codes."""
    from db.files import NotAnArchive
    from scraper.browser import BrowserUnavailable
    from scraper.cookies import CookiesFileError
    from scraper.fetch import Blocked, SiteUnreachable
    from scraper.lock import LockHeld
    from scraper.single import BadInput

    handler = _StderrNow()
    handler.setFormatter(logging.Formatter("%(message)s"))
    logging.basicConfig(level=logging.INFO, handlers=[handler])
    logging.getLogger("httpx").setLevel(logging.WARNING)
    try:
        return asyncio.run(coroutine_factory())
    except LockHeld as exc:
        _fail(str(exc), EXIT_LOCKED)
    except SiteUnreachable as exc:
        _fail(f"{exc}; nothing changed", EXIT_UNREACHABLE)
    except Blocked as exc:
        _fail(blocked_message(str(exc), browser=browser), EXIT_BLOCKED)
    except (BadInput, NotAnArchive, BrowserUnavailable, CookiesFileError) as exc:
        _fail(str(exc), EXIT_UNREACHABLE)
    except sqlite3.OperationalError as exc:
        # disk full, read-only file or directory, unopenable path: each response is
        # one transaction, so the one being written was rolled back whole
        _fail(
            f"cannot write the database ({exc}); the page being written was rolled "
            "back, everything before it is kept",
            EXIT_UNREACHABLE,
        )
    except OSError as exc:  # a data directory that cannot be created or written
        _fail(
            f"cannot write {exc.filename or 'the data directory'} ({exc.strerror or exc})",
            EXIT_UNREACHABLE,
        )
    except KeyboardInterrupt:
        _fail("interrupted; the next refresh resumes this run", 130)


site_option = click.option(
    "--site",
    default=None,
    metavar="URL",
    help="site base URL [default: $FOILOG_SITE or https://www.met.police.uk]",
)
db_option = click.option(
    "--db",
    "db_path",
    default=None,
    metavar="PATH",
    help="the archive [default: $FOILOG_DB or data/foi.db]",
)
browser_option = click.option(
    "--browser",
    is_flag=True,
    default=None,
    help="get past the site's bot protection with a headless Chromium (the system's; "
    "or $FOILOG_CHROMIUM), then reuse its cookies and User-Agent",
)
cookies_option = click.option(
    "--cookies",
    "cookies_path",
    default=None,
    metavar="FILE",
    help="start with these cookies (a Netscape cookies.txt exported from your browser)",
)
force_option = click.option(
    "--force",
    "forces",
    multiple=True,
    metavar="KEY",
    help="a force from parsers/forces.toml (slug such as gwent-police, or mps; repeatable; "
    "'all' = every force). With --site URL, URL is a mirror serving each force under "
    "URL/<force host>/. [default: every force, unless --site names one site]",
)
pages_option = click.option(
    "--pages-db",
    "pages_path",
    default=None,
    metavar="PATH",
    help="the raw page store [default: $FOILOG_PAGES_DB or data/pages.db]",
)


@click.command("refresh", epilog=EXIT_CODES_HELP)
@site_option
@db_option
@pages_option
@click.option("--json", "as_json", is_flag=True, help="print the summary as one JSON object")
@click.option(
    "--full", is_flag=True, default=None, help="walk the whole lister and revisit every known page"
)
@click.option(
    "--rate",
    type=float,
    default=None,
    help="requests per second across workers (0 = unlimited, loopback only) [default: 1]",
)
@click.option("--concurrency", type=int, default=None, help="requests in flight [default: 2]")
@browser_option
@cookies_option
@click.option(
    "--warc-dir", default=None, metavar="DIR", help="also write this run's answers to DIR as WARC"
)
@force_option
def refresh_command(
    site,
    db_path,
    pages_path,
    as_json,
    full,
    rate,
    concurrency,
    browser,
    cookies_path,
    warc_dir,
    forces,
) -> None:
    """Fetch what is new or changed on the site into the archive (the nightly job).

    Resumes an interrupted run; stores every raw page before parsing it; prints one
    summary line (or JSON with --json) on stdout, progress on stderr.

    \b
    Without --site (or $FOILOG_SITE) every force in parsers/forces.toml is refreshed,
    each on its own host with its own budget; --force picks some. Exit code: the worst
    force's.

    \b
    Example:
        foilog refresh --site https://www.met.police.uk --db data/foi.db
        foilog refresh --force gwent-police --force dyfed-powys-police
    """
    from scraper.progress import Progress
    from scraper.refresh import refresh

    settings = _settings(
        site=site,
        db_path=db_path,
        pages_path=pages_path,
        full=full,
        rate=rate,
        concurrency=concurrency,
        browser=browser,
        cookies_path=cookies_path,
        warc_dir=warc_dir,
    )
    sites = _forces(site, forces)
    if sites is not None:
        from foilog.cmd_forces import print_forces_summary
        from scraper.forces_run import refresh_forces

        mirror = _mirror_url(site)
        summary = _run(
            lambda: refresh_forces(settings, sites, mirror_url=mirror), browser=settings.browser
        )
        print_forces_summary(summary, as_json)
        sys.exit(summary["exit_code"])
    summary = _run(lambda: refresh(settings, progress=Progress()), browser=settings.browser)
    if summary.get("blocked"):
        reason = summary.get("blocked_reason") or f"{summary['blocked']} requests blocked"
        click.echo(f"error: {blocked_message(reason, browser=settings.browser)}", err=True)
    if summary["shape_changed"]:
        click.echo(f"error: {summary['shape_changed']}", err=True)
    for failure in summary["failures"][:10]:
        click.echo(f"failed: {failure['url'] or '-'}: {failure['error']}", err=True)
    if summary["failed"] > 10:
        click.echo(f"... and {summary['failed'] - 10} more failures (see --json)", err=True)
    click.echo(summary_json(summary) if as_json else summary_line(summary))
    sys.exit(summary["exit_code"])


@click.command("fetch")
@click.argument("url")
@site_option
@db_option
@pages_option
@browser_option
@cookies_option
def fetch_command(url, site, db_path, pages_path, browser, cookies_path) -> None:
    """Add or refresh one response page now (same pipeline as refresh).

    Exit 0 done; 1 the page failed (404, not HTML, unparseable; raw bytes kept);
    2 not a response page of the configured site (--site), or unreachable; 4 locked;
    5 blocked by the site's bot protection (try --browser).

    \b
    Example:
        foilog fetch https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/live-video-streaming-via-cellular-technology/
    """
    import os

    from parsers.sites import site_for_url
    from scraper.single import fetch_one

    force = site_for_url(url)
    if site is None and not os.environ.get("FOILOG_SITE") and force is not None:
        site = force.base_url  # a page of any force: its own host and raw store
        if pages_path is None:
            from db.files import force_pages_path

            default = Settings.from_env().pages_path
            pages_path = force_pages_path(default, force.key)
    settings = _settings(
        site=site,
        db_path=db_path,
        pages_path=pages_path,
        browser=browser,
        cookies_path=cookies_path,
    )
    outcome = _run(lambda: fetch_one(settings, url), browser=settings.browser)
    if outcome.outcome == "failed":
        _fail(f"{url}: {outcome.error}", EXIT_SOME_FAILED)
    if outcome.outcome == "gone":
        _fail(
            f"{url}: {outcome.error}; not marked removed: other pages of the site did not "
            "answer normally either",
            EXIT_SOME_FAILED,
        )
    click.echo(f"{outcome.outcome}: {url}")


@click.command("check-live")
@site_option
@click.option("--rate", type=float, default=None, help="requests per second [default: 1]")
@browser_option
@cookies_option
@force_option
def check_live_command(site, rate, browser, cookies_path, forces) -> None:
    """Fetch one lister page and two responses; report whether parsing still works.

    Writes nothing. Exit 0 if listing, reference and questions are all found, 3 if
    not (the site changed shape), 2 if the site cannot be reached, 5 if its bot
    protection blocks us (try --browser).

    \b
    Example:
        foilog check-live --site https://www.met.police.uk
    """
    from scraper.single import check_live

    settings = _settings(site=site, rate=rate, browser=browser, cookies_path=cookies_path)
    sites = _forces(site, forces)
    if sites is not None:
        from foilog.cmd_forces import check_forces

        sys.exit(
            _run(lambda: check_forces(settings, sites, _mirror_url(site)), browser=settings.browser)
        )
    report = _run(lambda: check_live(settings), browser=settings.browser)
    for line in report.lines:
        click.echo(line)
    sys.exit(report.exit_code)


@click.command("capture")
@click.argument("urls", nargs=-1, required=True)
@site_option
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("fixtures/site"),
    show_default=True,
    help="the mirror tree to save the pages in",
)
@click.option("--rate", type=float, default=None, help="requests per second [default: 1]")
@browser_option
@cookies_option
def capture_command(urls, site, into, rate, browser, cookies_path) -> None:
    """Save live pages into the mirror with their golden records: regression tests.

    For the night the site changes shape: each URL is fetched through the crawler's
    client and written to <into>/<path>/index.html, with index.expected.json from the
    current parser beside it. Then fix the parser, update the goldens, review the diff.
    Writes nothing to the archive.

    Exit 0 all saved; 1 some URLs failed; 2 bad configuration or unreachable; 5 blocked.

    \b
    Example:
        foilog capture --browser https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/live-video-streaming-via-cellular-technology/
    """
    from foilog.fixture_site import LIVE
    from scraper.capture import capture

    settings = _settings(site=site, rate=rate, browser=browser, cookies_path=cookies_path)
    golden_base = LIVE if urlsplit(settings.site.base_url).hostname in _LOOPBACK else None
    results = _run(
        lambda: capture(settings, list(urls), into, golden_base), browser=settings.browser
    )
    failed = 0
    for item in results:
        if item.error:
            failed += 1
            click.echo(f"failed: {item.url}: {item.error}", err=True)
        else:
            click.echo(
                f"saved: {item.path} (reference {item.reference or 'none'}, "
                f"{item.questions} questions)"
            )
    sys.exit(EXIT_SOME_FAILED if failed else 0)


_LOOPBACK = ("127.0.0.1", "localhost", "::1")

COMMANDS = [refresh_command, fetch_command, check_live_command, capture_command]
