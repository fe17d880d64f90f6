"""`foilog serve` (Datasette over the archive) and `foilog reparse` (stored pages -> archive)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from foilog.settings import DEFAULT_DB, DEFAULT_PAGES_DB


class MissingFile(click.ClickException):
    """A file the command needs is missing or unusable: exit 2, like a usage error."""

    exit_code = 2


@click.command("serve")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="the archive to serve",
)
@click.option("--port", default=8001, show_default=True, type=int)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="interface to listen on (0.0.0.0 to serve the network)",
)
def serve(db_path: Path, port: int, host: str) -> None:
    """Serve the archive read-only with Datasette, foilog's pages and feeds.

    Safe while the nightly refresh writes (the archive is in WAL mode).

    \b
    Example:
        foilog serve --db data/foi.db --port 8001
        open http://127.0.0.1:8001/
    """
    from plugins.app import ArchiveError
    from plugins.app import serve as run_server

    try:
        run_server(db_path, host=host, port=port, announce=click.echo)
    except ArchiveError as error:
        raise MissingFile(str(error)) from error


@click.command("reparse")
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="the archive to update",
)
@click.option(
    "--pages-db",
    "pages_path",
    type=click.Path(path_type=Path),
    default=DEFAULT_PAGES_DB,
    show_default=True,
    help="the raw page store to read",
)
@click.option("--json", "as_json", is_flag=True, help="print the summary as JSON")
def reparse(db_path: Path, pages_path: Path, as_json: bool) -> None:
    """Parse every stored page again (no fetching) and reload the archive.

    Run after upgrading foilog's parser. Exits 1 if any page failed to parse
    (those keep their archived rows and are listed).

    \b
    Example:
        foilog reparse --db data/foi.db --pages-db data/pages.db
    """
    import sqlite_utils

    from db.pages import PageStore
    from db.reparse import reparse as reparse_pages
    from db.schema import SchemaError, ensure_schema

    if not pages_path.is_file():
        raise MissingFile(f"no raw page store at {pages_path} (run `foilog refresh` first)")
    db = sqlite_utils.Database(db_path)
    try:
        ensure_schema(db)
    except SchemaError as error:
        raise MissingFile(str(error)) from error
    with PageStore(pages_path) as store:
        summary = reparse_pages(db, store)
    _report(summary, as_json)
    if summary["failed"]:
        sys.exit(1)


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


COMMANDS = [serve, reparse]
