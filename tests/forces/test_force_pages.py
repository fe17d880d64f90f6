"""The archive by force in Datasette: facets, filters, the per-force page, the home chart
by force and the query comparing exemption use across forces (the real app)."""

from __future__ import annotations

import re

import pytest
import sqlite_utils

from db.load import Provenance, load_response
from db.schema import ensure_schema
from parsers.record import Exemption, Question, Response
from plugins.app import build_datasette
from plugins.chart import build_force_chart
from plugins.force_page import _year_table

BASES = {
    "metropolitan-police": "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/may-2024/",
    "gwent-police": "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2024/05---may/",
    "cleveland-police": "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2025/may/",
}


def response(force: str, n: int, outcome: str, sections: tuple[int, ...], month: str) -> Response:
    return Response(
        url=f"{BASES[force]}item-{n}/",
        reference=f"{n}-24",
        title=f"{force} item {n}",
        month=month,
        published=None,
        request_text="Please provide figures.",
        questions=(Question("1", "How many?", "Some."),),
        exemptions=tuple(Exemption(s, "(2)", f"Section {s}(2)", None) for s in sections),
        outcome=outcome,
        ncnd=False,
        body_text="Figures.",
        force=force,
        language="en",
    )


@pytest.fixture(scope="module")
def archive_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("forces") / "foi.db"
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    records = [
        response("metropolitan-police", 1, "full", (), "2024-05"),
        response("metropolitan-police", 2, "refused", (40,), "2024-05"),
        response("metropolitan-police", 3, "partial", (40, 31), "2023-05"),
        response("gwent-police", 4, "refused", (40,), "2024-05"),
        response("gwent-police", 5, "full", (), "2024-05"),
        response("cleveland-police", 6, "ncnd", (31,), "2025-05"),
    ]
    for r in records:
        load_response(db, r, Provenance(r.url, "2026-01-01T00:00:00+00:00", str(hash(r.url))))
    db.close()
    return path


@pytest.fixture
async def ds(archive_path):
    datasette = build_datasette(archive_path)
    await datasette.invoke_startup()
    return datasette


def text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))


async def test_force_facet_and_filter_on_responses(ds):
    data = (await ds.client.get("/foi/responses.json?_facet=force&_shape=objects")).json()
    facet = {f["value"]: f["count"] for f in data["facet_results"]["force"]["results"]}
    assert facet == {"metropolitan-police": 3, "gwent-police": 2, "cleveland-police": 1}
    gwent = (await ds.client.get("/foi/responses.json?force=gwent-police&_shape=array")).json()
    assert {r["force"] for r in gwent} == {"gwent-police"} and len(gwent) == 2


async def test_canned_queries_filter_by_force(ds):
    rows = (
        await ds.client.get("/foi/by_exemption.json?section=40&force=gwent-police&_shape=array")
    ).json()
    assert [r["force"] for r in rows] == ["gwent-police"]
    everyone = (await ds.client.get("/foi/by_exemption.json?section=40&force=&_shape=array")).json()
    assert len(everyone) == 3


async def test_exemption_use_compared_across_forces(ds):
    rows = (await ds.client.get("/foi/exemptions_by_force.json?section=40&_shape=array")).json()
    share = {r["force"]: (r["responses"], r["force_responses"], r["percent"]) for r in rows}
    assert share == {"gwent-police": (1, 2, 50.0), "metropolitan-police": (2, 3, 66.7)}
    every = (await ds.client.get("/foi/exemptions_by_force.json?section=&_shape=array")).json()
    assert {(r["force"], r["section"]) for r in every} == {
        ("metropolitan-police", 40),
        ("metropolitan-police", 31),
        ("gwent-police", 40),
        ("cleveland-police", 31),
    }


async def test_the_force_page(ds):
    page = await ds.client.get("/force/metropolitan-police")
    assert page.status_code == 200
    body = text(page.text)
    assert "Metropolitan Police Service" in body and "3 responses from 2023-05 to 2024-05" in body
    assert re.search(r"2024 2 1 1", body) and re.search(r"2023 1 1", body)  # year, all, outcomes
    assert "s40 Personal information 2 66.7%" in body
    assert (await ds.client.get("/force/mps")).status_code == 200  # aliases work
    assert (await ds.client.get("/force/atlantis-police")).status_code == 404


async def test_forces_index_and_home_chart_by_force(ds):
    index = text((await ds.client.get("/forces")).text)
    assert "Metropolitan Police Service 3" in index and "Gwent Police 2" in index
    assert "not archived yet" in index and "Kent Police" in index
    home = (await ds.client.get("/")).text
    assert 'id="force-chart"' in home and 'href="/force/gwent-police"' in home
    assert "Gwent Police refused: 1" in home


def test_force_chart_orders_forces_biggest_first():
    chart = build_force_chart(
        [("a", "full", 1), ("b", "full", 2), ("b", "refused", 1), (None, "full", 9)],
        {"a": "Force A"},
    )
    assert [r.force for r in chart.rows] == ["b", "a"] and chart.total == 4
    assert chart.rows[1].label == "Force A" and len(chart.rows[0].bars) == 2
    assert build_force_chart([]) is None


def test_year_table_columns_follow_the_outcome_order():
    table, outcomes = _year_table([("2024", "refused", 1), ("2024", "full", 2), ("2023", "x", 1)])
    assert outcomes == ["full", "refused", "x"]
    assert table[0] == {"year": "2024", "total": 3, "counts": {"refused": 1, "full": 2}}
