"""Loading and history: new / changed / unchanged, removal, attachments kept."""

from __future__ import annotations

import dataclasses

import pytest
import sqlite_utils

from db.load import (
    Provenance,
    load_response,
    mark_removed,
    mark_seen,
    record_crawl_run,
    response_key,
)
from db.schema import MIGRATIONS, SCHEMA_VERSION, current_version, ensure_schema
from parsers.record import Attachment, Exemption, Question
from tests.archive.records import make_response


@pytest.fixture
def db(tmp_path):
    database = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(database)
    return database


def prov(response, sha="sha-1", fetched_at="2024-09-01T00:00:00+00:00"):
    return Provenance(response.url, fetched_at, sha)


def row(db, response):
    return db["responses"].get(response_key(response.url))


def test_schema_is_idempotent_wal_and_versioned(tmp_path):
    database = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(database)
    ensure_schema(database)
    assert current_version(database) == SCHEMA_VERSION
    assert database.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert {
        "responses",
        "questions",
        "exemptions",
        "response_exemptions",
        "links",
        "attachments",
        "crawl_runs",
    } <= set(database.table_names())
    assert set(database.view_names()) == {
        "responses_with_exemptions",
        "exemption_counts_by_month",
        "outcome_counts_by_month",
        "attachment_table_rows",
        "response_table_rows",
        "response_languages",  # migration 11: language_versions without a second main text
    }
    assert {"attachment_sheets", "attachment_rows", "attachment_state"} <= set(
        database.table_names()
    )
    applied = database.execute("select version from schema_version order by version").fetchall()
    assert [v for (v,) in applied] == sorted(MIGRATIONS)  # numbers may be reserved, not yet used


@pytest.mark.parametrize(
    "url, key",
    [
        (
            "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/"
            "live-video-streaming-via-cellular-technology/",
            "metropolitan-police/disclosure-2024/august-2024/"
            "live-video-streaming-via-cellular-technology",
        ),
        (
            "http://127.0.0.1:8765/foi-ai/metropolitan-police/d/july-2022/x/",
            "metropolitan-police/d/july-2022/x",
        ),
        (
            "https://www.clevelandpolice.uk/foi-ai/cleveland-police/disclosure/2024/march/y",
            "cleveland-police/disclosure/2024/march/y",
        ),
        ("https://example.org/other/path/?page=2", "other/path?page=2"),
    ],
)
def test_response_key_is_readable_and_stable(url, key):
    assert response_key(url) == key


def test_response_key_rejects_an_empty_path():
    with pytest.raises(ValueError, match="empty path"):
        response_key("https://www.met.police.uk/")


def test_new_then_unchanged_then_changed(db):
    response = make_response()
    assert load_response(db, response, prov(response), now="2024-09-01T00:00:00+00:00") == "new"
    assert (
        load_response(db, response, prov(response), now="2024-09-02T00:00:00+00:00") == "unchanged"
    )
    first = row(db, response)
    assert first["first_seen"] == first["last_changed"] == "2024-09-01T00:00:00+00:00"
    assert first["last_seen"] == "2024-09-02T00:00:00+00:00"

    edited = dataclasses.replace(response, title="Live video (amended)")
    status = load_response(db, edited, prov(edited, sha="sha-2"), now="2024-09-03T00:00:00+00:00")
    assert status == "changed"
    after = row(db, edited)
    assert after["title"] == "Live video (amended)"
    assert after["first_seen"] == "2024-09-01T00:00:00+00:00"
    assert after["last_changed"] == "2024-09-03T00:00:00+00:00"
    assert after["content_sha256"] == "sha-2"
    assert db["responses"].count == 1


def test_new_bytes_with_the_same_record_are_not_a_change(db):
    response = make_response()
    load_response(db, response, prov(response, sha="a"), now="2024-09-01T00:00:00+00:00")
    status = load_response(db, response, prov(response, sha="b"), now="2024-09-02T00:00:00+00:00")
    assert status == "unchanged"
    assert row(db, response)["last_changed"] == "2024-09-01T00:00:00+00:00"
    assert row(db, response)["content_sha256"] == "b"


def test_children_are_replaced_not_appended(db):
    response = make_response()
    load_response(db, response, prov(response))
    edited = dataclasses.replace(
        response,
        questions=(Question("1", "Only one question now?", "Yes."),),
        exemptions=(
            Exemption(40, "(2)", "Section 40(2)", "Personal information"),
            Exemption(31, "(3)", "Section 31(3)", "Law enforcement", ncnd=True),
        ),
    )
    load_response(db, edited, prov(edited, sha="sha-2"))
    rid = response_key(response.url)
    assert [r["text"] for r in db["questions"].rows_where("response_id = ?", [rid])] == [
        "Only one question now?"
    ]
    sections = db.execute(
        "select section, ncnd from response_exemptions where response_id = ? order by position",
        [rid],
    ).fetchall()
    assert sections == [(40, 0), (31, 1)]
    assert row(db, edited)["question_count"] == 1
    view = db.execute(
        "select exemptions, exemption_sections from responses_with_exemptions"
    ).fetchone()
    assert view == ('["s31 Law enforcement","s40 Personal information"]', "[31,40]")


def test_fts_follows_every_load(db):
    response = make_response()
    load_response(db, response, prov(response))
    search = "select count(*) from responses_fts where responses_fts match ?"
    assert db.execute(search, ["vans"]).fetchone()[0] == 1
    edited = dataclasses.replace(
        response, body_text="Nothing about that any more.", request_text="A different request."
    )
    load_response(db, edited, prov(edited, sha="sha-2"))
    assert db.execute(search, ["vans"]).fetchone()[0] == 0
    assert db.execute(search, ["different"]).fetchone()[0] == 1
    questions = "select count(*) from questions_fts where questions_fts match ?"
    assert db.execute(questions, ["facial"]).fetchone()[0] == 1


