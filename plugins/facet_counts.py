"""Table-page facets at national scale: counts read from `facet_counts`.

Datasette counts each facet with `SELECT col, count(*) FROM (<the table's query>) GROUP
BY col`: unfiltered, or filtered by one
facet value clicked, each walks most of an index (~250 ms for a page of five facets over
500,000 responses). For the `responses` table unfiltered, or filtered by `col = value`
on one of db.facet_counts.FILTERS, the same rows (value, count, most first) are read
from `facet_counts`, which triggers keep exact. Other filters keep Datasette's queries,
covered by migration 9's indexes. A facet asked for twice (metadata.yml and `?_facet=`)
is counted once.

Installed by wrapping `ColumnFacet.facet_results` (the month facet inherits it):
Datasette's own code builds the page, given a stand-in whose
`execute` answers the queries it recognises and passes every other call through.
"""

from __future__ import annotations

import re

from datasette.database import Results
from datasette.facets import ColumnFacet, Facet

from db import facet_counts

_FACET_SQL = re.compile(
    r"\s*select \[?(?P<column>\w+)\]? as value, count\(\*\) as count from \(\s*"
    r"(?P<inner>.*?)\s*\)\s*where .+ is not null\s*group by .+ limit (?P<limit>\d+)\s*",
    re.DOTALL,
)
# The table's rows, unfiltered or with one `"column" = :p0`.
_ROWS_SQL = re.compile(
    r"select [^;]+ from responses\s*(?:where \"(?P<filter>\w+)\" = :p0\s*)?", re.DOTALL
)
_installed: list[bool] = []


def install() -> None:
    """Wrap Datasette's column facets and table counts once per process."""
    if _installed:
        return
    _installed.append(True)
    original_results = ColumnFacet.facet_results
    original_configs = Facet.get_configs

    async def facet_results(self):
        if self.table != "responses":
            return await original_results(self)
        real = self.ds
        self.ds = Counted(real)
        try:
            return await original_results(self)
        finally:
            self.ds = real

    def get_configs(self):
        seen, unique = set(), []
        for config in original_configs(self):
            key = repr(config["config"])
            if key not in seen:
                seen.add(key)
                unique.append(config)
        return unique

    ColumnFacet.facet_results = facet_results
    Facet.get_configs = get_configs


class Counted:
    """The Datasette instance, with facet counts read from facet_counts when it can."""

    def __init__(self, ds) -> None:
        self._ds = ds

    def __getattr__(self, name):
        return getattr(self._ds, name)

    async def execute(self, database, sql, params=None, **options):
        rows = None
        found = _FACET_SQL.fullmatch(sql)
        if found and found["column"] in facet_counts.COLUMNS:
            where = _filter(_ROWS_SQL.fullmatch(found["inner"]), params)
            if where is not None:
                column, limit = found["column"], int(found["limit"])
                rows = await self._ds.get_database(database).execute_fn(
                    lambda conn: _facet(conn, column, limit, *where)
                )
        if rows is not None:
            return Results(rows, False, [("value",), ("count",)])
        return await self._ds.execute(database, sql, params, **options)


def _filter(found, params) -> tuple[str, object] | None:
    """(filter column, value) of a recognised table query, ('', '') unfiltered, else None."""
    if found is None:
        return None
    column = found["filter"]
    if column is None:
        return (facet_counts.ALL, facet_counts.ALL) if not params else None
    if column not in facet_counts.FILTERS or set(params or {}) != {"p0"}:
        return None
    value = params["p0"]
    if column == "ncnd":  # an INTEGER column compares "1" as 1
        if not str(value).isdigit():
            return None
        value = int(value)
    return column, value


def _facet(conn, column: str, limit: int, filter: str, value: object) -> list[dict] | None:
    """The facet's rows, or None when this archive keeps no counts (before migration 10)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'facet_counts'").fetchone():
        return None
    if column == filter:  # the filter's own facet: its one value
        total = facet_counts.total(conn, filter, value)
        return [{"value": value, "count": total}] if total else []
    return [
        {"value": found, "count": count}
        for found, count in facet_counts.counts(conn, column, limit, filter, value)
    ]
