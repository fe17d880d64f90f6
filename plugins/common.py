"""Small helpers shared by foilog's pages: the archive, our URLs, plain errors."""

from __future__ import annotations

import sys
from urllib.parse import quote

DATABASE = "foi"


def archive(datasette):
    """The archive database: `foi`, or the only database being served."""
    if DATABASE in datasette.databases:
        return datasette.get_database(DATABASE)
    return datasette.get_database()


def response_path(datasette, response_id: str) -> str:
    return datasette.urls.path("/response/" + quote(response_id, safe="/"))


def absolute(request, path: str) -> str:
    """An absolute URL on this server (feeds and citations need them)."""
    if path.startswith(("http://", "https://")):
        return path
    return f"{request.scheme}://{request.host}{path}"


def log_line(status: int, request, message: str) -> None:
    """One line on the serve terminal for a request that went wrong on the client's side."""
    print(f"foilog: {status} {request.method} {request.path}: {message}", file=sys.stderr)


def force_name(slug: str | None) -> str:
    """A force's name for readers: from the site definitions, else its slug in words."""
    if not slug:
        return ""
    from parsers.sites import SITES

    for site in SITES.values():
        if f"/{slug}/" in site.attachment_path_prefix:
            return site.name
    return slug.replace("-", " ").title()