def test_attachment_download_data_survives_a_reload(db):
    response = make_response()
    load_response(db, response, prov(response), now="2024-09-01T00:00:00+00:00")
    db.execute("update attachments set bytes = 123, sha256 = 'abc', text = 'sheet text'")
    db.conn.commit()
    load_response(db, response, prov(response, sha="sha-2"), now="2024-09-02T00:00:00+00:00")
    [attachment] = list(db["attachments"].rows)
    assert (attachment["bytes"], attachment["sha256"], attachment["text"]) == (
        123,
        "abc",
        "sheet text",
    )
    assert attachment["last_seen"] == "2024-09-02T00:00:00+00:00"

    moved = dataclasses.replace(
        response, attachments=(Attachment("New data", "https://x.test/new.pdf", "pdf"),)
    )
    load_response(db, moved, prov(moved, sha="sha-3"), now="2024-09-03T00:00:00+00:00")
    rows = {a["url"]: a for a in db["attachments"].rows}
    assert len(rows) == 2
    assert rows[response.attachments[0].url]["removed_at"] == "2024-09-03T00:00:00+00:00"
    assert rows[response.attachments[0].url]["text"] == "sheet text"
    assert rows["https://x.test/new.pdf"]["removed_at"] is None


def test_mark_removed_keeps_rows_and_sets_removed_at_once(db):
    response = make_response()
    load_response(db, response, prov(response), now="2024-09-01T00:00:00+00:00")
    assert mark_removed(db, response.url, "2024-10-01T00:00:00+00:00") is True
    assert mark_removed(db, response.url, "2024-10-02T00:00:00+00:00") is False
    assert row(db, response)["removed_at"] == "2024-10-01T00:00:00+00:00"
    assert db["questions"].count == 2 and db["attachments"].count == 1
    # Back on the site: a 304 clears removed_at.
    assert mark_seen(db, response.url, "2024-11-01T00:00:00+00:00") is True
    assert row(db, response)["removed_at"] is None
    assert row(db, response)["last_seen"] == "2024-11-01T00:00:00+00:00"


def test_mark_seen_on_an_unknown_url_changes_nothing(db):
    assert mark_seen(db, make_response("unknown").url, "2024-11-01T00:00:00+00:00") is False
    assert db["responses"].count == 0


def test_a_failed_load_leaves_no_partial_rows(db):
    response = make_response()
    load_response(db, response, prov(response))
    broken = dataclasses.replace(
        response, title="Half written", questions=(Question("1", None, "no text"),)
    )  # questions.text is NOT NULL
    with pytest.raises(Exception, match="NOT NULL"):
        load_response(db, broken, prov(broken, sha="sha-2"))
    assert row(db, response)["title"] == response.title
    assert db["questions"].count == 2
    assert not db.conn.in_transaction


def test_record_crawl_run_keeps_extra_keys_as_json(db):
    run_id = record_crawl_run(
        db,
        {
            "started_at": "a",
            "finished_at": "b",
            "new": 3,
            "exit_code": 0,
            "warnings": ["site changed shape"],
        },
    )
    saved = db["crawl_runs"].get(run_id)
    assert (saved["new"], saved["exit_code"], saved["finished_at"]) == (3, 0, "b")
    assert saved["details"] == '{"warnings": ["site changed shape"]}'


def test_migrations_run_once_in_order_and_roll_back_on_failure(tmp_path, monkeypatch):
    import db.schema as schema

    database = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(database)
    response = make_response()
    load_response(database, response, prov(response))

    top = max(schema.MIGRATIONS)

    def add_column(db):
        db.conn.execute("ALTER TABLE responses ADD COLUMN extra TEXT")
        db.conn.execute("UPDATE responses SET extra = 'mps'")

    def broken(db):
        db.conn.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("migration 3 failed")

    monkeypatch.setattr(schema, "MIGRATIONS", {**schema.MIGRATIONS, top + 1: add_column})
    ensure_schema(database)
    ensure_schema(database)  # already at top + 1: nothing runs twice
    assert current_version(database) == top + 1
    assert database.execute("select extra from responses").fetchall() == [("mps",)]

    monkeypatch.setattr(schema, "MIGRATIONS", {**schema.MIGRATIONS, top + 2: broken})
    with pytest.raises(RuntimeError, match="migration 3 failed"):
        ensure_schema(database)
    assert current_version(database) == top + 1
    assert "half_done" not in database.table_names()
    assert row(database, response)["title"] == response.title


def test_an_archive_from_a_newer_foilog_is_refused(db):
    from db.schema import SchemaError

    db.execute("insert into schema_version (version, applied_at) values (99, 'future')")
    db.conn.commit()
    with pytest.raises(SchemaError, match="schema version 99 is newer"):
        ensure_schema(db)


def test_responses_with_exemptions_says_which_force_and_language(db):
    response = make_response(
        url="https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2025/x/",
        exemptions=(Exemption(40, "(2)", "Section 40(2)", "Personal information"),),
        force="gwent-police",
        language="en",
    )
    load_response(db, response, prov(response))
    view = list(db["responses_with_exemptions"].rows)
    assert [(r["force"], r["language"], r["exemption_sections"]) for r in view] == [
        ("gwent-police", "en", "[40]")
    ]
    # appended: the original columns keep their positions for scripts reading by index
    columns = [c.name for c in db["responses_with_exemptions"].columns]
    assert columns[:2] == ["id", "reference"] and columns[-2:] == ["force", "language"]
