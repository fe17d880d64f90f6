"""Atom feeds: `/search.atom` (follow a search) and `/changes.atom` (edits and removals).

Each entry links to our response page first (it outlives the force's page) and to the
force's page second (`rel="related"`); the feed title names the search; the force that
wrote the response is the entry's author. The old canned-query feeds redirect here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree

from datasette.utils.asgi import Response

from db.history import recent_changes
from db.search import SearchFilters, newest_added
from plugins.common import absolute, archive, force_name, response_path

FEED_ENTRIES = 50
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
ATOM_NS = "http://www.w3.org/2005/Atom"
EVENT_WORDS = {
    "changed": "Changed",
    "removed": "Removed from the force's website",
    "restored": "Back on the force's website",
}


class _Feed:
    """A minimal Atom 1.0 document (feedgen 1.0 drops `rel` from entry links)."""

    def __init__(self, request, title: str, subtitle: str, page_url: str) -> None:
        self.root = ElementTree.Element("feed", xmlns=ATOM_NS)
        _text(self.root, "id", str(request.url))
        _text(self.root, "title", title)
        _text(self.root, "subtitle", subtitle)
        self.updated = _text(self.root, "updated", "")
        _text(ElementTree.SubElement(self.root, "author"), "name", "foilog")
        ElementTree.SubElement(self.root, "link", href=str(request.url), rel="self")
        ElementTree.SubElement(self.root, "link", href=page_url, rel="alternate")
        _text(self.root, "generator", "foilog")

    def entry(self, *, entry_id, title, updated, link, related, author, text) -> None:
        entry = ElementTree.SubElement(self.root, "entry")
        _text(entry, "id", entry_id)
        _text(entry, "title", title)
        _text(entry, "updated", _date(updated))
        ElementTree.SubElement(entry, "link", href=link, rel="alternate")
        if related:
            ElementTree.SubElement(
                entry, "link", href=related, rel="related", title="On the force's website"
            )
        _text(ElementTree.SubElement(entry, "author"), "name", author)
        _text(entry, "content", text).set("type", "text")

    def response(self, newest: str | None) -> Response:
        self.updated.text = _date(newest)
        body = ElementTree.tostring(self.root, encoding="unicode", xml_declaration=True)
        return Response(body, content_type=CONTENT_TYPE)


def _text(parent, tag: str, text: str):
    element = ElementTree.SubElement(parent, tag)
    element.text = text
    return element


def _entry(feed: _Feed, datasette, request, *, response_id, url, force, **fields) -> None:
    feed.entry(
        link=absolute(request, response_path(datasette, response_id)),
        related=url,
        author=force_name(force) or "Unknown force",
        **fields,
    )


def _date(value: str | None) -> str:
    try:
        parsed = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        parsed = datetime(1970, 1, 1, tzinfo=UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # the archive stores UTC
    return parsed.isoformat(timespec="seconds")


async def search_feed(datasette, request, filters: SearchFilters) -> Response:
    items = await archive(datasette).execute_fn(
        lambda conn: newest_added(conn, filters, FEED_ENTRIES)
    )
    described = filters.describe()
    title = f"foilog: new responses matching {described}" if described else "foilog: new responses"
    args = filters.to_args(sort="newest", page=1)
    page = absolute(request, datasette.urls.path("/search") + "?" + urlencode(args))
    feed = _Feed(request, title, "Responses newly added to the archive, newest first.", page)
    for hit, excerpt in items:
        facts = " · ".join(
            x for x in (hit.reference, hit.month, (hit.outcome or "").replace("_", " ")) if x
        )
        _entry(
            feed,
            datasette,
            request,
            entry_id=hit.url,
            title=f"{hit.reference + ': ' if hit.reference else ''}{hit.title or hit.id}",
            updated=hit.first_seen,
            response_id=hit.id,
            url=hit.url,
            force=hit.force,
            text=f"{facts}\n\n{excerpt.strip()}",
        )
    return feed.response(items[0][0].first_seen if items else None)


async def changes_feed(datasette, request) -> Response:
    items = await archive(datasette).execute_fn(lambda conn: recent_changes(conn, FEED_ENTRIES))
    page = absolute(request, datasette.urls.path("/"))
    feed = _Feed(
        request,
        "foilog: changes and removals",
        "Responses the force changed, removed or put back, newest first.",
        page,
    )
    for item in items:
        _entry(
            feed,
            datasette,
            request,
            entry_id=f"urn:foilog:event:{item.event_id}",
            title=f"{EVENT_WORDS.get(item.event, item.event)}: "
            f"{item.reference + ' ' if item.reference else ''}{item.title or item.response_id}",
            updated=item.at,
            response_id=item.response_id,
            url=item.url,
            force=item.force,
            text=f"{EVENT_WORDS.get(item.event, item.event)} on {item.at}. "
            "The response page lists every version we hold and what changed.",
        )
    return feed.response(items[0].at if items else None)


async def changes_view(datasette, request):
    return await changes_feed(datasette, request)


async def legacy_feed(datasette, request):
    """The canned-query feeds of earlier versions now live at /search.atom."""
    args = {k: request.args[k] for k in ("q", "section") if request.args.get(k)}
    target = datasette.urls.path("/search.atom") + ("?" + urlencode(args) if args else "")
    return Response.redirect(target, status=301)


ROUTES = [
    (r"^/changes\.atom$", changes_view),
    (r"^/foi/new_responses(_matching|_citing)?\.atom$", legacy_feed),
]
