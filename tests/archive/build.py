"""Build a test archive from the offline mirror without crawling (shared with browser tests).

Every response listed in fixtures/site/manifest.json is parsed with the real parser and
loaded with the real loader, plus one hostile record whose text carries HTML.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import sqlite_utils

from db.load import Provenance, load_response, record_crawl_run
from db.schema import ensure_schema
from parsers import parse_response
from parsers.record import Exemption, Link, Question
from tests.archive.records import make_response

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "fixtures" / "site"
BASE_URL = "https://www.met.police.uk"
LOADED_AT = "2026-11-01T02:00:00+00:00"
SCRIPT = "<script>alert(1)</script>"
HOSTILE_ID = "metropolitan-police/disclosure-2024/august-2024/hostile-markup-test"
SEED_001_ID = (
    "metropolitan-police/disclosure-2023/december-2023/facial-recognition-technology-protests"
)


def manifest() -> list[dict]:
    return json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))["responses"]


def hostile_response():
    """A record whose scraped text is markup: it must be shown as text everywhere."""
    return make_response(
        "hostile-markup-test",
        reference="01.FOI.24.999999",
        title=f"Hostile markup {SCRIPT} test",
        request_text=f"Request text with {SCRIPT} and <b>bold</b> markup.",
        questions=(Question("1", f"Question with {SCRIPT}?", f"Answer with {SCRIPT}."),),
        exemptions=(Exemption(40, "(2)", "Section 40(2)", "Personal information"),),
        body_text=f"Body with {SCRIPT} facial recognition.",
        links=(Link("a scripted link", "javascript:alert(1)"),),
    )


def build_archive(path: Path) -> dict:
    """Load the mirror into a new archive at path; returns {"loaded", "failed"}."""
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    loaded, failed = 0, []
    for entry in manifest():
        body = (SITE / entry["path"]).read_bytes()
        url = BASE_URL + entry["url_path"]
        try:
            response = parse_response(body, url)
        # The parser is another engineer's work in progress: a page it cannot parse is
        # reported by the parser's own tests; here the archive is built from the rest.
        except Exception as error:  # noqa: BLE001
            failed.append((url, repr(error)))
            continue
        load_response(
            db,
            response,
            Provenance(url, LOADED_AT, hashlib.sha256(body).hexdigest()),
            now=LOADED_AT,
        )
        loaded += 1
    hostile = hostile_response()
    load_response(db, hostile, Provenance(hostile.url, LOADED_AT, "0" * 64), now=LOADED_AT)
    record_crawl_run(
        db,
        {
            "started_at": "2026-11-01T02:00:00+00:00",
            "finished_at": "2026-11-01T02:03:00+00:00",
            "site": BASE_URL,
            "new": loaded,
            "changed": 0,
            "removed": 0,
            "unchanged": 0,
            "failed": len(failed),
            "requests": loaded,
            "bytes": 0,
            "duration_s": 180.0,
            "parse_yield": 1.0,
            "exit_code": 0,
        },
    )
    db.close()
    return {"loaded": loaded + 1, "failed": failed}
