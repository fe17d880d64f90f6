"""foilog's Datasette plugin: home page, readable response pages, search snippets.

Registered by the `datasette` entry point in pyproject.toml. Routes:
- `/`: what the archive is, how fresh, a search box, a chart, links to queries and feeds.
- `/response/<id>`: one response, each question followed by its answer, exemptions with
  their names and legislation links, attachments, history.
- `/-/foilog/<file>`: this plugin's static files.
All scraped text reaches HTML through Jinja autoescape or `markupsafe.escape`.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import unquote, urlsplit

import markupsafe
from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import AsgiFileDownload, NotFound, Response, asgi_static
from jinja2 import FileSystemLoader

from plugins import (
    browse_tables,
    facet_counts,
    feeds,
    history_pages,
    quiet,
    round_robin_page,
    sqlfunctions,
)
from plugins.common import DATABASE, archive, response_path
from plugins.pages import home_context, human_bytes, response_context
from plugins.search_page import search_view
from plugins.snapshot import SnapshotCache

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
# Columns holding a response id, per table/view (None: canned queries on the archive).
RESPONSE_ID_COLUMNS = {
    "id": {None, "responses", "responses_with_exemptions"},
    "response_id": {
        None,
        "questions",
        "response_exemptions",
        "links",
        "attachments",
        "attachment_table_rows",
        "answers",
        "response_tables",
        "response_table_cells",
        "response_table_rows",
    },
}
TITLE_TABLES = {None, "responses", "responses_with_exemptions"}
SNAPSHOTS = SnapshotCache()
SAFE_SCHEMES = {"http", "https", "mailto"}


@hookimpl
def prepare_jinja2_environment(env, datasette):
    # Datasette only finds templates/ next to plugins that are packages; ours is a
    # module, so its templates go in front of Datasette's own (after --template-dir).
    position = 1 if datasette.template_dir else 0
    env.loader.loaders.insert(position, FileSystemLoader(str(TEMPLATES)))
    env.filters["human_bytes"] = human_bytes
    env.filters["tilde_encode"] = tilde_encode
    env.filters["safe_href"] = safe_href
    env.globals["response_path"] = lambda rid: response_path(datasette, rid)


@hookimpl
def prepare_connection(conn):
    sqlfunctions.register(conn)


@hookimpl
def extra_css_urls(datasette):
    return [
        datasette.urls.path("/-/foilog/foilog.css"),
        datasette.urls.path("/-/foilog/foilog-answers.css"),
    ]


@hookimpl
def register_routes():
    return [
        (r"^/$", home),
        (r"^/search(\.(?P<format>json|csv|atom))?$", search_view),
        *feeds.ROUTES,
        *history_pages.ROUTES,  # before /response/<id>: ids contain slashes
        (r"^/response/(?P<response_id>.+?)/?$", response_page),
        (r"^/-/foilog/(?P<path>.*)$", asgi_static(str(STATIC))),
        (rf"^/{DATABASE}\.db$", download_archive),
        *round_robin_page.routes(),
    ]


async def home(datasette, request):
    context = await home_context(archive(datasette))
    context.update(database=archive(datasette).name, metadata=datasette.metadata())
    return Response.html(
        await datasette.render_template("foilog_home.html", context, request=request)
    )


async def response_page(datasette, request):
    response_id = unquote(request.url_vars["response_id"])
    context = await response_context(archive(datasette), response_id)
    if context is None:
        # A reference works as well as an id: /response/01.FOI.24.036818
        found = await history_pages.redirect_reference(datasette, response_id)
        if found is not None:
            return found
        raise NotFound(f"No response with id or reference {response_id!r} in the archive")
    context.update(await history_pages.history_context(datasette, request, context["response"]))
    context["round_robin"] = await round_robin_page.round_robin_of(archive(datasette), response_id)
    context.update(database=archive(datasette).name, metadata=datasette.metadata())
    return Response.html(
        await datasette.render_template("foilog_response.html", context, request=request)
    )


async def download_archive(datasette):
    """The whole archive as one consistent SQLite file (see plugins/snapshot.py)."""
    db = archive(datasette)
    if not datasette.setting("allow_download") or db.path is None:
        raise NotFound("Downloads are not enabled")
    snapshot = await asyncio.to_thread(SNAPSHOTS.latest, Path(db.path))
    return AsgiFileDownload(
        snapshot, filename=f"{DATABASE}.db", content_type="application/vnd.sqlite3"
    )


@hookimpl
def asgi_wrapper(datasette):
    return lambda app: browse_tables.hide_long_columns(app, DATABASE)


@hookimpl
def register_facet_classes():
    facet_counts.install()  # unfiltered facets from the kept counts (once per process)
    return [browse_tables.MonthFacet]


@hookimpl
def handle_exception(datasette, request, exception):
    return quiet.handle_exception(datasette, request, exception)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if database != archive(datasette).name or value is None:
        return None
    if (link := round_robin_page.cell_link(datasette, table, column, value, row)) is not None:
        return link
    if column.endswith("snippet") and table is None:
        return highlight_snippet(str(value))
    if table in RESPONSE_ID_COLUMNS.get(column, ()):
        # A foreign key Datasette expanded arrives as {"value": id, "label": title}.
        label = value.get("label") if isinstance(value, dict) else None
        rid = str(value["value"] if isinstance(value, dict) else value)
        # Arbitrary SQL also arrives with table=None: only path-shaped ids are ours.
        if table is not None or "/" in rid:
            return _link(response_path(datasette, rid), label or rid)
    if column == "title" and table in TITLE_TABLES and "id" in row.keys() and row["id"]:
        return _link(response_path(datasette, str(row["id"])), str(value))
    return None


def highlight_snippet(value: str) -> markupsafe.Markup:
    """Escape a snippet, then turn only FTS5's own <mark> markers back into HTML."""
    escaped = str(markupsafe.escape(value))
    return markupsafe.Markup(
        escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
    )


def safe_href(url: str | None) -> str | None:
    """A scraped link target, or None when it is not a web address (javascript:, data:)."""
    if url and urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES:
        return url.strip()
    return None


def _link(href: str, text: str) -> markupsafe.Markup:
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)
