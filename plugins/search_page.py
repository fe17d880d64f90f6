"""`/search` for people, `/search.json`, `/search.csv` and `/search.atom` (follow a search).

The query itself lives in db/search.py; this module turns request parameters into
`SearchFilters` (a bad parameter is a 400 with the reason), runs the search on the
archive's connection, and renders it. Snippets are escaped before their match markers
become `<mark>`, so scraped text can never inject markup.
"""

from __future__ import annotations

import csv
import io
import time
from dataclasses import replace
from urllib.parse import urlencode

import markupsafe
from datasette.utils.asgi import BadRequest, Response

from db.search import (
    COUNT_CAP,
    MARK_END,
    MARK_START,
    PAGE_SIZE,
    RANK_LIMIT,
    BadSearch,
    SearchFilters,
    SearchResults,
    filter_choices,
    plain,
    researcher_sql,
    search,
)
from parsers.record import OUTCOMES
from plugins import feeds
from plugins.common import absolute, archive, response_path

CSV_MAX_ROWS = 5000
CHOICES_TTL_S = 60.0
_choices_cache: dict[str, tuple[float, dict]] = {}


async def search_view(datasette, request):
    fmt = request.url_vars.get("format") or "html"
    try:
        filters = SearchFilters.from_args(request.args)
    except BadSearch as error:
        raise BadRequest(str(error)) from error  # a 400 page, or JSON for .json
    db = archive(datasette)
    if fmt == "atom":
        return await feeds.search_feed(datasette, request, filters)
    if fmt == "csv":
        return await _csv(datasette, request, filters)
    results = await db.execute_fn(lambda conn: search(conn, filters))
    if fmt == "json":
        return Response.json(_json(datasette, request, results))
    context = {
        "results": results,
        "filters": filters,
        "choices": await _choices(db),
        "outcomes": OUTCOMES,
        "page_size": PAGE_SIZE,
        "count_cap": COUNT_CAP,
        "rank_limit": RANK_LIMIT,
        "hit_url": lambda hit: response_path(datasette, hit.id),
        "snippet_html": snippet_html,
        "search_url": lambda fmt="", **changes: search_url(datasette, filters, fmt, **changes),
        "sql_url": _sql_url(datasette, filters),
        "database": db.name,
        "metadata": datasette.metadata(),
    }
    return Response.html(
        await datasette.render_template("foilog_search.html", context, request=request)
    )


def search_url(datasette, filters: SearchFilters, fmt: str = "", **changes) -> str:
    args = filters.to_args(**changes)
    path = datasette.urls.path("/search" + (f".{fmt}" if fmt else ""))
    return path + ("?" + urlencode(args) if args else "")


def snippet_html(snippet: str) -> markupsafe.Markup:
    escaped = str(markupsafe.escape(snippet))
    return markupsafe.Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _sql_url(datasette, filters: SearchFilters) -> str:
    sql, params = researcher_sql(filters)
    return (
        datasette.urls.database(archive(datasette).name) + "?" + urlencode({"sql": sql, **params})
    )


def _row(datasette, request, hit) -> dict:
    return {
        "id": hit.id,
        "reference": hit.reference,
        "title": hit.title,
        "month": hit.month,
        "published": hit.published,
        "outcome": hit.outcome,
        "ncnd": hit.ncnd,
        "force": hit.force,
        "matched_in": list(hit.matched_in),
        "snippet": plain(hit.snippet),
        "removed_at": hit.removed_at,
        "archive_url": absolute(request, response_path(datasette, hit.id)),
        "original_url": hit.url,
    }


def _json(datasette, request, results: SearchResults) -> dict:
    f = results.filters
    data = {
        "query": f.to_args(),
        "total": results.total,
        # False when counting stopped early: `total` is then a lower bound, and
        # `total_bound` says which ("more than" or "at least").
        "total_exact": not results.bound,
        "total_bound": results.bound or None,
        "page": f.page,
        "pages": results.pages,
        "page_size": PAGE_SIZE,
        "order": "relevance" if results.ranked else "newest",
        "results": [_row(datasette, request, hit) for hit in results.hits],
        "attachments_matching": min(results.attachments, COUNT_CAP),
        "attachments_matching_exact": results.attachments <= COUNT_CAP,
        "next_url": None,
        "took_ms": results.took_ms,
    }
    if f.page < results.pages:
        data["next_url"] = absolute(request, search_url(datasette, f, "json", page=f.page + 1))
    return data


async def _csv(datasette, request, filters: SearchFilters) -> Response:
    """Every result (up to CSV_MAX_ROWS), in the page's order, as plain text."""
    db = archive(datasette)

    def every_page(conn):
        first = search(conn, replace(filters, page=1))
        hits = list(first.hits)
        page = 2
        # A lower-bound count (words in very many responses) does not end the list.
        wanted = CSV_MAX_ROWS if first.bound else min(first.total, CSV_MAX_ROWS)
        while len(hits) < wanted:
            more = search(conn, replace(filters, page=page))
            if not more.hits:
                break
            hits += more.hits
            page += 1
        return hits[:CSV_MAX_ROWS]

    hits = await db.execute_fn(every_page)
    out = io.StringIO()
    columns = list(_row(datasette, request, hits[0]).keys()) if hits else ["id"]
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    for hit in hits:
        row = _row(datasette, request, hit)
        row["matched_in"] = "; ".join(row["matched_in"])
        writer.writerow(row)
    return Response(
        out.getvalue(),
        content_type="text/csv; charset=utf-8",
        headers={"content-disposition": 'attachment; filename="foilog-search.csv"'},
    )


async def _choices(db) -> dict:
    """Years and forces for the filter menus; cached briefly (they change nightly)."""
    cached = _choices_cache.get(db.name)
    if cached and time.monotonic() - cached[0] < CHOICES_TTL_S:
        return cached[1]
    choices = await db.execute_fn(filter_choices)
    _choices_cache[db.name] = (time.monotonic(), choices)
    return choices
