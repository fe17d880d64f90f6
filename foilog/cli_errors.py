"""The CLI's one error for bad input: a file or option that cannot be used.

Exit 2, like a usage error, with the crawl commands' wording ("error: ..."), not
click's "Error: ...".
"""

from __future__ import annotations

from typing import Any

import click


class BadInput(click.ClickException):
    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", file=file, err=file is None)
