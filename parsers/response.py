"""Placeholder: replaced by the parser's owner."""
from parsers.record import Response


def parse_response(html: str | bytes, url: str) -> Response:
    raise NotImplementedError
