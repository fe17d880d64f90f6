"""`foilog import-warc`, `foilog export-warc`: web archives in and out (WARC, ISO 28500).

A few lines over scraper/warc_import.py and scraper/warc_export.py; every failure the
operator can meet is one line on stderr and an exit code, never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from foilog.cmd_crawl import _fail, _settings, db_option, pages_option, site_option
from scraper.report import EXIT_LOCKED, EXIT_UNREACHABLE

IMPORT_EXIT_HELP = """\b
Exit codes:
  0  all well
  1  some pages failed to parse (their raw bytes are kept)
  2  a file is missing, not a WARC, or damaged (records before the damage are
     imported; the damage is reported), or the archive cannot be written
  4  a refresh holds the lock on this archive"""


@click.command("import-warc", epilog=IMPORT_EXIT_HELP)
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@site_option
@db_option
@pages_option
@click.option(
    "--jobs", type=int, default=None, help="parser processes [default: the number of CPUs]"
)
def import_warc_command(files, site, db_path, pages_path, jobs) -> None:
    """Import response pages (and their attachments) from WARC files.

    Reads .warc and .warc.gz files (Webrecorder, Wayback downloads, wget --warc-file,
    browsertrix, our own export-warc). Every capture of a response page of a
    configured force goes through the pipeline of a fetched page, dated by its
    WARC-Date; other URLs, 4xx/5xx captures and bot-protection challenges are skipped
    and counted. Importing the same files again changes nothing.

    \b
    Example:
        foilog import-warc captures/*.warc.gz --db data/foi.db
    """
    from db.bulk_session import tune_for_bulk
    from db.files import NotAnArchive, open_archive, open_page_store
    from scraper.lock import CrawlLock, LockHeld
    from scraper.refresh import check_files
    from scraper.warc_import import SiteTargets, WarcImport, exit_code, summary_line
    from scraper.warc_progress import ByteProgress
    from scraper.warc_read import not_a_warc

    for path in files:
        if not path.is_file():
            what = "a directory, not a WARC file" if path.is_dir() else "no such file"
            _fail(f"{path}: {what}; nothing imported", EXIT_UNREACHABLE)
    problems = [(path, not_a_warc(path)) for path in files]
    if all(problem for _path, problem in problems):
        # Nothing to import: say so before the archive and raw store are created.
        for path, problem in problems:
            click.echo(f"error: {path}: {problem}", err=True)
        sys.exit(EXIT_UNREACHABLE)
    settings = _settings(site=site, db_path=db_path, pages_path=pages_path)
    progress = ByteProgress("importing", sum(p.stat().st_size for p in files))
    try:
        check_files(settings)  # refused before the lock file is made beside them
        with CrawlLock(settings.db_path):
            store = open_page_store(settings.pages_path)
            try:
                archive = open_archive(settings.db_path)
            except BaseException:
                store.close()
                raise
            try:
                tune_for_bulk(archive.conn)
                tune_for_bulk(store.conn)
                run = WarcImport(store, archive, SiteTargets(settings.site))
                run.on_progress = progress.update
                summary = run.run(list(files), jobs or os.cpu_count() or 1)
            finally:
                progress.close()
                store.close()
                archive.close()
    except LockHeld as exc:
        _fail(str(exc).replace("nothing changed", "nothing imported"), EXIT_LOCKED)
    except NotAnArchive as exc:
        progress.close()
        _fail(f"{exc}; nothing imported", EXIT_UNREACHABLE)
    except sqlite3.Error as exc:
        _fail(f"cannot write the database ({exc}); each batch is one transaction", 2)
    except OSError as exc:
        _fail(f"cannot read or write {exc.filename or 'a file'} ({exc.strerror or exc})", 2)
    except KeyboardInterrupt:
        _fail("interrupted; importing the same files again resumes (nothing twice)", 130)
    for file, damage in summary.damage:
        click.echo(f"error: {file}: {damage}", err=True)
    for url, error in summary.failures[:10]:
        click.echo(f"failed: {url}: {error}", err=True)
    click.echo(summary_line(summary))
    sys.exit(exit_code(summary))


@click.command("export-warc")
@click.argument("out", type=click.Path(path_type=Path))
@pages_option
@click.option(
    "--since",
    default=None,
    metavar="DATE",
    help="only versions the site served on or after DATE (YYYY-MM-DD or ISO 8601 UTC)",
)
def export_warc_command(out, pages_path, since) -> None:
    """Write the raw page store as a gzipped WARC/1.1 file.

    One response record per stored version (pages and attachment files), with the
    original URL, the date the site served it, and block and payload digests; replays
    in pywb, passes `warcio check`, imports back with import-warc. OUT gets the
    .warc.gz suffix if it lacks it.

    \b
    Example:
        foilog export-warc exports/foilog-2026-12.warc.gz --since 2026-12-01
    """
    from db.files import NotAnArchive, open_page_store, page_store_paths
    from scraper.warc_export import export_warc
    from scraper.warc_progress import ByteProgress

    settings = _settings(pages_path=pages_path)
    paths = page_store_paths(settings.pages_path)  # the store, and each force's own
    if not paths:
        _fail(f"no raw page store at {settings.pages_path}; nothing exported", EXIT_UNREACHABLE)
    if not out.name.endswith(".warc.gz"):  # always gzipped: say so in the name
        out = out.with_name(out.name + (".gz" if out.name.endswith(".warc") else ".warc.gz"))
    progress = ByteProgress("exporting", None)
    stores = []
    try:
        stores = [open_page_store(path) for path in paths]
        summary = export_warc(stores, out, since=_since(since), on_record=progress.update)
    except NotAnArchive as exc:
        _fail(f"{exc}; nothing exported", EXIT_UNREACHABLE)
    except sqlite3.Error as exc:
        _fail(f"cannot read {settings.pages_path} ({exc}); nothing exported", EXIT_UNREACHABLE)
    except OSError as exc:
        _fail(f"cannot write {exc.filename or out} ({exc.strerror or exc})", EXIT_UNREACHABLE)
    finally:
        progress.close()
        for store in stores:
            store.close()
    click.echo(
        f"exported {summary.records} versions ({summary.bytes / 1e6:.1f} MB of pages) "
        f"to {summary.path} ({summary.file_bytes / 1e6:.1f} MB)"
    )


def _since(value: str | None) -> str | None:
    """'2024-08-01' or an ISO 8601 time -> our fetched_at spelling, for comparison."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        _fail(f"--since must be a date (YYYY-MM-DD) or ISO 8601 time, got {value!r}", 2)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


COMMANDS = [import_warc_command, export_warc_command]
