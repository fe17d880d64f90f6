"""The archive keeps each answer once (`answers`, `questions.answer_id`) and tables as cells."""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from db.load import Provenance, load_response, response_key
from db.schema import MIGRATIONS, applied_versions, current_version, ensure_schema
from parsers.record import Answer, Question, Table
from plugins.app import load_metadata
from tests.archive.build import SEED_001_ID
from tests.archive.records import make_response

TABLE = Table(1, (("Borough", "Stops"), ("Barnet", "4,723"), ("Brent", "5,001")), 1, 2)
REQUEST_TABLE = Table(2, (("a", "b", "c"),), 0, 0)
ANSWER_TEXT = "See the table below.\nBorough | Stops\nBarnet | 4,723\nBrent | 5,001"


def with_answers(**changes):
    fields = dict(
        questions=(
            Question("1", "Stops by borough?", ANSWER_TEXT, 1),
            Question("1a", "And by month?", ANSWER_TEXT, 1),
            Question("2", "Future plans?", "Outside the Act.", 2),
            Question("3", "Never answered?", None, None),
        ),
        answers=(
            Answer(1, ("1", "1a"), ANSWER_TEXT, (1,)),
            Answer(2, ("2",), "Outside the Act.", ()),
        ),
        tables=(TABLE, REQUEST_TABLE),
    )
    fields.update(changes)
    return make_response(**fields)


@pytest.fixture
def db(tmp_path):
    database = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(database)
    return database


def load(db, response, sha="sha-1"):
    return load_response(db, response, Provenance(response.url, "2024-09-01T00:00:00Z", sha))


def rows(db, sql, *params):
    return [tuple(r) for r in db.execute(sql, params).fetchall()]


def test_answers_questions_and_table_cells_are_stored(db):
    response = with_answers()
    load(db, response)
    rid = response_key(response.url)
    assert rows(
        db,
        "select position, question_numbers, question_count, text, table_count from answers "
        "where response_id = ? order by position",
        rid,
    ) == [(1, '["1", "1a"]', 2, ANSWER_TEXT, 1), (2, '["2"]', 1, "Outside the Act.", 0)]
    assert rows(db, "select number, answer_id from questions where response_id = ?", rid) == [
        ("1", 1),
        ("1a", 1),
        ("2", 2),
        ("3", None),
    ]
    assert rows(
        db,
        "select position, answer_id, row_count, column_count, header_rows, line "
        "from response_tables where response_id = ? order by position",
        rid,
    ) == [(1, 1, 3, 2, 1, 2), (2, None, 1, 3, 0, 0)]
    assert rows(
        db,
        "select row, col, text, header from response_table_cells "
        "where response_id = ? and table_position = 1 order by row, col",
        rid,
    ) == [
        (1, 1, "Borough", 1),
        (1, 2, "Stops", 1),
        (2, 1, "Barnet", 0),
        (2, 2, "4,723", 0),
        (3, 1, "Brent", 0),
        (3, 2, "5,001", 0),
    ]


def test_table_rows_view_keys_cells_by_the_heading(db):
    response = with_answers()
    load(db, response)
    got = rows(
        db,
        "select table_position, row, header, cells, record from response_table_rows "
        "where response_id = ? order by table_position, row",
        response_key(response.url),
    )
    assert got[2] == (1, 3, 0, '["Brent","5,001"]', '{"Borough":"Brent","Stops":"5,001"}')
    assert got[3] == (2, 1, 0, '["a","b","c"]', '{"column 1":"a","column 2":"b","column 3":"c"}')
    borough = db.execute(
        "select json_extract(record, '$.Stops') from response_table_rows "
        "where json_extract(record, '$.Borough') = 'Barnet'"
    ).fetchone()
    assert borough == ("4,723",)


def test_a_new_reading_replaces_every_answer_and_table(db):
    load(db, with_answers())
    response = with_answers(
        questions=(Question("1", "Stops by borough?", "Not held.", 1),),
        answers=(Answer(1, ("1",), "Not held.", ()),),
        tables=(),
    )
    assert load(db, response, sha="sha-2") == "changed"
    assert rows(db, "select position, text from answers") == [(1, "Not held.")]
    assert rows(db, "select count(*) from response_tables") == [(0,)]
    assert rows(db, "select count(*) from response_table_cells") == [(0,)]


