"""Table pages for browsing: long text columns hidden by default, months in date order.

- `/foi/responses` (HTML) shows the short columns unless the address chooses columns
  itself (`_col`/`_nocol`): the request and body text made every row ~450 px tall. The
  JSON and CSV keep every column. The table description links to every column.
- The `month` facet type lists months newest first, not by count (metadata.yml:
  `facets: [{month: month}]`).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from datasette.facets import ColumnFacet

# Table page path (under the archive) -> columns hidden unless the reader asks for them.
HIDDEN_BY_DEFAULT = {
    "responses": (
        "request_text",
        "body_text",
        "warnings",
        "content_sha256",
        "record_sha256",
        "parser_version",
    ),
}
MONTHS_SHOWN = 24


def hide_long_columns(app, database: str):
    """ASGI middleware adding `_nocol=` for the hidden columns to a plain table request."""
    paths = {f"/{database}/{table}": cols for table, cols in HIDDEN_BY_DEFAULT.items()}

    async def wrapped(scope, receive, send):
        if scope.get("type") == "http" and scope.get("path") in paths:
            pairs = parse_qsl(scope.get("query_string", b"").decode("latin-1"), True)
            if not any(key in ("_col", "_nocol") for key, _ in pairs):
                pairs += [("_nocol", col) for col in paths[scope["path"]]]
                scope = {**scope, "query_string": urlencode(pairs).encode("latin-1")}
        await app(scope, receive, send)

    return wrapped


class MonthFacet(ColumnFacet):
    """A column facet whose values are months (YYYY-MM): the latest first."""

    type = "month"

    async def suggest(self):
        return []

    def get_facet_size(self):
        # Every month is counted (one indexed GROUP BY), then the latest are shown.
        return self.ds.setting("max_returned_rows")

    async def facet_results(self):
        results, timed_out = await super().facet_results()
        for facet in results:
            facet["results"].sort(key=lambda r: str(r["value"]), reverse=True)
            facet["truncated"] = len(facet["results"]) > MONTHS_SHOWN
            facet["results"] = facet["results"][:MONTHS_SHOWN]
        return results, timed_out
