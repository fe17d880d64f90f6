"""History, archived copies, permalinks and citations for response pages.

- `/response/<id>/history`: every stored version, what changed, and the text diffs.
- `/response/<id>/archived[?version=N]`: the raw page as we fetched it, from the raw page
  store, sandboxed (`Content-Security-Policy: sandbox`, nothing loaded from anywhere) with a
  banner saying when it was fetched.
- `/ref/<reference>`: redirects to the response page; `/response/<reference>` too.
The raw page store is found through the plugin configuration `foilog.pages_db`
(`foilog serve --pages-db`, by default `pages.db` next to the archive).
"""

from __future__ import annotations

import asyncio
import html
import re
from urllib.parse import unquote

from datasette.utils.asgi import BadRequest, NotFound, Response

from db import history
from db.files import page_store_paths
from db.search import ids_for_reference
from plugins.common import absolute, archive, force_name, response_path

MONTHS = (
    "January February March April May June July August September October November December"
).split()
# The archived page may not run anything or load anything: not from the force's site,
# not from ours. Inline styles keep it readable; the banner uses them too.
ARCHIVE_CSP = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)


def raw_pages(datasette, url: str) -> history.RawPages | None:
    """The raw store that holds `url`: `pages.db`, or its force's own `pages-<force>.db`
    after a refresh of several forces (db.files.page_store_paths)."""
    config = datasette.plugin_config("foilog") or {}
    path = config.get("pages_db")
    stores = [history.RawPages(p) for p in page_store_paths(path)] if path else []
    for store in stores:
        if store.versions(url):
            return store
    return stores[0] if stores else None


async def response_row(datasette, response_id: str) -> dict | None:
    db = archive(datasette)
    row = (await db.execute("SELECT * FROM responses WHERE id = ?", [response_id])).first()
    return dict(row) if row else None


async def redirect_reference(datasette, reference: str) -> Response | None:
    """A redirect to the response carrying this reference, if there is one."""
    ids = await archive(datasette).execute_fn(lambda conn: ids_for_reference(conn, reference))
    return Response.redirect(response_path(datasette, ids[0])) if ids else None


async def ref_view(datasette, request):
    reference = unquote(request.url_vars["reference"])
    found = await redirect_reference(datasette, reference)
    if found is None:
        raise NotFound(f"No response with reference {reference!r} in the archive")
    return found


async def history_context(datasette, request, r: dict) -> dict:
    """Versions, events, the latest change and the citation for a response page."""
    store = await asyncio.to_thread(raw_pages, datasette, r["url"])
    versions = await asyncio.to_thread(store.versions, r["url"]) if store else []
    changes = await asyncio.to_thread(history.changes, store, r["url"]) if len(versions) > 1 else []
    events = await archive(datasette).execute_fn(lambda conn: history.events(conn, r["id"]))
    own = response_path(datasette, r["id"])
    return {
        "history": history.timeline(versions, changes, events),
        "versions": versions,
        "changes": list(reversed(changes)),  # newest first
        "raw_store": store is not None,
        "history_url": own + "/history",
        "archived_url": own + "/archived",
        "cite": citation(r, absolute(request, own)),
        "force_name": force_name(r.get("force")),
    }


async def history_view(datasette, request):
    response_id = unquote(request.url_vars["response_id"])
    r = await response_row(datasette, response_id)
    if r is None:
        raise NotFound(f"No response with id {response_id!r} in the archive")
    context = await history_context(datasette, request, r)
    context.update(
        response=r,
        response_url=response_path(datasette, r["id"]),
        database=archive(datasette).name,
        metadata=datasette.metadata(),
    )
    return Response.html(
        await datasette.render_template("foilog_history.html", context, request=request)
    )


async def archived_view(datasette, request):
    response_id = unquote(request.url_vars["response_id"])
    r = await response_row(datasette, response_id)
    if r is None:
        raise NotFound(f"No response with id {response_id!r} in the archive")
    version = request.args.get("version")
    if version is not None and not version.isdigit():
        raise BadRequest(f"version must be a number; got {version!r}")
    store = await asyncio.to_thread(raw_pages, datasette, r["url"])
    found = None
    if store is not None:
        found = await asyncio.to_thread(store.body, r["url"], int(version) if version else None)
    if found is None:
        raise NotFound(
            "No archived copy of this page is available on this server"
            + (f" (version {version})" if version else "")
        )
    stored, body = found
    versions = await asyncio.to_thread(store.versions, r["url"])
    own = absolute(request, response_path(datasette, r["id"]))
    page = _with_banner(body, _banner(r, stored, versions, own))
    content_type = stored.content_type or "text/html"
    if "html" not in content_type.lower():
        content_type = "text/html"
    return Response(
        page,
        content_type=content_type,
        headers={
            "Content-Security-Policy": ARCHIVE_CSP,
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


def _banner(r: dict, stored: history.Version, versions: list, own: str) -> bytes:
    """The banner, ASCII with character references, so any page encoding keeps it intact."""
    e = html.escape
    removed = (
        f" The force has since removed it from its website (found gone {e(r['removed_at'])})."
        if r.get("removed_at")
        else ""
    )
    others = " ".join(
        f'<a style="color:#fff" href="{e(own)}/archived?version={v.number}">'
        f"{'<strong>' if v.number == stored.number else ''}version {v.number}"
        f"{'</strong>' if v.number == stored.number else ''}</a>"
        for v in versions
    )
    text = (
        '<div role="note" style="all:initial;display:block;background:#1d3557;color:#fff;'
        'font:15px/1.4 sans-serif;padding:10px 14px;margin:0 0 8px;border-bottom:4px solid #e9c46a">'
        f"<strong>Archived copy</strong> of {e(r['url'])}, as foilog fetched it on "
        f"<strong>{e(stored.fetched_at)}</strong> (last seen unchanged {e(stored.last_fetched_at)})."
        f"{removed} Scripts are off and nothing is loaded from the force's website, so it may look"
        f' plain. <a style="color:#fff" href="{e(own)}">Back to the response</a>'
        f"{' &middot; versions: ' + others if len(versions) > 1 else ''}"
        "</div>"
    )
    return text.encode("ascii", "xmlcharrefreplace")


def _with_banner(body: bytes, banner: bytes) -> bytes:
    match = _BODY_TAG.search(body)
    if match is None:
        return banner + body
    return body[: match.end()] + banner + body[match.end() :]


def citation(r: dict, archive_url: str) -> dict:
    """The parts of a citation and the line a reader copies."""
    month = _month_words(r.get("month"))
    retrieved = (r.get("fetched_at") or r.get("last_seen") or "")[:10]
    parts = [
        f"{force_name(r.get('force')) or 'Police force'}",
        f"“{r.get('title') or r['id']}”",
        f"Freedom of Information response {r['reference']}" if r.get("reference") else "",
        month,
        f"Original: {r['url']}",
        f"Archived by foilog: {archive_url}",
        f"Retrieved {retrieved}" if retrieved else "",
    ]
    return {"line": ". ".join(p for p in parts if p) + ".", "month": month, "retrieved": retrieved}


def _month_words(month: str | None) -> str:
    if month and re.fullmatch(r"\d{4}-\d{2}", month) and 1 <= int(month[5:]) <= 12:
        return f"{MONTHS[int(month[5:]) - 1]} {month[:4]}"
    return month or ""


ROUTES = [
    (r"^/ref/(?P<reference>[^/]+)/?$", ref_view),
    (r"^/response/(?P<response_id>.+)/history/?$", history_view),
    (r"^/response/(?P<response_id>.+)/archived/?$", archived_view),
]
