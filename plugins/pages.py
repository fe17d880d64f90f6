"""Data for foilog's own pages (home, response), read through Datasette's database API.

Every value here is plain data; the templates escape it (Jinja autoescape), so scraped
text is never trusted as HTML.
"""

from __future__ import annotations

import json

from datasette.database import Database

from plugins.answers_view import answer_groups, body_blocks
from plugins.chart import Chart, build_chart
from plugins.decision_view import decision_for
from plugins.force_chart import force_chart

ATTACHMENT_PREVIEW_CHARS = 1200


async def home_context(db: Database) -> dict:
    counts = (
        await db.execute(
            "SELECT count(*) AS responses, "
            "count(*) FILTER (WHERE removed_at IS NOT NULL) AS removed, "
            "min(month) AS first_month, max(month) AS last_month, "
            "max(last_seen) AS last_seen, "
            "(SELECT count(*) FROM questions) AS questions, "
            "(SELECT count(*) FROM attachments) AS attachments "
            "FROM responses"
        )
    ).first()
    last_run = (
        await db.execute(
            "SELECT started_at, finished_at, new, changed, removed, failed, exit_code "
            "FROM crawl_runs ORDER BY coalesce(finished_at, started_at) DESC, id DESC LIMIT 1"
        )
    ).first()
    by_month = await db.execute(
        "SELECT month, outcome, responses FROM outcome_counts_by_month WHERE month IS NOT NULL"
    )
    top_exemptions = await db.execute(
        "SELECT re.section, e.name, count(DISTINCT re.response_id) AS responses "
        "FROM response_exemptions re LEFT JOIN exemptions e ON e.section = re.section "
        "GROUP BY re.section ORDER BY responses DESC, re.section LIMIT 8"
    )
    chart: Chart | None = build_chart([tuple(r) for r in by_month.rows])
    by_force = await db.execute(
        "SELECT force, outcome, count(*) FROM responses WHERE force IS NOT NULL "
        "GROUP BY force, outcome"
    )
    return {
        "force_chart": force_chart([tuple(r) for r in by_force.rows]),
        "counts": dict(counts),
        "last_run": dict(last_run) if last_run else None,
        "chart": chart,
        "top_exemptions": [dict(r) for r in top_exemptions.rows],
    }


async def response_context(db: Database, response_id: str) -> dict | None:
    row = (await db.execute("SELECT * FROM responses WHERE id = ?", [response_id])).first()
    if row is None:
        return None
    questions = await db.execute(
        "SELECT number, text, answer FROM questions WHERE response_id = ? ORDER BY position",
        [response_id],
    )
    exemptions = await db.execute(
        "SELECT re.section, re.subsection, re.citation, re.ncnd, e.name, e.kind, "
        "e.legislation_url FROM response_exemptions re "
        "LEFT JOIN exemptions e ON e.section = re.section "
        "WHERE re.response_id = ? ORDER BY re.position",
        [response_id],
    )
    attachments = await db.execute(
        "SELECT title, url, type, bytes, content_type, first_seen, removed_at, error, "
        "substr(text, 1, ?) AS preview, length(text) AS text_length "
        "FROM attachments WHERE response_id = ? ORDER BY removed_at IS NOT NULL, position",
        [ATTACHMENT_PREVIEW_CHARS, response_id],
    )
    links = await db.execute(
        "SELECT text, url FROM links WHERE response_id = ? ORDER BY position", [response_id]
    )
    groups = await answer_groups(db, response_id)
    answered = any(group.answer_text for group in groups)
    return {
        "response": dict(row),
        "warnings": _json_list(row["warnings"]),
        "qa_groups": groups,
        "body_blocks": await body_blocks(db, response_id, row["body_text"]),
        "decision": decision_for(dict(row), answered),
        "questions": [dict(r) for r in questions.rows],
        "exemptions": [dict(r) for r in exemptions.rows],
        "attachments": [dict(r) for r in attachments.rows],
        "links": [dict(r) for r in links.rows],
        "preview_chars": ATTACHMENT_PREVIEW_CHARS,
    }


def _json_list(value: str | None) -> list:
    try:
        parsed = json.loads(value or "[]")
    except json.JSONDecodeError:
        return [value]
    return parsed if isinstance(parsed, list) else [parsed]


def human_bytes(n: int | None) -> str:
    if n is None:
        return ""
    size = float(n)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n} bytes"
