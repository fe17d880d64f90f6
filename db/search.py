"""Search the archive for people: a count, ranked or newest-first results, filters, pages.

`search(conn, filters) -> SearchResults` runs on one SQLite connection (Datasette's, in
its thread). Count first: counting matches is cheap, ranking all of them is not. Up to
`RANK_LIMIT` matches are ranked with bm25 (title weighs most, then the request, then the
text); beyond that, and whenever newest-first is asked for, results come in month order,
which SQLite reads off the month index and stops after one page.

A response matches through its own text (title, request, full text, which includes every
question and answer) or its reference typed exactly. Attachments are searched on their
own (`attachment_matches`, the `search_attachments` query); a result says when its
attachments match too (db/search_snippets.py). Parameters: db/search_filters.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from dataclasses import dataclass, field

from db.fts import fts_query
from db.search_filters import BadSearch, SearchFilters  # noqa: F401  (one import for callers)
from db.search_plan import NEWEST, Plan
from db.search_snippets import MARK_END, MARK_START, explain, plain  # noqa: F401

PAGE_SIZE = 20
# Counting stops here: a word in more responses is "more than 10,000" (counting every
# one of 250,000 takes longer than the page may).
COUNT_CAP = 10_000
# Up to this many matches are ranked with bm25 (title weighs most, then the request,
# then the text); more come newest first.
RANK_LIMIT = 2_000
# Words matching more than COUNT_CAP with filters: a filter letting this few through is
# tested response by response against the words (an exact count); more, and the count
# is a lower bound ("at least"), taken over the first COUNT_CAP matches of the words.
PROBE_LIMIT = 1_000
# Known matches up to this many are sorted by month directly; more are read off the
# month index (which stops after one page).
SORT_LIMIT = 2_000


@dataclass(frozen=True)
class SearchHit:
    id: str
    reference: str | None
    title: str | None
    month: str | None
    published: str | None
    outcome: str | None
    ncnd: int
    force: str | None
    url: str
    removed_at: str | None
    first_seen: str
    rowid: int
    snippet: str = ""  # with MARK_START/MARK_END around matched words
    matched_in: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchResults:
    filters: SearchFilters
    total: int
    hits: list[SearchHit] = field(default_factory=list)
    ranked: bool = False  # True: by relevance; False: newest first
    too_many_to_rank: bool = False
    attachments: int = 0  # attached files matching the words (searched on their own)
    took_ms: float = 0.0
    # "" when `total` is exact; "more than" or "at least" when counting stopped early.
    bound: str = ""

    @property
    def pages(self) -> int:
        pages = max(1, -(-self.total // PAGE_SIZE))
        if self.bound and len(self.hits) == PAGE_SIZE:
            pages = max(pages, self.filters.page + 1)
        return pages


@dataclass(frozen=True)
class _Matches:
    total: int
    bound: str = ""  # "" exact, else "more than" / "at least"
    rowids: list[int] | None = None  # every match, when known
    rankable: bool = False  # the words alone match few enough to rank them
    scores: dict[int, float] | None = None  # bm25 of every match, when already scored


def search(conn: sqlite3.Connection, filters: SearchFilters) -> SearchResults:
    started = time.perf_counter()
    plan = Plan(filters)
    found = _matches(conn, plan)
    ranked = (
        bool(filters.q)
        and filters.sort == "relevance"
        and found.rankable
        and found.total <= RANK_LIMIT
    )
    offset = (filters.page - 1) * PAGE_SIZE
    hits: list[SearchHit] = []
    if offset < found.total or found.bound:
        rowids = _page(conn, plan, found, ranked, offset)
        hits = [_hit(row) for row in conn.execute(plan.rows_sql(), {"ids": json.dumps(rowids)})]
        if filters.q:
            hits = explain(conn, str(plan.params["fts"]), filters.q, hits)
    return SearchResults(
        filters=filters,
        total=found.total,
        hits=hits,
        ranked=ranked,
        too_many_to_rank=bool(filters.q) and filters.sort == "relevance" and not ranked,
        attachments=attachment_matches(conn, filters),
        took_ms=round((time.perf_counter() - started) * 1000, 1),
        bound=found.bound,
    )


def _matches(conn: sqlite3.Connection, plan: Plan) -> _Matches:
    """Count first: how many match, and which, when that is cheap to know."""
    if not plan.filters.q:
        return _Matches(conn.execute(plan.count_sql(), plan.params).fetchone()[0])
    params = {**plan.params, "cap": COUNT_CAP + 1}
    references = _rowids(conn, plan.reference_sql(), plan.params)
    phrase = _PHRASE.search(str(plan.params["fts"]))
    if phrase and plan.filters.sort == "relevance":
        # A phrase's every match is a walk of its words' positions: score while counting
        # (bm25 reads them once more for its statistics), rather than count, then rank.
        top = conn.execute(plan.scored_sql(), {**plan.params, "cap": RANK_LIMIT + 1}).fetchall()
        if len(top) <= RANK_LIMIT:
            scores = {rowid: score for rowid, score in top}
            rowids = sorted(set(scores) | set(references))
            return _Matches(len(rowids), rowids=rowids, rankable=True, scores=scores)
    if phrase:
        text = _rowids(conn, plan.text_sql(), params)  # one pass, not two (count, fetch)
        counted = len(text)
    else:
        counted = conn.execute(plan.text_count_sql(), params).fetchone()[0]
        text = _rowids(conn, plan.text_sql(), params) if 0 < counted <= COUNT_CAP else []
    if counted <= COUNT_CAP:
        if plan.on_rowid:
            text = _rowids(conn, plan.passing_sql(), {**plan.params, "ids": json.dumps(text)})
        rowids = sorted(set(text) | set(references))
        return _Matches(len(rowids), rowids=rowids, rankable=True)
    if not plan.on_rowid:
        return _Matches(COUNT_CAP, bound="more than")
    few = _rowids(conn, plan.filtered_sql(), {**plan.params, "cap": PROBE_LIMIT + 1})
    if len(few) <= PROBE_LIMIT:
        text = _rowids(conn, plan.in_text_sql(), {**plan.params, "ids": json.dumps(few)})
        rowids = sorted(set(text) | set(references))
        return _Matches(len(rowids), rowids=rowids)
    # The words and the filters both let many through: count those among the words'
    # first COUNT_CAP matches (a lower bound), and list pages by walking the filters.
    passing = conn.execute(plan.passing_count_sql(), params).fetchone()[0]
    return _Matches(max(passing, len(references)), bound="at least")


def _page(
    conn: sqlite3.Connection, plan: Plan, found: _Matches, ranked: bool, offset: int
) -> list[int]:
    """The rowids of one page, in order."""
    page = {**plan.params, "limit": PAGE_SIZE, "offset": offset, "top": offset + PAGE_SIZE}
    if found.rowids is None:
        return _rowids(conn, plan.newest_sql(), page)
    page["ids"] = json.dumps(found.rowids)
    if not ranked:
        return _rowids(conn, plan.sorted_sql(walk=len(found.rowids) > SORT_LIMIT), page)
    # A reference typed exactly comes first, then the best matches of the words.
    references = set(_rowids(conn, plan.reference_sql(), plan.params))
    scores = found.scores
    if scores is not None:
        order = sorted(scores, key=lambda rowid: (scores[rowid], -rowid))
    else:
        order = _rowids(conn, plan.ranked_sql(), page)
    best = [rid for rid in order if rid not in references]
    return (sorted(references) + best)[offset : offset + PAGE_SIZE]


# A quoted term of db.fts.fts_query's output with a space inside: a phrase.
_PHRASE = re.compile(r'(?:^| )"(?:[^"]|"")* (?:[^"]|"")*"')


def _rowids(conn: sqlite3.Connection, sql: str, params: dict) -> list[int]:
    return [rowid for (rowid,) in conn.execute(sql, params)]


def researcher_sql(filters: SearchFilters) -> tuple[str, dict[str, str]]:
    """The same search as one SQL query for Datasette's SQL page (uses `fts_query(:q)`)."""
    plan = Plan(filters, for_people=False)
    params = {k: str(v) for k, v in plan.params.items() if k != "fts"}
    if filters.q:
        params["q"] = filters.q
    return plan.researcher_sql(), params


