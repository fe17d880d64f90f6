"""Publishing read-only: a consistent immutable copy with `datasette inspect` counts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import sqlite_utils
from datasette.app import Datasette

from db.load import Provenance, load_response
from db.schema import ensure_schema
from tests.archive.records import make_response

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "publish_snapshot.py"


def publish_module():
    spec = importlib.util.spec_from_file_location("publish_snapshot", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def archive_with(path: Path, slugs: list[str]) -> None:
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    for i, slug in enumerate(slugs):
        response = make_response(slug)
        load_response(db, response, Provenance(response.url, f"2026-01-0{i + 1}", slug))
    db.close()


async def test_an_immutable_copy_is_served_with_its_inspect_counts(tmp_path):
    publish = publish_module().publish
    archive = tmp_path / "data" / "foi.db"
    archive.parent.mkdir()
    archive_with(archive, ["one", "two"])
    first = publish(archive, tmp_path / "public")
    current = tmp_path / "public" / "current"
    assert current.resolve() == first.resolve()
    inspect = json.loads((current / "inspect-data.json").read_text())
    assert inspect["foi"]["tables"]["responses"]["count"] == 2

    ds = Datasette(
        immutables=[str(current / "foi.db")], inspect_data=inspect, settings={"num_sql_threads": 1}
    )
    assert not ds.databases["foi"].is_mutable
    assert (await ds.databases["foi"].table_counts())["responses"] == 2
    page = await ds.client.get("/foi/responses.json?_shape=objects&_size=1")
    assert page.status_code == 200
    assert page.json()["filtered_table_rows_count"] == 2

    # the next night: a new release beside the old, `current` switched in one step,
    # the copy being served is never written
    served = (current / "foi.db").resolve()
    before = served.read_bytes()
    archive_with(archive, ["three"])
    second = publish(archive, tmp_path / "public")
    assert current.resolve() == second.resolve() != first.resolve()
    assert served.read_bytes() == before
    counts = json.loads((current / "inspect-data.json").read_text())["foi"]["tables"]
    assert counts["responses"]["count"] == 3
