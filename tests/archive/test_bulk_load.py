"""The bulk loader writes exactly what `load_response` writes, one record at a time."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest
import sqlite_utils

from bench.archive_build import parsed_templates
from bench.synth import load_sources
from db.bulk_load import load_prepared, load_responses, prepare
from db.load import Provenance, load_response, transaction
from db.schema import ensure_schema
from parsers.record import Exemption
from tests.archive.records import make_response
from tests.forces.test_language_versions import CY, EN, record

NOW = "2026-03-01T00:00:00+00:00"


@pytest.fixture(scope="module")
def items():
    """Real parsed pages, hand-made ones with attachments and links, Welsh twins both
    ways round, a page loaded twice (changed), and one exemption the catalogue lacks."""
    pages = [
        (r, Provenance(r.url, NOW, f"sha-{i}"))
        for i, (r, _) in enumerate(parsed_templates(load_sources(), 30))
    ]
    made = make_response("bulk-one")
    odd = make_response(
        "bulk-two", exemptions=(Exemption(99, "(1)", "Section 99(1)", "Made-up exemption"),)
    )
    cy_first = CY.replace("3872025", "5552025")
    return [
        *pages[:10],
        (made, Provenance(made.url, NOW, "m1")),
        (odd, Provenance(odd.url, NOW, "m2")),
        (record(EN, "en", "Licence plate offences"), Provenance(EN, NOW, "e1")),
        *pages[10:20],
        (record(CY, "cy", "Troseddau platiau"), Provenance(CY, NOW, "c1")),
        (record(cy_first, "cy", "Cwn"), Provenance(cy_first, NOW, "c2")),
        (
            record(
                cy_first.replace("/cy-GB", "").replace(
                    "heddlu-dyfed-powys/datgeliadau-2025/ebrill",
                    "dyfed-powys-police/disclosure-2025/april",
                ),
                "en",
                "Dogs",
            ),
            Provenance(EN.replace("3872025", "5552025"), NOW, "e2"),
        ),
        (dataclasses.replace(made, title="Changed title"), Provenance(made.url, NOW, "m3")),
        *pages[20:],
    ]


def dump(path) -> dict:
    """Every row of every table but FTS5's own (its segments depend on how often it
    flushed); the FTS indexes are checked with integrity-check and a query instead."""
    conn = sqlite3.connect(path)
    tables = [
        t
        for (t,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%_fts%' "
            "AND name NOT IN ('schema_version')"
        )
    ]
    out = {t: rows(conn, t) for t in tables}
    for (fts,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE '%\\_fts' ESCAPE '\\'"
    ):
        conn.execute(f"INSERT INTO {fts}({fts}) VALUES ('integrity-check')")
    out["search"] = conn.execute(
        "SELECT rowid FROM responses_fts WHERE responses_fts MATCH 'police' ORDER BY rowid"
    ).fetchall()
    return out


def rows(conn: sqlite3.Connection, table: str) -> list:
    try:  # rowids too: the bulk loader numbers rows as one-by-one loading does
        return conn.execute(f"SELECT rowid, * FROM {table} ORDER BY rowid").fetchall()
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def archive(path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    return db


def test_bulk_load_writes_what_load_response_writes(tmp_path, items):
    one = archive(tmp_path / "one.db")
    expected = [load_response(one, r, p, now=NOW, run_id=7) for r, p in items]
    bulk = archive(tmp_path / "bulk.db")
    assert load_responses(bulk, items[:5], now=NOW, run_id=7) == expected[:5]
    assert load_responses(bulk, items[5:], now=NOW, run_id=7) == expected[5:]
    assert "changed" in expected and "new" in expected
    one.close(), bulk.close()
    assert dump(tmp_path / "bulk.db") == dump(tmp_path / "one.db")


def test_bulk_load_inside_a_caller_transaction_and_twice(tmp_path, items):
    one = archive(tmp_path / "one.db")
    for r, p in items + items:
        load_response(one, r, p, now=NOW)
    bulk = archive(tmp_path / "bulk.db")
    bulk.conn.execute("BEGIN")
    load_responses(bulk, items + items, now=NOW)
    bulk.conn.execute("COMMIT")
    one.close(), bulk.close()
    assert dump(tmp_path / "bulk.db") == dump(tmp_path / "one.db")


def test_load_prepared_refuses_a_response_already_archived(tmp_path, items):
    db = archive(tmp_path / "foi.db")
    (first, first_prov), (second, second_prov) = items[0], items[1]
    load_response(db, first, first_prov, now=NOW)
    batch = [prepare(second, second_prov, now=NOW), prepare(first, first_prov, now=NOW)]
    with pytest.raises(sqlite3.IntegrityError):
        load_prepared(db, batch)
    assert db.conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 1
    assert db.conn.execute("SELECT count(*) FROM response_events").fetchone()[0] == 1


def test_load_prepared_inside_a_transaction_adds_no_savepoint(tmp_path, items):
    """Inside the caller's transaction the batch is written without a savepoint of its
    own (a savepoint made each trigger-firing row's cost grow with the batch's changed
    pages); an error then rolls back the caller's whole transaction: nothing is kept."""
    db = archive(tmp_path / "foi.db")
    (first, first_prov), (second, second_prov), (third, third_prov) = items[:3]
    load_response(db, first, first_prov, now=NOW)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    with transaction(db):
        load_prepared(db, [prepare(second, second_prov, now=NOW)])
    assert not [s for s in statements if "SAVEPOINT" in s.upper()]
    db.conn.set_trace_callback(None)
    assert db.conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 2
    batch = [prepare(third, third_prov, now=NOW), prepare(first, first_prov, now=NOW)]
    with pytest.raises(sqlite3.IntegrityError), transaction(db):
        load_prepared(db, batch)
    assert db.conn.execute("SELECT count(*) FROM responses").fetchone()[0] == 2
    assert db.conn.execute("SELECT count(*) FROM response_events").fetchone()[0] == 2
