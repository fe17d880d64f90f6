"""Search the archive for people: a count, ranked or newest-first results, filters, pages.

`search(conn, filters) -> SearchResults` runs on one SQLite connection (Datasette's, in
its thread). Count first: counting matches is cheap, ranking all of them is not. Up to
`RANK_LIMIT` matches are ranked with bm25 (title weighs most, then the request, then the
text); beyond that, and whenever newest-first is asked for, results come in month order,
which SQLite reads off the month index and stops after one page.

A response matches through its own text (title, request, full text, which includes every
question and answer) or its reference typed exactly. Attachments are searched on their
own (`attachment_matches`, the `search_attachments` query); a result says when its
attachments match too. Snippets carry
`MARK_START`/`MARK_END` around matched words: the page turns them into `<mark>` after
escaping the text, the CSV and JSON strip them.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from db.fts import MATCH_NOTHING, fts_query
from parsers.record import OUTCOMES

PAGE_SIZE = 20
RANK_LIMIT = 5000
MAX_PAGE = 100_000
MARK_START, MARK_END = "\ue000", "\ue001"
SORTS = ("relevance", "newest")
SNIPPET_TOKENS = 28
# bm25 weights for responses_fts columns (title, request_text, body_text).
WEIGHTS = "10.0, 4.0, 1.0"
# Newest first: month, then the order foilog found them in (both read off the month index).
NEWEST = "r.month DESC, r.rowid DESC"


class BadSearch(ValueError):
    """A search parameter that cannot mean anything (e.g. section=abc): say which, and why."""


@dataclass(frozen=True)
class SearchFilters:
    q: str = ""
    year: int | None = None
    outcome: str | None = None
    section: int | None = None
    ncnd: bool | None = None
    force: str | None = None
    sort: str = "relevance"
    page: int = 1

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> SearchFilters:
        """From query-string parameters; empty ones mean "any". Raises BadSearch."""

        def given(name: str) -> str | None:
            value = (args.get(name) or "").strip()
            return value or None

        year = _integer(given("year"), "year", 1990, 2100, "a year such as 2024")
        section = _integer(given("section"), "section", 1, 88, "a FOIA section number, 1 to 88")
        page = _integer(given("page"), "page", 1, MAX_PAGE, "a page number from 1") or 1
        outcome = given("outcome")
        if outcome is not None and outcome not in OUTCOMES:
            raise BadSearch(f"outcome must be one of {', '.join(OUTCOMES)}; got {outcome!r}")
        ncnd = given("ncnd")
        if ncnd is not None and ncnd not in ("0", "1"):
            raise BadSearch(f"ncnd must be 1 (neither confirm nor deny) or 0; got {ncnd!r}")
        sort = given("sort") or "relevance"
        if sort not in SORTS:
            raise BadSearch(f"sort must be relevance or newest; got {sort!r}")
        return cls(
            q=(args.get("q") or "").strip(),
            year=year,
            outcome=outcome,
            section=section,
            ncnd=None if ncnd is None else ncnd == "1",
            force=given("force"),
            sort=sort,
            page=page,
        )

    def to_args(self, **changes) -> dict[str, str]:
        """Query-string parameters for these filters (with changes), without the defaults."""
        f = replace(self, **changes)
        args = {
            "q": f.q,
            "year": f.year,
            "outcome": f.outcome,
            "section": f.section,
            "ncnd": None if f.ncnd is None else int(f.ncnd),
            "force": f.force,
            "sort": None if f.sort == "relevance" else f.sort,
            "page": None if f.page == 1 else f.page,
        }
        return {k: str(v) for k, v in args.items() if v not in (None, "")}

    def describe(self) -> str:
        """The search in words, for feed and page titles: 'taser, 2024, outcome refused'."""
        parts = [f"“{self.q}”"] if self.q else []
        if self.year:
            parts.append(str(self.year))
        if self.outcome:
            parts.append(f"outcome {self.outcome.replace('_', ' ')}")
        if self.section:
            parts.append(f"citing section {self.section}")
        if self.ncnd is not None:
            parts.append("neither confirm nor deny" if self.ncnd else "without NCND")
        if self.force:
            parts.append(self.force.replace("-", " "))
        return ", ".join(parts)


def _integer(value: str | None, name: str, low: int, high: int, what: str) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not low <= int(value) <= high:
        raise BadSearch(f"{name} must be {what}; got {value!r}")
    return int(value)


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

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def search(conn: sqlite3.Connection, filters: SearchFilters) -> SearchResults:
    started = time.perf_counter()
    plan = _Plan(filters)
    total = conn.execute(plan.count_sql(), plan.params).fetchone()[0]
    ranked = bool(filters.q) and filters.sort == "relevance" and total <= RANK_LIMIT
    offset = (filters.page - 1) * PAGE_SIZE
    hits: list[SearchHit] = []
    if offset < total:
        if ranked:
            sql = plan.ranked_sql()
        else:
            size = conn.execute("SELECT max(rowid) FROM responses").fetchone()[0] or 1
            sql = plan.newest_sql(share=total / size)
        params = {**plan.params, "limit": PAGE_SIZE, "offset": offset, "top": offset + PAGE_SIZE}
        hits = [_hit(row) for row in conn.execute(sql, params)]
        if filters.q:
            hits = [_explain(conn, plan, hit) for hit in hits]
    return SearchResults(
        filters=filters,
        total=total,
        hits=hits,
        ranked=ranked,
        too_many_to_rank=bool(filters.q) and filters.sort == "relevance" and not ranked,
        attachments=attachment_matches(conn, filters),
        took_ms=round((time.perf_counter() - started) * 1000, 1),
    )


def researcher_sql(filters: SearchFilters) -> tuple[str, dict[str, str]]:
    """The same search as one SQL query for Datasette's SQL page (uses `fts_query(:q)`)."""
    plan = _Plan(filters, for_people=False)
    ranked = bool(filters.q) and filters.sort == "relevance"
    sql = plan.ranked_sql() if ranked else plan.newest_sql(share=0.0)
    sql = sql.replace(":limit", "100").replace(":top", "100").replace(" OFFSET :offset", "")
    params = {k: str(v) for k, v in plan.params.items() if k != "fts"}
    if filters.q:
        params["q"] = filters.q
    return sql, params


