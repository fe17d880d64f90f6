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

import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from db.fts import fts_query
from db.search_filters import BadSearch, SearchFilters  # noqa: F401  (one import for callers)
from db.search_snippets import MARK_END, MARK_START, explain, plain  # noqa: F401

PAGE_SIZE = 20
RANK_LIMIT = 5000
# bm25 weights for responses_fts columns (title, request_text, body_text).
WEIGHTS = "10.0, 4.0, 1.0"
# Newest first: month, then the order foilog found them in (both read off the month index).
NEWEST = "r.month DESC, r.rowid DESC"


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
    with _filter_tables(conn, plan):
        return _search(conn, plan, started)


@contextmanager
def _filter_tables(conn: sqlite3.Connection, plan: _Plan):
    """Each filter's rowids, gathered once into a TEMP table for the count and the page.

    TEMP tables live with this connection only (a read-only connection may write them);
    they are dropped before the connection serves anything else.
    """
    if not plan.sets:
        yield
        return
    names = []
    try:
        for i, rows in enumerate(plan.sets):
            name = f"temp.foilog_filter_{i}"
            conn.execute(f"DROP TABLE IF EXISTS {name}")
            conn.execute(f"CREATE TABLE {name} (rowid INTEGER PRIMARY KEY)")
            names.append(name)
            conn.execute(f"INSERT OR IGNORE INTO {name} {rows}", plan.params)
        plan.sets = [f"SELECT rowid FROM {name}" for name in names]
        yield
    finally:
        for name in names:
            conn.execute(f"DROP TABLE IF EXISTS {name}")
        if conn.in_transaction:
            conn.commit()


