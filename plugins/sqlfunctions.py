"""SQL functions the canned queries use, registered on every Datasette connection.

- `fts_query(q)`: what a person types as a safe FTS5 query (db/fts.py).
- `feed_entry_html(reference, month, outcome, request_text)`: escaped HTML for an Atom
  entry (datasette-atom sanitises it again with bleach).
- `atom_date(text)`: an ISO timestamp with a timezone, as Atom requires.
"""

from __future__ import annotations

import html
import sqlite3
from datetime import UTC, datetime

from db.fts import fts_query

_EPOCH = "1970-01-01T00:00:00+00:00"
FEED_EXCERPT_CHARS = 600


def feed_entry_html(
    reference: str | None, month: str | None, outcome: str | None, request_text: str | None
) -> str:
    facts = [
        f"<strong>{html.escape(label)}:</strong> {html.escape(str(value))}"
        for label, value in (("Reference", reference), ("Month", month), ("Outcome", outcome))
        if value
    ]
    request = (request_text or "").strip()
    if len(request) > FEED_EXCERPT_CHARS:
        request = request[:FEED_EXCERPT_CHARS].rsplit(" ", 1)[0] + " …"
    paragraphs = [" · ".join(facts)] if facts else []
    paragraphs += [html.escape(p) for p in request.splitlines() if p.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def atom_date(value: str | None) -> str:
    if not value:
        return _EPOCH
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return _EPOCH
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)  # the archive stores UTC
    return parsed.isoformat(timespec="seconds")


def register(conn: sqlite3.Connection) -> None:
    conn.create_function("fts_query", 1, fts_query, deterministic=True)
    conn.create_function("feed_entry_html", 4, feed_entry_html, deterministic=True)
    conn.create_function("atom_date", 1, atom_date, deterministic=True)
