"""Per-force pages: `/forces` (every force in the archive) and `/force/<slug>` (counts by
year and outcome, the most-cited exemptions, links into the tables and queries).

A Datasette plugin of its own (entry point `foilog_forces` in pyproject.toml), next to
plugins/foilog_pages.py; force names come from parsers/forces.toml. Scraped text reaches
HTML through Jinja autoescape only.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.utils.asgi import NotFound, Response

from parsers.sites import SITES, force_key
from plugins.chart import OUTCOME_COLOURS
from plugins.foilog_pages import archive

TOP_EXEMPTIONS = 10


@hookimpl
def register_routes():
    return [
        (r"^/forces/?$", forces_page),
        (r"^/force/(?P<force>[a-z0-9-]+)/?$", force_page),
    ]


def force_name(slug: str) -> str:
    site = SITES.get(slug)
    return site.name if site else slug


async def forces_page(datasette, request):
    db = archive(datasette)
    rows = await db.execute(
        "SELECT force, count(*) AS responses, min(month) AS first_month, max(month) AS "
        "last_month, count(*) FILTER (WHERE removed_at IS NOT NULL) AS removed "
        "FROM responses WHERE force IS NOT NULL GROUP BY force ORDER BY responses DESC, force"
    )
    forces = [{**dict(r), "name": force_name(r["force"])} for r in rows.rows]
    archived = {f["force"] for f in forces}
    context = {
        "forces": forces,
        "not_archived": [s for k, s in SITES.items() if k not in archived],
        "database": db.name,
        "metadata": datasette.metadata(),
    }
    return Response.html(
        await datasette.render_template("foilog_forces.html", context, request=request)
    )


async def force_page(datasette, request):
    slug = force_key(request.url_vars["force"]) or request.url_vars["force"]
    db = archive(datasette)
    context = await force_context(db, slug)
    if context is None:
        raise NotFound(f"No responses from force {slug!r} in the archive")
    context.update(database=db.name, metadata=datasette.metadata())
    return Response.html(
        await datasette.render_template("foilog_force.html", context, request=request)
    )


async def force_context(db, slug: str) -> dict | None:
    totals = (
        await db.execute(
            "SELECT count(*) AS responses, count(*) FILTER (WHERE removed_at IS NOT NULL) "
            "AS removed, count(*) FILTER (WHERE ncnd) AS ncnd, min(month) AS first_month, "
            "max(month) AS last_month, (SELECT count(*) FROM response_languages l JOIN "
            "responses r2 ON r2.id = l.response_id WHERE r2.force = :force AND "
            "l.language = 'cy') AS welsh FROM responses WHERE force = :force",
            {"force": slug},
        )
    ).first()
    if not totals or not totals["responses"]:
        return None
    by_year = await db.execute(
        "SELECT coalesce(substr(coalesce(month, published), 1, 4), 'unknown') AS year, "
        "coalesce(outcome, 'unknown') AS outcome, count(*) AS n FROM responses "
        "WHERE force = :force GROUP BY year, outcome ORDER BY year DESC",
        {"force": slug},
    )
    exemptions = await db.execute(
        "SELECT re.section, e.name, count(DISTINCT re.response_id) AS responses, "
        "round(100.0 * count(DISTINCT re.response_id) / :total, 1) AS percent "
        "FROM response_exemptions re JOIN responses r ON r.id = re.response_id "
        "LEFT JOIN exemptions e ON e.section = re.section WHERE r.force = :force "
        "GROUP BY re.section ORDER BY responses DESC, re.section LIMIT :top",
        {"force": slug, "total": totals["responses"], "top": TOP_EXEMPTIONS},
    )
    years, outcomes = _year_table([tuple(r) for r in by_year.rows])
    site = SITES.get(slug)
    return {
        "force": slug,
        "name": force_name(slug),
        "site": site,
        "totals": dict(totals),
        "years": years,
        "outcomes": outcomes,
        "outcome_colours": OUTCOME_COLOURS,
        "exemptions": [dict(r) for r in exemptions.rows],
    }


def _year_table(rows: list[tuple[str, str, int]]) -> tuple[list[dict], list[str]]:
    """[{year, total, counts: {outcome: n}}] newest first, and the outcomes seen (columns)."""
    years: dict[str, dict[str, int]] = {}
    for year, outcome, n in rows:
        years.setdefault(year, {})[outcome] = n
    seen = {o for counts in years.values() for o in counts}
    outcomes = [o for o in OUTCOME_COLOURS if o in seen] + sorted(seen - set(OUTCOME_COLOURS))
    table = [
        {"year": year, "total": sum(counts.values()), "counts": counts}
        for year, counts in sorted(years.items(), reverse=True)
    ]
    return table, outcomes