def _search(conn: sqlite3.Connection, plan: _Plan, started: float) -> SearchResults:
    filters = plan.filters
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
            hits = [explain(conn, str(plan.params["fts"]), filters.q, hit) for hit in hits]
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
    """The SQL for one set of filters, with its parameters.

    Filters are sets of rowids read from narrow indexes (month, outcome, ncnd, force,
    the exemptions' section): testing a full-text match against them never reads the
    wide response rows, which carry the whole text.
    """

    def __init__(self, filters: SearchFilters, for_people: bool = True) -> None:
        self.filters = filters
        self.fts = ":fts" if for_people else "fts_query(:q)"
        self.params: dict[str, object] = {}
        if filters.q:
            self.params["ref"] = filters.q
            if for_people:
                self.params["fts"] = fts_query(filters.q)
        self.sets = self._filter_sets()

    def _filter_sets(self) -> list[str]:
        """One `SELECT rowid ...` per filter: the responses it lets through."""
        f, sets = self.filters, []
        if f.year is not None:
            self.params.update(month_from=f"{f.year:04d}-01", month_to=f"{f.year:04d}-12")
            sets.append("SELECT rowid FROM responses WHERE month BETWEEN :month_from AND :month_to")
        if f.outcome is not None:
            self.params["outcome"] = f.outcome
            sets.append("SELECT rowid FROM responses WHERE outcome = :outcome")
        if f.ncnd is not None:
            self.params["ncnd"] = int(f.ncnd)
            sets.append("SELECT rowid FROM responses WHERE ncnd = :ncnd")
        if f.force is not None:
            self.params["force"] = f.force
            sets.append("SELECT rowid FROM responses WHERE force = :force")
        if f.section is not None:
            self.params["section"] = f.section
            sets.append(
                "SELECT fr.rowid FROM response_exemptions fe "
                "JOIN responses fr ON fr.id = fe.response_id WHERE fe.section = :section"
            )
        return sets

    def _only(self, column: str) -> str:
        """` AND column IN (...)` for every filter, or nothing.

        The unary `+` keeps SQLite from handing the set to FTS5 (or a rowid lookup) as
        one probe per member: the set is built once and each candidate tested against it.
        """
        return "".join(f" AND +{column} IN ({s})" for s in self.sets)

    def _in_text(self) -> str:
        """r matches through its own text (title, request, full text)."""
        return (
            "EXISTS (SELECT 1 FROM responses_fts WHERE responses_fts MATCH "
            f"{self.fts} AND responses_fts.rowid = r.rowid)"
        )

    def _by_reference(self) -> str:
        return (
            "SELECT rowid AS rid FROM responses INDEXED BY idx_responses_reference "
            f"WHERE reference = :ref{self._only('rowid')}"
        )

    def _matching(self) -> str:
        """Rowids of the responses that match and pass the filters."""
        return (
            f"SELECT rowid AS rid FROM responses_fts WHERE responses_fts MATCH {self.fts}"
            f"{self._only('rowid')} UNION {self._by_reference()}"
        )

    def count_sql(self) -> str:
        if not self.filters.q:
            if not self.sets:
                return "SELECT count(*) FROM responses"
            first, rest = self.sets[0], self.sets[1:]
            only = "".join(f" AND rowid IN ({s})" for s in rest)
            return f"SELECT count(*) FROM ({first}) WHERE 1{only}"
        in_text = (
            f"SELECT count(*) FROM responses_fts WHERE responses_fts MATCH {self.fts}"
            f"{self._only('rowid')}"
        )
        by_reference = (
            f"SELECT count(*) FROM responses r WHERE r.rowid IN ({self._by_reference()}) "
            f"AND NOT {self._in_text()}"
        )
        return f"SELECT ({in_text}) + ({by_reference})"

    def ranked_sql(self) -> str:
        if self.sets:
            # Score only what passes the filters (FTS5's own rank order scores every match).
            text = (
                f"SELECT rowid AS rid, bm25(responses_fts, {WEIGHTS}) AS score "
                f"FROM responses_fts WHERE responses_fts MATCH {self.fts}"
                f"{self._only('rowid')} ORDER BY score LIMIT :top"
            )
        else:
            text = (
                "SELECT rowid AS rid, rank AS score FROM responses_fts "
                f"WHERE responses_fts MATCH {self.fts} AND rank MATCH 'bm25({WEIGHTS})' "
                "ORDER BY rank LIMIT :top"
            )
        return (
            f"WITH hits AS (SELECT * FROM ({text}) "
            f"UNION ALL SELECT rid, -1e18 FROM ({self._by_reference()})), "
            "best AS (SELECT rid, min(score) AS score FROM hits GROUP BY rid) "
            f"SELECT {_COLUMNS} FROM best CROSS JOIN responses r ON r.rowid = best.rid "
            f"ORDER BY best.score, {NEWEST} LIMIT :limit OFFSET :offset"
        )

    def newest_sql(self, share: float, order: str = NEWEST) -> str:
        """A page newest first (or in `order`); `share` of all responses match."""
        page = f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        by_month = "INDEXED BY idx_responses_month " if order == NEWEST else ""
        if not self.filters.q:
            return f"SELECT {_COLUMNS} FROM responses r {by_month}WHERE 1{self._only('r.rowid')} {page}"
        if share >= DENSE:
            match = f"{self._only('r.rowid')} AND ({self._in_text()} OR r.reference = :ref)"
            return f"SELECT {_COLUMNS} FROM responses r {by_month}WHERE 1{match} {page}"
        if share >= SPARSE:
            return (
                f"SELECT {_COLUMNS} FROM responses r {by_month}"
                f"WHERE r.rowid IN ({self._matching()}) {page}"
            )
        return (
            f"WITH m AS ({self._matching()}) SELECT {_COLUMNS} FROM m "
            f"CROSS JOIN responses r ON r.rowid = m.rid {page}"
        )


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


def attachment_matches(conn: sqlite3.Connection, filters: SearchFilters) -> int:
    """How many attached files match the words (shown with a link to search them)."""
    if not filters.q:
        return 0
    row = conn.execute(
        "SELECT count(*) FROM attachments_fts WHERE attachments_fts MATCH ?",
        (fts_query(filters.q),),
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
