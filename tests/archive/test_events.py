"""The event log: each change of a response writes its event in the same transaction."""

from __future__ import annotations

import dataclasses

import pytest
import sqlite_utils

from db.events import events_for
from db.files import NotAnArchive, open_archive, open_page_store
from db.load import Provenance, load_response, mark_removed, mark_seen, response_key, transaction
from db.schema import ensure_schema
from tests.archive.records import make_response


@pytest.fixture
def db(tmp_path):
    database = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(database)
    return database


def kinds(db, response) -> list[tuple[str, int | None]]:
    return [(e["event"], e["run_id"]) for e in events_for(db, response_key(response.url))]


def test_new_changed_removed_restored_with_their_runs(db):
    response = make_response()
    load_response(db, response, Provenance(response.url, "t1", "a"), now="2024-01-01", run_id=1)
    load_response(db, response, Provenance(response.url, "t2", "a"), now="2024-01-02", run_id=2)
    edited = dataclasses.replace(response, title=response.title + " (corrected)")
    load_response(db, edited, Provenance(response.url, "t3", "b"), now="2024-01-03", run_id=3)
    assert mark_removed(db, response.url, "2024-01-04", run_id=4)
    assert not mark_removed(db, response.url, "2024-01-05", run_id=5)  # once
    assert mark_seen(db, response.url, "2024-01-06", run_id=6)
    assert mark_seen(db, response.url, "2024-01-07", run_id=7)  # not removed: no event
    assert mark_removed(db, response.url, "2024-01-08", run_id=8)
    load_response(db, edited, Provenance(response.url, "t9", "b"), now="2024-01-09", run_id=9)
    assert kinds(db, response) == [
        ("new", 1),
        ("changed", 3),
        ("removed", 4),
        ("restored", 6),
        ("removed", 8),
        ("restored", 9),
    ]


def test_a_reparse_writes_no_event_and_a_byte_only_change_is_not_changed(db):
    response = make_response()
    load_response(db, response, Provenance(response.url, "t1", "a"), now="2024-01-01")
    load_response(db, response, Provenance(response.url, "t2", "b"), now="2024-01-02")
    edited = dataclasses.replace(response, title="re-read by a newer parser")
    load_response(db, edited, Provenance(response.url, "t2", "b"), now="2024-01-03", seen=False)
    assert kinds(db, response) == [("new", None)]


def test_an_event_rolls_back_with_its_change(db):
    response = make_response()
    load_response(db, response, Provenance(response.url, "t1", "a"), now="2024-01-01")
    with pytest.raises(RuntimeError), transaction(db):
        mark_removed(db, response.url, "2024-01-02")
        raise RuntimeError("power cut")
    assert kinds(db, response) == [("new", None)]
    assert db["responses"].get(response_key(response.url))["removed_at"] is None


@pytest.mark.parametrize("opener", [open_archive, open_page_store])
def test_a_file_that_is_not_sqlite_is_one_clear_error(tmp_path, opener):
    path = tmp_path / "notes.txt"
    path.write_text("not a database\n" * 20)
    with pytest.raises(NotAnArchive) as caught:
        opener(path)
    assert "is not a SQLite database" in str(caught.value)
    assert "\n" not in str(caught.value)
    assert path.read_text() == "not a database\n" * 20
