"""Table-page facets read from the kept counts agree with counting the rows, as they change."""

from __future__ import annotations

import sqlite3

import pytest

from db import facet_counts

URLS = (
    "/foi/responses.json?_facet=force&_facet=outcome&_facet=month&_size=1",
    "/foi/responses.json?_facet=force&_facet=outcome&_size=1&outcome={outcome}",
    "/foi/responses.json?_facet=force&_size=1&ncnd=0",
    "/foi/responses.json?_facet=outcome&_size=1&force={force}",
)


def grouped(conn, column: str, where: str = "", params: tuple = ()) -> dict:
    rows = conn.execute(
        f"SELECT {column}, count(*) FROM responses WHERE {column} IS NOT NULL {where} "
        f"GROUP BY {column}",
        params,
    )
    return dict(rows)


def test_kept_counts_follow_inserts_updates_and_deletes(archive_path, tmp_path):
    copy = tmp_path / "foi.db"
    source = sqlite3.connect(archive_path)
    source.backup(conn := sqlite3.connect(copy))
    source.close()
    with conn:
        conn.execute(
            "UPDATE responses SET outcome = 'refused', force = 'x-police' WHERE rowid % 3 = 0"
        )
        conn.execute("UPDATE responses SET month = NULL WHERE rowid % 7 = 0")
        conn.execute("DELETE FROM responses WHERE rowid % 5 = 0")
    for column in facet_counts.COLUMNS:
        assert dict(facet_counts.counts(conn, column, 10_000)) == grouped(conn, column)
        for value in grouped(conn, "force"):
            kept = dict(facet_counts.counts(conn, column, 10_000, "force", value))
            if column != "force":
                assert kept == grouped(conn, column, "AND force = ?", (value,))
    assert facet_counts.total(conn) == conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    conn.close()


@pytest.mark.parametrize("url", URLS)
async def test_the_table_page_facets_agree_with_the_rows(ds, archive_path, url):
    conn = sqlite3.connect(archive_path)
    force, outcome = conn.execute(
        "SELECT force, outcome FROM responses GROUP BY force ORDER BY count(*) DESC"
    ).fetchone()
    url = url.format(force=force, outcome=outcome)
    data = (await ds.client.get(url)).json()
    where, params = "", ()
    for column, value in (("outcome", outcome), ("force", force), ("ncnd", 0)):
        if f"&{column}=" in url:
            where, params = f"AND {column} = ?", (value,)
    assert data["facet_results"], data.keys()
    for facet in data["facet_results"].values():
        name = facet["name"]  # a key may be "month_2": asked for as a column and a month
        expected = grouped(conn, name, where, params)
        shown = {row["value"]: row["count"] for row in facet["results"]}
        assert shown == {value: expected[value] for value in shown}
        if not facet["truncated"] and facet["type"] != "month":
            assert shown == expected
    conn.close()