_COLUMNS = (
    "r.id, r.reference, r.title, r.month, r.published, r.outcome, r.ncnd, r.force, r.url, "
    "r.removed_at, r.first_seen, r.rowid"
)
# How a newest-first page is found depends on the share of responses that match:
# above DENSE, read the month index testing each response against FTS (a page needs few
# tests); above SPARSE, collect the matching rowids once and read the month index against
# them; below, collect the matches and sort them.
DENSE = 0.2
SPARSE = 0.005


class _Plan:
    """The SQL for one set of filters, with its parameters."""

    def __init__(self, filters: SearchFilters, for_people: bool = True) -> None:
        self.filters = filters
        self.fts = ":fts" if for_people else "fts_query(:q)"
        self.params: dict[str, object] = {}
        if filters.q:
            self.params["ref"] = filters.q
            if for_people:
                self.params["fts"] = fts_query(filters.q)
        self.where = self._where()
        self.and_where = f" AND {self.where}" if self.where else ""
        # Counting: a force filter checked on the FTS hits before they are joined to rows:
        # the rowids of one force come from its index, so a broad word's thousands of
        # hits are not each read from the table (count 240-390 -> 8-56 ms at 50,000).
        # Not in the ranked query: there the IN makes FTS5 rank every hit (1-26 s).
        self.fts_force = (
            " AND responses_fts.rowid IN (SELECT rowid FROM responses WHERE force = :force)"
            if filters.force is not None
            else ""
        )

    def _where(self) -> str:
        f, clauses = self.filters, []
        if f.year is not None:
            self.params.update(month_from=f"{f.year:04d}-01", month_to=f"{f.year:04d}-12")
            clauses.append("r.month BETWEEN :month_from AND :month_to")
        if f.outcome is not None:
            self.params["outcome"] = f.outcome
            clauses.append("r.outcome = :outcome")
        if f.ncnd is not None:
            self.params["ncnd"] = int(f.ncnd)
            clauses.append("r.ncnd = :ncnd")
        if f.force is not None:
            self.params["force"] = f.force
            clauses.append("r.force = :force")
        if f.section is not None:
            self.params["section"] = f.section
            clauses.append(
                "r.id IN (SELECT response_id FROM response_exemptions WHERE section = :section)"
            )
        return " AND ".join(clauses)

    def _in_text(self) -> str:
        """r matches through its own text (title, request, full text)."""
        return (
            "EXISTS (SELECT 1 FROM responses_fts WHERE responses_fts MATCH "
            f"{self.fts} AND responses_fts.rowid = r.rowid)"
        )

    def _matching(self) -> str:
        """Rowids of the responses that match: their own text, or the reference typed."""
        return (
            f"SELECT rowid AS rid FROM responses_fts WHERE responses_fts MATCH {self.fts} "
            "UNION SELECT rowid FROM responses WHERE reference = :ref"
        )

    def count_sql(self) -> str:
        if not self.filters.q:
            where = f"WHERE {self.where}" if self.where else ""
            return f"SELECT count(*) FROM responses r {where}"
        if self.where:
            in_text = (
                "SELECT count(*) FROM responses_fts CROSS JOIN responses r "
                f"ON r.rowid = responses_fts.rowid WHERE responses_fts MATCH {self.fts}"
                f"{self.fts_force}{self.and_where}"
            )
        else:
            in_text = f"SELECT count(*) FROM responses_fts WHERE responses_fts MATCH {self.fts}"
        by_reference = (
            "SELECT count(*) FROM responses r WHERE r.reference = :ref "
            f"AND NOT {self._in_text()}{self.and_where}"
        )
        return f"SELECT ({in_text}) + ({by_reference})"

    def ranked_sql(self) -> str:
        join = "CROSS JOIN responses r ON r.rowid = responses_fts.rowid " if self.where else ""
        return (
            "WITH hits AS ("
            "SELECT * FROM (SELECT responses_fts.rowid AS rid, responses_fts.rank AS score "
            f"FROM responses_fts {join}WHERE responses_fts MATCH {self.fts} "
            f"AND responses_fts.rank MATCH 'bm25({WEIGHTS})'{self.and_where} "
            "ORDER BY responses_fts.rank LIMIT :top) "
            f"UNION ALL SELECT r.rowid, -1e18 FROM responses r WHERE r.reference = :ref"
            f"{self.and_where}), "
            "best AS (SELECT rid, min(score) AS score FROM hits GROUP BY rid) "
            f"SELECT {_COLUMNS} FROM best CROSS JOIN responses r ON r.rowid = best.rid "
            f"ORDER BY best.score, {NEWEST} LIMIT :limit OFFSET :offset"
        )

    def newest_sql(self, share: float, order: str = NEWEST) -> str:
        """A page newest first (or in `order`); `share` of all responses match."""
        page = f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        if not self.filters.q:
            where = f"WHERE {self.where}" if self.where else ""
            return f"SELECT {_COLUMNS} FROM responses r {where} {page}"
        by_month = "INDEXED BY idx_responses_month " if order == NEWEST else ""
        if share >= DENSE:
            match = f"({self._in_text()} OR r.reference = :ref)"
        elif share >= SPARSE:
            match = f"r.rowid IN ({self._matching()})"
        else:
            return (
                f"WITH m AS ({self._matching()}) SELECT {_COLUMNS} FROM m "
                f"CROSS JOIN responses r ON r.rowid = m.rid "
                f"{'WHERE ' + self.where if self.where else ''} {page}"
            )
        return f"SELECT {_COLUMNS} FROM responses r {by_month}WHERE {match}{self.and_where} {page}"