def newest_added(
    conn: sqlite3.Connection, filters: SearchFilters, limit: int = 50
) -> list[tuple[SearchHit, str]]:
    """The responses matching the filters most recently added to the archive, each with
    the start of its request (for feeds)."""
    plan = Plan(filters)
    found = _matches(conn, plan)
    order = "r.first_seen DESC, r.rowid DESC"
    page = {**plan.params, "limit": limit, "offset": 0, "ids": json.dumps(found.rowids)}
    sql = plan.newest_sql(order) if found.rowids is None else plan.sorted_sql(False, order)
    rowids = _rowids(conn, sql, page)
    hits = [_hit(row) for row in conn.execute(plan.rows_sql(), {"ids": json.dumps(rowids)})]
    return [(hit, _excerpt(conn, hit.id)) for hit in hits]


def _excerpt(conn: sqlite3.Connection, response_id: str, chars: int = 700) -> str:
    row = conn.execute(
        "SELECT substr(coalesce(nullif(request_text, ''), body_text, ''), 1, ?) "
        "FROM responses WHERE id = ?",
        (chars, response_id),
    ).fetchone()
    return row[0] if row else ""


def _hit(row: tuple) -> SearchHit:
    return SearchHit(*row)


def attachment_matches(conn: sqlite3.Connection, filters: SearchFilters) -> int:
    """How many attached files match the words (shown with a link to search them);
    counting stops past COUNT_CAP (the page then says "more than")."""
    if not filters.q:
        return 0
    row = conn.execute(
        "SELECT count(*) FROM (SELECT 1 FROM attachments_fts WHERE attachments_fts MATCH ? "
        "LIMIT ?)",
        (fts_query(filters.q), COUNT_CAP + 1),
    ).fetchone()
    return row[0]


def filter_choices(conn: sqlite3.Connection) -> dict:
    """Years (newest first) and forces present in the archive, for the filter menus."""
    first, last = conn.execute("SELECT min(month), max(month) FROM responses").fetchone()
    years: list[int] = []
    if first and last and first[:4].isdigit() and last[:4].isdigit():
        years = list(range(int(last[:4]), int(first[:4]) - 1, -1))
    forces = conn.execute(
        "SELECT force FROM responses WHERE force IS NOT NULL GROUP BY force ORDER BY force"
    )
    return {"years": years, "forces": [force for (force,) in forces]}


def ids_for_reference(conn: sqlite3.Connection, reference: str) -> list[str]:
    """Responses carrying this reference (usually one), newest first."""
    rows = conn.execute(
        f"SELECT r.id FROM responses r WHERE r.reference = ? ORDER BY {NEWEST}",
        (reference.strip(),),
    )
    return [rid for (rid,) in rows]
