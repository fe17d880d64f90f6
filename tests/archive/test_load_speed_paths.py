"""The load path's shortcuts keep what they replace: the record digest, the FTS index."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlite_utils

from db.load import Provenance, load_response, record_digest
from db.schema import ensure_schema
from parsers import parse_response
from tests.archive.records import make_response

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"


def old_digest(response) -> str:
    """The digest as first written: asdict, then JSON (archived values depend on it)."""
    data = response.to_dict()
    data.pop("warnings", None)
    data.pop("parser_version", None)
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def real_pages(limit: int = 40) -> list[Path]:
    pages = sorted(p for p in SITE.rglob("index.html") if "/foi-ai/" in str(p))
    return pages[:: max(1, len(pages) // limit)][:limit]


@pytest.mark.parametrize("page", real_pages(), ids=lambda p: p.parent.name[:40])
def test_record_digest_is_the_same_bytes_as_before(page):
    rel = str(page.parent.relative_to(SITE))
    url = f"https://{rel}/" if rel.startswith("www.") else f"https://www.met.police.uk/{rel}/"
    response = parse_response(page.read_bytes(), url)
    assert record_digest(response) == old_digest(response)


def test_record_digest_of_a_built_record():
    response = make_response()
    assert record_digest(response) == old_digest(response)


def test_fts_is_right_after_a_rewrite_with_the_same_text_and_after_a_text_change(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    first = make_response(body_text="A body about drones.")
    load_response(db, first, Provenance(first.url, "2024-01-01", "a"))
    # same text, new parser version: the row is rewritten, the index must still hold
    again = make_response(body_text="A body about drones.", parser_version="old")
    load_response(db, again, Provenance(first.url, "2024-01-02", "b"), seen=False)
    count = "SELECT count(*) FROM responses_fts WHERE responses_fts MATCH ?"
    assert db.execute(count, ("drones",)).fetchone()[0] == 1
    changed = make_response(body_text="A body about horses.")
    load_response(db, changed, Provenance(first.url, "2024-01-03", "c"))
    assert db.execute(count, ("drones",)).fetchone()[0] == 0
    assert db.execute(count, ("horses",)).fetchone()[0] == 1
    db.execute("INSERT INTO responses_fts(responses_fts) VALUES ('integrity-check')")
