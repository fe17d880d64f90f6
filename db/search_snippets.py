"""Where a search matched each result, and a snippet around the match.

Every FTS lookup here is pinned to rowids (one response, its questions' rowid range, its
attachments), so it costs the same for a word in every response as for a rare one.
Snippets carry `MARK_START`/`MARK_END` around matched words: the page turns them into
`<mark>` after escaping the text; CSV, JSON and feeds strip them (`plain`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace

from db.fts import MATCH_NOTHING

MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_TOKENS = 28


def explain(conn: sqlite3.Connection, fts: str, q: str, hit):
    """`hit` (a db.search.SearchHit) with `matched_in` and `snippet` filled in."""
    if fts == MATCH_NOTHING:
        return hit
    mark = (MARK_START, MARK_END)
    matched: list[str] = []
    snippet = ""
    if hit.reference and hit.reference == q:
        matched.append("reference")
        snippet = f"{MARK_START}{hit.reference}{MARK_END}"
    row = conn.execute(
        "SELECT instr(highlight(responses_fts, 0, ?, ?), ?) > 0, "
        "instr(highlight(responses_fts, 1, ?, ?), ?) > 0, "
        f"snippet(responses_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
        "FROM responses_fts WHERE responses_fts MATCH ? AND rowid = ?",
        (*mark, MARK_START, *mark, MARK_START, *mark, fts, hit.rowid),
    ).fetchone()
    if row:
        in_title, in_request, text_snippet = row
        matched += [
            name for name, hit_in in (("title", in_title), ("request", in_request)) if hit_in
        ]
        snippet = snippet or text_snippet
    numbers = _matching_questions(conn, fts, hit.id)
    if numbers:
        matched.append(f"question{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}")
    if row and not matched:
        matched.append("full text")
    for attachment_id, title in conn.execute(
        "SELECT id, coalesce(title, url) FROM attachments WHERE response_id = ? ORDER BY position",
        (hit.id,),
    ).fetchall():
        found = conn.execute(
            f"SELECT snippet(attachments_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
            "FROM attachments_fts WHERE attachments_fts MATCH ? AND rowid = ?",
            (*mark, fts, attachment_id),
        ).fetchone()
        if found:
            matched.append(f"attachment “{title}”")
            snippet = snippet or found[0]
    return replace(hit, snippet=snippet or "", matched_in=tuple(matched))


def _matching_questions(conn: sqlite3.Connection, fts: str, response_id: str) -> list[str]:
    # A response's questions are written together, so their rowids form a short range.
    low, high = conn.execute(
        "SELECT min(rowid), max(rowid) FROM questions WHERE response_id = ?", (response_id,)
    ).fetchone()
    if low is None:
        return []
    rows = conn.execute(
        "SELECT coalesce(q.number, q.position) FROM questions_fts "
        "JOIN questions q ON q.rowid = questions_fts.rowid "
        "WHERE questions_fts MATCH ? AND questions_fts.rowid BETWEEN ? AND ? "
        "AND q.response_id = ? ORDER BY q.position",
        (fts, low, high, response_id),
    )
    return [str(number) for (number,) in rows]


def plain(snippet: str) -> str:
    """A snippet without its match markers (CSV, JSON, feeds)."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")