def newest_added(
    conn: sqlite3.Connection, filters: SearchFilters, limit: int = 50
) -> list[tuple[SearchHit, str]]:
    """The responses matching the filters most recently added to the archive, each with
    the start of its request (for feeds)."""
    plan = _Plan(filters)
    sql = plan.newest_sql(share=0.0, order="r.first_seen DESC, r.rowid DESC")
    hits = [_hit(row) for row in conn.execute(sql, {**plan.params, "limit": limit, "offset": 0})]
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


def _explain(conn: sqlite3.Connection, plan: _Plan, hit: SearchHit) -> SearchHit:
    """Where the search matched this response, and a snippet around the best match.

    Every FTS lookup here is pinned to rowids (one response, its questions' rowid range,
    its attachments), so it costs the same for a word in every response as for a rare one.
    """
    fts = plan.params["fts"]
    if fts == MATCH_NOTHING:
        return hit
    mark = (MARK_START, MARK_END)
    matched: list[str] = []
    snippet = ""
    if hit.reference and hit.reference == plan.filters.q:
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


def attachment_matches(conn: sqlite3.Connection, filters: SearchFilters) -> int:
    """How many attached files match the words (shown with a link to search them)."""
    if not filters.q:
        return 0
    row = conn.execute(
        "SELECT count(*) FROM attachments_fts WHERE attachments_fts MATCH ?",
        (fts_query(filters.q),),
    ).fetchone()
    return row[0]


def plain(snippet: str) -> str:
    """A snippet without its match markers (CSV, JSON, feeds)."""
    return snippet.replace(MARK_START, "").replace(MARK_END, "")


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
