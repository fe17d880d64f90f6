"""The `foilog` command line: a thin layer over the library.

Each group of commands lives in its own module; this file only gathers them.
"""

from __future__ import annotations

import click

from foilog import __version__


@click.group()
@click.version_option(__version__, prog_name="foilog")
def cli() -> None:
    """foilog: archive, search and follow the MPS FOI disclosure log.

    \b
    Example (the nightly job):
        foilog refresh --site https://www.met.police.uk --db data/foi.db
    """


def _register() -> None:
    from foilog import cmd_crawl, cmd_fixture, cmd_parse, cmd_reparse, cmd_serve, cmd_warc

    for module in (cmd_fixture, cmd_crawl, cmd_parse, cmd_reparse, cmd_serve, cmd_warc):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()
