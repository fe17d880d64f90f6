"""`foilog reparse`: parse the stored raw pages again into the archive, no fetching.

It writes the archive, so it takes the same lock as `foilog refresh` (exit 4 while one
runs) and reads the same settings (`--db` > `$FOILOG_DB` > data/foi.db).
"""

from __future__ import annotations

import json
import os
import sys

import click

from scraper.report import EXIT_LOCKED, EXIT_SOME_FAILED, EXIT_UNREACHABLE


def _fail(message: str, code: int) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


@click.command("reparse")
@click.option(
    "--db",
    "db_path",
    default=None,
    metavar="PATH",
    help="the archive to update [default: $FOILOG_DB or data/foi.db]",
)
@click.option(
    "--pages-db",
    "pages_path",
    default=None,
    metavar="PATH",
    help="the raw page store to read [default: $FOILOG_PAGES_DB or data/pages.db]",
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="parser processes (one writer loads their results in order) [default: all CPUs]",
)
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON")
def reparse(db_path: str | None, pages_path: str | None, jobs: int | None, as_json: bool) -> None:
    """Parse every stored page again (no fetching) and reload the archive.

    Run after upgrading foilog's parser. Exit 0 done; 1 some pages failed to parse
    (they keep their archived rows and are listed); 2 a missing page store or a file
    that is not a SQLite database; 4 a refresh holds the archive's lock.

    \b
    Example:
        foilog reparse --db data/foi.db --pages-db data/pages.db
    """
    from db.bulk_session import tune_for_bulk
    from db.files import (
        NotAnArchive,
        check_sqlite_file,
        open_archive,
        open_page_store,
        page_store_paths,
    )
    from db.reparse import parse_stored
    from db.reparse import reparse as reparse_pages
    from db.schema import SchemaError
    from foilog.settings import Settings
    from scraper.lock import CrawlLock, LockHeld
    from scraper.parse_stream import ParseStream

    settings = Settings.from_env(db_path=db_path, pages_path=pages_path)
    stores = page_store_paths(settings.pages_path)  # the store, and each force's own
    if not stores:
        _fail(
            f"no raw page store at {settings.pages_path} (run `foilog refresh` first)",
            EXIT_UNREACHABLE,
        )
    try:
        # a file that is not SQLite is refused before the lock file is made beside it
        for path, what in ((settings.db_path, "archive"), *((p, "raw page store") for p in stores)):
            check_sqlite_file(path, what)
        with CrawlLock(settings.db_path):
            db = open_archive(settings.db_path)
            try:
                tune_for_bulk(db.conn)
                summaries = []
                with ParseStream(jobs or os.cpu_count() or 1, function=parse_stored) as stream:
                    for path in stores:
                        store = open_page_store(path)
                        try:
                            summaries.append(reparse_pages(db, store, stream.parse))
                        finally:
                            store.close()
            finally:
                db.close()
    except LockHeld as error:
        _fail(str(error), EXIT_LOCKED)
    except (NotAnArchive, SchemaError) as error:
        _fail(str(error), EXIT_UNREACHABLE)
    summary = _combined(summaries)
    _report(summary, as_json)
    if summary["failed"]:
        sys.exit(EXIT_SOME_FAILED)


def _combined(summaries: list[dict]) -> dict:
    """One summary for several raw stores: counts added, errors joined."""
    out: dict = {}
    for summary in summaries:
        for key, value in summary.items():
            if key == "round_robins":
                out[key] = value  # the archive's count after each store's reparse: the last
            elif isinstance(value, list):
                out.setdefault(key, []).extend(value)
            elif isinstance(value, int) and not isinstance(value, bool):
                out[key] = out.get(key, 0) + value
            else:
                out[key] = value
    return out


def _report(summary: dict, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary, indent=2))
        return
    click.echo(
        "reparsed {parsed} pages: {new} new, {changed} changed, {unchanged} unchanged; "
        "{failed} failed, {skipped} skipped; {round_robins} round robins".format(**summary)
    )
    for error in summary["errors"]:
        click.echo(f"  failed: {error['url']}: {error['error']}", err=True)


COMMANDS = [reparse]