def test_answers_are_searchable(db):
    load(db, with_answers())
    hits = rows(
        db,
        "select a.position from answers_fts join answers a on a.rowid = answers_fts.rowid "
        "where answers_fts match 'outside'",
    )
    assert hits == [(2,)]


def test_an_archive_from_before_migration_4_gains_the_tables(tmp_path, monkeypatch):
    import db.schema as schema

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    monkeypatch.setattr(schema, "MIGRATIONS", {v: m for v, m in MIGRATIONS.items() if v < 4})
    ensure_schema(old)
    assert current_version(old) == 3
    old.execute(
        "insert into responses (id, url, first_seen, last_seen, last_changed) "
        "values ('x', 'https://x/', 'a', 'a', 'a')"
    )
    old.execute(
        "insert into questions (response_id, position, text, answer) values ('x', 1, 'q', 'a')"
    )
    old.conn.commit()
    monkeypatch.undo()
    ensure_schema(old)
    assert 4 in applied_versions(old)
    assert rows(old, "select answer, answer_id from questions") == [("a", None)]
    for table in ("answers", "response_tables", "response_table_cells", "response_table_rows"):
        assert rows(old, f"select count(*) from {table}") == [(0,)]


def test_metadata_describes_the_answer_tables(archive_path):
    db = sqlite_utils.Database(archive_path)
    described = load_metadata()["databases"]["foi"]["tables"]
    for name in (
        "answers",
        "response_tables",
        "response_table_cells",
        "response_table_rows",
        "questions",
    ):
        assert described[name].get("description"), name
        missing = set(db[name].columns_dict) - set(described[name].get("columns", {}))
        assert not missing, f"{name}: undescribed columns {missing}"


def test_the_seed_is_archived_with_each_answer_once(archive_path):
    db = sqlite_utils.Database(archive_path)
    answers = rows(
        db,
        "select question_numbers, text from answers where response_id = ? order by position",
        SEED_001_ID,
    )
    outside = [json.loads(n) for n, text in answers if "fall outside the act" in text]
    assert outside == [["7", "8", "9", "10"]]
    deployment = [json.loads(n) for n, text in answers if "LFR - Deployment Records" in text]
    assert deployment == [["1", "1a"], ["5", "5a", "5b", "5c", "5d"], ["6", "6a", "6b"]]
    shared = rows(
        db,
        "select count(distinct answer_id), count(*) from questions "
        "where response_id = ? and answer_id is not null",
        SEED_001_ID,
    )
    assert shared == [(7, 20)]


def test_the_mirror_tables_are_cells_researchers_can_query(archive_path):
    db = sqlite_utils.Database(archive_path)
    barnet = db.execute(
        "select c2.text from response_table_cells c1 join response_table_cells c2 "
        "on c2.response_id = c1.response_id and c2.table_position = c1.table_position "
        "and c2.row = c1.row and c2.col = 2 "
        "where c1.text = 'Barnet' and c1.col = 1 and c1.response_id like '%stop-and-search-borough-2023'"
    ).fetchall()
    assert barnet == [("4,723",)]
    in_answers = db.execute(
        "select count(*) from response_tables where answer_id is not null"
    ).fetchone()
    assert in_answers[0] >= 10


@pytest.mark.parametrize(
    "name", ["answers", "response_tables", "response_table_cells", "response_table_rows"]
)
async def test_the_answer_tables_are_browsable(ds, name):
    page = await ds.client.get(f"/foi/{name}")
    assert page.status_code == 200
    data = (await ds.client.get(f"/foi/{name}.json?_shape=objects")).json()
    assert data["rows"], f"{name} has no rows"
    assert 'href="/response/metropolitan-police/' in page.text  # response ids link to the page


async def test_answers_can_be_searched_in_datasette(ds):
    data = (await ds.client.get("/foi/answers.json?_search=outside&_shape=objects")).json()
    assert any(row["response_id"] == SEED_001_ID for row in data["rows"])
