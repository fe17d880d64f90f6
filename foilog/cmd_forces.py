"""What `foilog refresh` and `check-live` print when they work on several forces."""

from __future__ import annotations

import click

from foilog.settings import Settings
from parsers.sites import SiteDefinition
from scraper.report import EXIT_OK, EXIT_UNREACHABLE, summary_json, summary_line


def print_forces_summary(summary: dict, as_json: bool) -> None:
    """Problems on stderr, one line per force, then the total line (or JSON) on stdout."""
    from scraper.forces_run import force_line

    for error in summary["errors"]:
        click.echo(f"error: {error}", err=True)
    for force, figures in summary["forces"].items():
        if figures.get("shape_changed"):
            click.echo(f"error: {force}: {figures['shape_changed']}", err=True)
    for failure in summary["failures"][:10]:
        click.echo(f"failed: {failure['url'] or '-'}: {failure['error']}", err=True)
    if summary["failed"] > 10:
        click.echo(f"... and {summary['failed'] - 10} more failures (see --json)", err=True)
    if as_json:
        click.echo(summary_json(summary))
        return
    for force, figures in summary["forces"].items():
        click.echo(force_line(force, figures))
    click.echo(summary_line({**summary, "site": f"{len(summary['forces'])} forces"}))


async def check_forces(
    settings: Settings, sites: list[SiteDefinition], mirror_url: str | None
) -> int:
    """`check-live` for each force, one after another; prints as it goes; the worst exit."""
    from dataclasses import replace

    from scraper.fetch import SiteUnreachable
    from scraper.forces_run import on_mirror
    from scraper.single import check_live

    worst = EXIT_OK
    for site in sites:
        click.echo(f"{site.key} ({site.name}):")
        try:
            report = await check_live(replace(settings, site=on_mirror(site, mirror_url)))
        except SiteUnreachable as exc:
            click.echo(f"  PROBLEM: {exc}")
            worst = max(worst, EXIT_UNREACHABLE)
            continue
        for line in report.lines:
            click.echo(f"  {line}")
        worst = max(worst, report.exit_code)
    return worst
