"""The SQL of one search: its filters as index conditions, the words, pages in order.

Each filter is written twice. `on_row` tests a row of `responses r` while SQLite walks
an index in month order (every filter column is in the index walked, or in one of
migration 10's `(filter, month)` indexes, so the wide row carrying the text is read only
for the page). `on_rowid` tests one rowid with a single seek into a narrow index (a
`(column, rowid)` key, or `response_sections`), so a list of candidates is checked
without reading their rows. `rows` lists each filter's rowids from its index alone, to
count or collect what passes the filters.
The two agree on every value (a year is the months from "YYYY" up to "YYYY+1", which
are exactly those starting with "YYYY").
"""

from __future__ import annotations

from db.fts import fts_query
from db.search_filters import SearchFilters

# bm25 weights for responses_fts columns (title, request_text, body_text).
WEIGHTS = "10.0, 4.0, 1.0"
# Newest first: month, then the order foilog found them in (both read off the month index).
NEWEST = "r.month DESC, r.rowid DESC"
COLUMNS = (
    "r.id, r.reference, r.title, r.month, r.published, r.outcome, r.ncnd, r.force, r.url, "
    "r.removed_at, r.first_seen, r.rowid"
)
IDS = "SELECT value FROM json_each(:ids)"


class Plan:
    """The SQL for one set of filters, with its parameters."""

    def __init__(self, filters: SearchFilters, for_people: bool = True) -> None:
        self.filters = filters
        self.fts = ":fts" if for_people else "fts_query(:q)"
        self.params: dict[str, object] = {}
        self.on_row: list[str] = []  # on `r`, for walking an index in order
        self.on_rowid: list[str] = []  # with {rid} for the rowid tested
        self.rows: list[str] = []  # `SELECT rowid ...` of each filter, from its index alone
        if filters.q:
            self.params["ref"] = filters.q
            if for_people:
                self.params["fts"] = fts_query(filters.q)
        self._filters()

    def _filters(self) -> None:
        f = self.filters
        if f.year is not None:
            self.params.update(year=f"{f.year:04d}", next_year=f"{f.year + 1:04d}")
            self.on_row.append("r.month >= :year AND r.month < :next_year")
            self._seek("idx_responses_year", "substr(f.month, 1, 4) = :year")
        if f.outcome is not None:
            self.params["outcome"] = f.outcome
            self.on_row.append("r.outcome = :outcome")
            self._seek("idx_responses_outcome", "f.outcome = :outcome")
        if f.ncnd is not None:
            self.params["ncnd"] = int(f.ncnd)
            self.on_row.append("r.ncnd = :ncnd")
            self._seek("idx_responses_ncnd", "f.ncnd = :ncnd")
        if f.force is not None:
            self.params["force"] = f.force
            self.on_row.append("r.force = :force")
            self._seek("idx_responses_force", "f.force = :force")
        if f.section is not None:
            self.params["section"] = f.section
            cites = (
                "EXISTS (SELECT 1 FROM response_sections s WHERE s.section = :section "
                "AND s.response_rowid = {rid})"
            )
            self.on_row.append(cites.format(rid="r.rowid"))
            self.on_rowid.append(cites)
            self.rows.append(
                "SELECT response_rowid AS rowid FROM response_sections WHERE section = :section"
            )

    def _seek(self, index: str, condition: str) -> None:
        self.on_rowid.append(
            f"EXISTS (SELECT 1 FROM responses f INDEXED BY {index} "
            f"WHERE {condition} AND f.rowid = {{rid}})"
        )
        self.rows.append(f"SELECT f.rowid FROM responses f INDEXED BY {index} WHERE {condition}")

    def where_row(self) -> str:
        return "".join(f" AND {c}" for c in self.on_row)

    def where_rowid(self, rid: str, skip: int = 0) -> str:
        return "".join(f" AND {c.format(rid=rid)}" for c in self.on_rowid[skip:])

    def _filtered(self) -> str:
        """Rowids passing every filter: the first filter's index, the others' seeks."""
        if not self.rows:
            return "SELECT rowid FROM responses"
        return f"SELECT d.rowid FROM ({self.rows[0]}) AS d WHERE 1{self.where_rowid('d.rowid', 1)}"

    def _in_text(self, rid: str) -> str:
        return (
            "EXISTS (SELECT 1 FROM responses_fts WHERE responses_fts MATCH "
            f"{self.fts} AND responses_fts.rowid = {rid})"
        )

    # Counting and collecting matches (db/search.py decides which to run).

    def count_sql(self) -> str:
        """Responses passing the filters (no words)."""
        return f"SELECT count(*) FROM ({self._filtered()})"

    def text_sql(self) -> str:
        """Rowids matching the words, in index order, at most :cap."""
        return f"SELECT rowid FROM responses_fts WHERE responses_fts MATCH {self.fts} LIMIT :cap"

    def text_count_sql(self) -> str:
        """How many match the words, counting up to :cap."""
        return f"SELECT count(*) FROM ({self.text_sql()})"

    def scored_sql(self) -> str:
        """(rowid, bm25) of the matches of the words passing the filters, at most :cap."""
        return (
            f"SELECT rowid, bm25(responses_fts, {WEIGHTS}) FROM responses_fts "
            f"WHERE responses_fts MATCH {self.fts}{self.where_rowid('responses_fts.rowid')} "
            "LIMIT :cap"
        )

    def reference_sql(self) -> str:
        """Rowids whose reference is the words typed exactly, passing the filters."""
        return (
            "SELECT x.rowid FROM responses x INDEXED BY idx_responses_reference "
            f"WHERE x.reference = :ref{self.where_rowid('x.rowid')}"
        )

    def passing_sql(self) -> str:
        """Of the rowids in :ids, those passing the filters."""
        return f"SELECT value FROM json_each(:ids) WHERE 1{self.where_rowid('value')}"

    def passing_count_sql(self) -> str:
        """How many of the first :cap word matches pass the filters."""
        return f"SELECT count(*) FROM ({self.text_sql()}) AS t WHERE 1{self.where_rowid('t.rowid')}"

    def filtered_sql(self) -> str:
        """Rowids passing the filters, at most :cap."""
        return f"{self._filtered()} LIMIT :cap"

    def in_text_sql(self) -> str:
        """Of the rowids in :ids, those matching the words."""
        return f"SELECT value FROM json_each(:ids) WHERE {self._in_text('value')}"

    # One page of rowids, in order.

    def ranked_sql(self) -> str:
        """The best :top of the matches in :ids (their words match, at most a few thousand)."""
        return (
            "SELECT rowid FROM responses_fts "
            f"WHERE responses_fts MATCH {self.fts} AND +rowid IN ({IDS}) "
            f"ORDER BY bm25(responses_fts, {WEIGHTS}), rowid DESC LIMIT :top"
        )

    def sorted_sql(self, walk: bool, order: str = NEWEST) -> str:
        """The rowids in :ids newest first (or in `order`); `walk`: read off the month
        index (many ids)."""
        if walk:
            return (
                "SELECT r.rowid FROM responses r INDEXED BY idx_responses_month "
                f"WHERE +r.rowid IN ({IDS}) ORDER BY {NEWEST} LIMIT :limit OFFSET :offset"
            )
        return (
            f"SELECT r.rowid FROM responses r WHERE r.rowid IN ({IDS}) "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )

    def newest_sql(self, order: str = NEWEST) -> str:
        """A page of rowids newest first (or in `order`), walking the filters' index and
        testing each response against the words: for words that match too many to list."""
        words = ""
        if self.filters.q:
            by_reference = f"SELECT rowid FROM ({self.reference_sql()})"
            words = f" AND ({self._in_text('r.rowid')} OR r.rowid IN ({by_reference}))"
        return (
            f"SELECT r.rowid FROM responses r WHERE 1{self.where_row()}{words} "
            f"ORDER BY {order} LIMIT :limit OFFSET :offset"
        )

    def rows_sql(self) -> str:
        """The page's rows for the rowids in :ids, in that order."""
        return (
            f"SELECT {COLUMNS} FROM json_each(:ids) AS page "
            "CROSS JOIN responses r ON r.rowid = page.value ORDER BY page.key"
        )

    def researcher_sql(self) -> str:
        """The whole search as one query a person can read and change (Datasette's SQL page)."""
        page = "LIMIT 100"
        if not self.filters.q:
            return f"SELECT {COLUMNS} FROM responses r WHERE 1{self.where_row()} ORDER BY {NEWEST} {page}"
        match = f"{self._in_text('r.rowid')} OR r.reference = :ref"
        if self.filters.sort == "relevance":
            return (
                f"SELECT {COLUMNS} FROM responses_fts CROSS JOIN responses r "
                "ON r.rowid = responses_fts.rowid "
                f"WHERE responses_fts MATCH {self.fts}{self.where_row()} "
                f"ORDER BY bm25(responses_fts, {WEIGHTS}), {NEWEST} {page}"
            )
        return (
            f"SELECT {COLUMNS} FROM responses r WHERE ({match}){self.where_row()} "
            f"ORDER BY {NEWEST} {page}"
        )
