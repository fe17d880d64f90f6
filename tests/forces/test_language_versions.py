"""A Welsh page and its English twin are one response with two language versions."""

from __future__ import annotations

import sqlite_utils

from db.load import Provenance, load_response, mark_removed, mark_seen, response_key
from db.schema import ensure_schema
from parsers.record import Question, Response

EN = "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2025/april/licence-plate-offences-3872025/"
CY = "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/licence-plate-offences-3872025/"


def record(url: str, language: str, title: str) -> Response:
    return Response(
        url=url,
        reference="387/25",
        title=title,
        month="2025-04",
        published=None,
        request_text="How many fines?",
        exemptions=(),
        outcome=None,
        ncnd=False,
        force="dyfed-powys-police",
        language=language,
        questions=(Question("1", "How many fines?", "12"),),
        body_text=f"{title}: body",
    )


def archive(tmp_path) -> sqlite_utils.Database:
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    return db


def load(db, url, language, title, sha="a", when="2026-01-01T00:00:00+00:00"):
    return load_response(db, record(url, language, title), Provenance(url, when, sha), now=when)


def versions(db):
    return db.execute(
        "SELECT response_id, language, url, title, removed_at FROM response_languages ORDER BY language"
    ).fetchall()


def test_the_twins_share_one_key_on_the_live_site_and_on_a_mirror():
    key = "dyfed-powys-police/disclosure-2025/april/licence-plate-offences-3872025"
    assert response_key(EN) == response_key(CY) == key
    mirrored = "http://127.0.0.1:9/www.dyfed-powys.police.uk" + CY.split(".uk", 1)[1]
    assert response_key(mirrored) == key


def test_english_first_then_welsh_is_one_response_with_two_versions(tmp_path):
    db = archive(tmp_path)
    assert load(db, EN, "en", "Licence plate offences") == "new"
    assert load(db, CY, "cy", "Troseddau platiau", sha="b") == "new"  # new version
    rows = db.execute("SELECT id, url, language, title FROM responses").fetchall()
    assert len(rows) == 1 and rows[0][1:] == (EN, "en", "Licence plate offences")
    assert [v[1:4] for v in versions(db)] == [
        ("cy", CY, "Troseddau platiau"),
        ("en", EN, "Licence plate offences"),
    ]
    # the Welsh version again, unchanged: the response's history does not move
    assert load(db, CY, "cy", "Troseddau platiau", sha="b", when="2026-01-02") == "unchanged"
    assert db.execute("SELECT last_changed FROM responses").fetchone()[0].startswith("2026-01-01")


def test_welsh_first_then_english_takes_over_the_same_response(tmp_path):
    db = archive(tmp_path)
    load(db, CY, "cy", "Troseddau platiau", sha="b")
    load(db, EN, "en", "Licence plate offences")
    rows = db.execute("SELECT url, language FROM responses").fetchall()
    assert rows == [(EN, "en")]
    assert [v[1] for v in versions(db)] == ["cy", "en"]
    # and a later Welsh load does not take it back
    load(db, CY, "cy", "Troseddau platiau", sha="c", when="2026-01-03")
    assert db.execute("SELECT url, language FROM responses").fetchall() == [(EN, "en")]


def test_a_welsh_page_gone_is_that_version_gone_not_the_response(tmp_path):
    db = archive(tmp_path)
    load(db, EN, "en", "Licence plate offences")
    load(db, CY, "cy", "Troseddau platiau", sha="b")
    assert mark_removed(db, CY, "2026-02-01")
    assert db.execute("SELECT removed_at FROM responses").fetchone()[0] is None
    assert {v[1]: v[4] for v in versions(db)} == {"cy": "2026-02-01", "en": None}
    assert mark_seen(db, CY, "2026-02-02")
    assert {v[1]: v[4] for v in versions(db)} == {"cy": None, "en": None}
    assert mark_removed(db, EN, "2026-02-03")
    assert db.execute("SELECT removed_at FROM responses").fetchone()[0] == "2026-02-03"
