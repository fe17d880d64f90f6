"""Where a search matched each result, and a snippet around the match.

Every FTS lookup here is pinned to rowids (the page's responses, their questions, their
attachments), so it costs the same for a word in every response as for a rare one.
Snippets carry `MARK_START`/`MARK_END` around matched words: the page turns them into
`<mark>` after escaping the text; CSV, JSON and feeds strip them (`plain`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace

from db.fts import MATCH_NOTHING

MARK_START, MARK_END = "\ue000", "\ue001"
SNIPPET_TOKENS = 28


def explain(conn: sqlite3.Connection, fts: str, q: str, hits: list) -> list:
    """`hits` (db.search.SearchHit) with `matched_in` and `snippet` filled in.

    Four queries for the whole page (not four per result): each pins its full-text
    lookups to the page's rowids, so a page costs the same whatever the word.
    """
    if fts == MATCH_NOTHING or not hits:
        return hits
    ids = json.dumps([hit.rowid for hit in hits])
    keys = json.dumps([hit.id for hit in hits])
    mark = (MARK_START, MARK_END)
    text = {
        rowid: (in_title, in_request, snippet)
        for rowid, in_title, in_request, snippet in conn.execute(
            "SELECT rowid, instr(highlight(responses_fts, 0, ?, ?), ?) > 0, "
            "instr(highlight(responses_fts, 1, ?, ?), ?) > 0, "
            f"snippet(responses_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) "
            "FROM responses_fts WHERE responses_fts MATCH ? "
            "AND rowid IN (SELECT value FROM json_each(?))",
            (*mark, MARK_START, *mark, MARK_START, *mark, fts, ids),
        )
    }
    questions: dict[str, list[str]] = {}
    for response_id, number in conn.execute(
        "SELECT q.response_id, coalesce(q.number, q.position) FROM questions q "
        "CROSS JOIN questions_fts ON questions_fts.rowid = q.rowid "
        "WHERE q.response_id IN (SELECT value FROM json_each(?)) AND questions_fts MATCH ? "
        "ORDER BY q.response_id, q.position",
        (keys, fts),
    ):
        questions.setdefault(response_id, []).append(str(number))
    attachments: dict[str, list[tuple[str, str]]] = {}
    for response_id, title, snippet in conn.execute(
        f"SELECT a.response_id, coalesce(a.title, a.url), "
        f"snippet(attachments_fts, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM attachments a "
        "CROSS JOIN attachments_fts ON attachments_fts.rowid = a.id "
        "WHERE a.response_id IN (SELECT value FROM json_each(?)) AND attachments_fts MATCH ? "
        "ORDER BY a.response_id, a.position",
        (*mark, keys, fts),
    ):
        attachments.setdefault(response_id, []).append((title, snippet))
    return [
        _explained(
            hit, q, text.get(hit.rowid), questions.get(hit.id, []), attachments.get(hit.id, [])
        )
        for hit in hits
    ]


def _explained(hit, q: str, text, numbers: list[str], attachments: list[tuple[str, str]]):
    matched: list[str] = []
    snippet = ""
    if hit.reference and hit.reference == q:
        matched.append("reference")
        snippet = f"{MARK_START}{hit.reference}{MARK_END}"
    if text:
        in_title, in_request, text_snippet = text
        matched += [
            name for name, hit_in in (("title", in_title), ("request", in_request)) if hit_in
        ]
        snippet = snippet or text_snippet
    if numbers:
        matched.append(f"question{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}")
    if text and not matched:
        matched.append("full text")
    for title, found in attachments:
        matched.append(f"attachment “{title}”")
        snippet = snippet or found
    return replace(hit, snippet=snippet or "", matched_in=tuple(matched))


def plain(snippet: str) -> str:
    """A snippet without its match markers (CSV, JSON, feeds)."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")
