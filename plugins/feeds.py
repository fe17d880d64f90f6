"""Atom feeds: `/search.atom` (follow a search) and `/changes.atom` (edits and removals).

Each entry links to our response page first (it outlives the force's page) and to the
force's page second (`rel="related"`); the feed title names the search; the force that
wrote the response is the entry's author. The old canned-query feeds redirect here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator

from db.history import recent_changes
from db.search import SearchFilters, newest_added
from plugins.common import absolute, archive, force_name, response_path

FEED_ENTRIES = 50
CONTENT_TYPE = "application/atom+xml; charset=utf-8"
EVENT_WORDS = {
    "changed": "Changed",
    "removed": "Removed from the force's website",
    "restored": "Back on the force's website",
}


def _feed(request, title: str, subtitle: str, page_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(str(request.url))
    fg.title(title)
    fg.subtitle(subtitle)
    fg.author({"name": "foilog"})
    fg.link(href=str(request.url), rel="self")
    fg.link(href=page_url, rel="alternate")
    fg.generator("foilog")
    return fg


def _entry(fg, datasette, request, *, entry_id, title, updated, response_id, url, force, text):
    entry = fg.add_entry(order="append")
    entry.id(entry_id)
    entry.title(title)
    entry.updated(_date(updated))
    entry.link(href=absolute(request, response_path(datasette, response_id)), rel="alternate")
    if url:
        entry.link(href=url, rel="related", title="On the force's website")
    entry.author({"name": force_name(force) or "Unknown force"})
    entry.content(text, type="text")


def _date(value: str | None) -> datetime:
    try:
        parsed = datetime.fromisoformat((value or "").replace("Z", "+00:00"))
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=UTC)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _finish(fg: FeedGenerator, newest: str | None) -> Response:
    fg.updated(_date(newest))
    return Response(fg.atom_str(pretty=True), content_type=CONTENT_TYPE)


async def search_feed(datasette, request, filters: SearchFilters) -> Response:
    items = await archive(datasette).execute_fn(
        lambda conn: newest_added(conn, filters, FEED_ENTRIES)
    )
    described = filters.describe()
    title = f"foilog: new responses matching {described}" if described else "foilog: new responses"
    args = filters.to_args(sort="newest", page=1)
    page = absolute(request, datasette.urls.path("/search") + "?" + urlencode(args))
    fg = _feed(request, title, "Responses newly added to the archive, newest first.", page)
    for hit, excerpt in items:
        facts = " · ".join(
            x for x in (hit.reference, hit.month, (hit.outcome or "").replace("_", " ")) if x
        )
        _entry(
            fg,
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
    return _finish(fg, items[0][0].first_seen if items else None)


async def changes_feed(datasette, request) -> Response:
    items = await archive(datasette).execute_fn(lambda conn: recent_changes(conn, FEED_ENTRIES))
    page = absolute(request, datasette.urls.path("/"))
    fg = _feed(
        request,
        "foilog: changes and removals",
        "Responses the force changed, removed or put back, newest first.",
        page,
    )
    for item in items:
        _entry(
            fg,
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
    return _finish(fg, items[0].at if items else None)


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
