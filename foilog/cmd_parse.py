"""`foilog parse`: run the response parser over one saved page and print the record."""

from __future__ import annotations

import json
from pathlib import Path

import click

from foilog.cli_errors import BadInput
from parsers import parse_response


@click.command("parse")
@click.argument("file", metavar="FILE")
@click.option(
    "--url",
    default=None,
    help="the page's address (gives month and absolute links); default file://FILE",
)
def parse(file: str, url: str | None) -> None:
    """Parse a saved response page FILE ("-" for stdin) and print its record as JSON.

    \b
    Example:
        foilog parse page.html --url https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/live-video-streaming-via-cellular-technology/
        curl -s URL | foilog parse - --url URL
    """
    data, default_url = _read(file)
    record = parse_response(data, url or default_url)
    out = json.dumps(record.to_dict(), ensure_ascii=False) + "\n"
    stream = click.get_binary_stream("stdout")
    stream.write(out.encode("utf-8"))
    stream.flush()


def _read(file: str) -> tuple[bytes, str]:
    if file == "-":
        return click.get_binary_stream("stdin").read(), "file:///dev/stdin"
    path = Path(file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BadInput(f"cannot read {file}: {exc.strerror or exc}") from exc
    return data, path.resolve().as_uri()


COMMANDS = [parse]
