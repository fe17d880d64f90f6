"""The comparison page of one round robin, its Atom feed, and the link from a response.

- `/round-robin/<id>`: the shared request once, then one row per force's answer (force,
  month, outcome, exemptions with NCND marked, questions answered, a link to the
  response); answers that differ from the majority are marked.
- `/round-robin/<id>.atom`: one entry per force's answer, newest first.
- round robin ids in tables and canned queries link to their page (`cell_link`).
Data comes from `round_robins` / `round_robin_members` (db/round_robins.py).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

import markupsafe
from datasette.utils.asgi import NotFound, Response

MEMBERS_SQL = """
select m.response_id, m.force, m.answer, m.differs, m.similarity, r.title, r.reference,
  r.month, r.outcome, r.ncnd, r.url, r.first_seen, r.language, r.removed_at,
  r.question_count,
  (select count(*) from questions q where q.response_id = r.id
     and coalesce(trim(q.answer), '') != '') as answered,
  (select json_group_array(json_object('section', section, 'subsection', subsection,
     'ncnd', ncnd)) from (select section, subsection, max(ncnd) as ncnd
     from response_exemptions where response_id = r.id group by section, subsection
     order by section)) as exemptions
from round_robin_members m join responses r on r.id = m.response_id
where m.cluster_id = ? order by m.force, r.first_seen
"""


# (table, column) holding a round robin id; table None: canned queries.
ROUND_ROBIN_COLUMNS = {("round_robin_members", "cluster_id"), (None, "round_robin")}


def cell_link(datasette, table: str | None, column: str, value, row) -> markupsafe.Markup | None:
    """A round robin's id (or its title in `round_robins`) links to its comparison page."""
    if table == "round_robins" and column == "title" and "id" in row.keys():
        rr_id, text = row["id"], value
    elif (table, column) in ROUND_ROBIN_COLUMNS and value is not None:
        rr_id = value.get("value") if isinstance(value, dict) else value
        text = (value.get("label") or rr_id) if isinstance(value, dict) else value
    else:
        return None
    if not str(rr_id).isdigit():
        return None
    href = datasette.urls.path(f"/round-robin/{int(rr_id)}")
    return markupsafe.Markup('<a href="{}">{}</a>').format(href, text)


def routes() -> list:
    return [
        (r"^/round-robin/(?P<rr_id>\d+)\.atom$", round_robin_feed),
        (r"^/round-robin/(?P<rr_id>\d+)/?$", round_robin_page),
    ]


def _archive(datasette):
    from plugins.foilog_pages import archive

    return archive(datasette)


async def round_robin_context(db, rr_id: int) -> dict | None:
    import json

    row = (await db.execute("select * from round_robins where id = ?", [rr_id])).first()
    if row is None:
        return None
    members = []
    for m in (await db.execute(MEMBERS_SQL, [rr_id])).rows:
        member = dict(m)
        member["exemptions"] = json.loads(member["exemptions"] or "[]")
        members.append(member)
    return {"rr": dict(row), "members": members}


async def round_robin_page(datasette, request):
    rr_id = int(request.url_vars["rr_id"])
    db = _archive(datasette)
    context = await round_robin_context(db, rr_id)
    if context is None:
        raise NotFound(f"No round robin {rr_id} in the archive")
    context.update(database=db.name, metadata=datasette.metadata())
    return Response.html(
        await datasette.render_template("foilog_round_robin.html", context, request=request)
    )


async def round_robin_feed(datasette, request):
    rr_id = int(request.url_vars["rr_id"])
    db = _archive(datasette)
    context = await round_robin_context(db, rr_id)
    if context is None:
        raise NotFound(f"No round robin {rr_id} in the archive")
    rr, members = context["rr"], context["members"]
    page = request.url.split(".atom")[0]
    entries = []
    for m in sorted(members, key=lambda m: m["first_seen"] or "", reverse=True):
        outcome = (m["outcome"] or "unknown").replace("_", " ")
        summary = f"{m['force']} answered ({outcome}){': ' + m['differs'] if m['differs'] else ''}"
        entries.append(
            "<entry>"
            f"<id>{escape(m['url'])}#round-robin-{rr_id}</id>"
            f"<title>{escape(summary)}</title>"
            f"<updated>{escape(_atom_date(m['first_seen']))}</updated>"
            f'<link href="{escape(m["url"], {chr(34): "&quot;"})}"/>'
            f"<summary>{escape(m['title'] or m['response_id'])}</summary>"
            "</entry>"
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<id>{escape(page)}</id>"
        f"<title>Round robin: {escape(rr['title'] or str(rr_id))}</title>"
        f"<updated>{escape(_atom_date(rr['last_joined']))}</updated>"
        f'<link rel="alternate" href="{escape(page)}"/>' + "".join(entries) + "</feed>\n"
    )
    return Response(feed, content_type="application/atom+xml; charset=utf-8")


def _atom_date(value: str | None) -> str:
    if not value:
        return "1970-01-01T00:00:00Z"
    return value.replace("+00:00", "Z") if "T" in value else value + "T00:00:00Z"


async def round_robin_of(db, response_id: str) -> dict | None:
    """The round robin a response belongs to (for the link on its page), or None."""
    if not await db.table_exists("round_robin_members"):
        return None  # an archive not migrated yet
    row = (
        await db.execute(
            "select rr.id, rr.title, rr.forces from round_robin_members m "
            "join round_robins rr on rr.id = m.cluster_id where m.response_id = ? limit 1",
            [response_id],
        )
    ).first()
    return dict(row) if row else None
