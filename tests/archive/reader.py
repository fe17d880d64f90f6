"""An archive as a reader finds it after two nights: one page edited, another removed.

Built for real: the fixture mirror on loopback, `refresh` (the nightly job), the mirror's
test hooks to edit one page and remove another, then `refresh` again. Shared by the
archive tests and the browser tests.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import httpx

from db.load import response_key
from foilog.fixture_site import serve_mirror
from foilog.settings import Settings
from scraper.refresh import refresh

EDITED_REFERENCE = "01.FOI.24.036818"
EDIT_BEFORE = b"for operational purposes"
EDIT_AFTER = b"for operational and training purposes"
REMOVED_REFERENCE = "01.FOI.25.047215"  # e-scooters seized, January 2026


@dataclass(frozen=True)
class ReaderArchive:
    db_path: Path
    pages_path: Path
    edited_id: str
    removed_id: str
    edited_url: str


def build_reader_archive(mirror_root: Path, out: Path) -> ReaderArchive:
    manifest = json.loads((mirror_root / "manifest.json").read_text(encoding="utf-8"))
    by_reference = {e["reference"]: e for e in manifest["responses"] if e["reference"]}
    edited, removed = by_reference[EDITED_REFERENCE], by_reference[REMOVED_REFERENCE]
    out.mkdir(parents=True, exist_ok=True)
    with serve_mirror(root=mirror_root) as site:
        settings = Settings.from_env(
            site=site.base_url,
            db_path=out / "foi.db",
            pages_path=out / "pages.db",
            rate=0,
            concurrency=4,
            max_attempts=4,
            max_retry_delay=10,
            recent_days=100_000,  # revisit every page on the second night
        )
        _night(settings)
        body = httpx.get(site.url(edited["url_path"])).content
        assert EDIT_BEFORE in body, "the mirror page to edit has changed: pick another phrase"
        site.edit(edited["url_path"], body.replace(EDIT_BEFORE, EDIT_AFTER))
        site.remove(removed["url_path"], status=410)
        _night(settings)
        edited_url, removed_url = site.url(edited["url_path"]), site.url(removed["url_path"])
    _ensure_events(out / "foi.db", edited_url, removed_url)
    return ReaderArchive(
        out / "foi.db",
        out / "pages.db",
        response_key(edited_url),
        response_key(removed_url),
        edited_url,
    )


def _night(settings: Settings) -> None:
    summary = asyncio.run(refresh(settings, backoff_base=0.02))
    assert summary["failed"] == 0, summary


def _ensure_events(db_path: Path, edited_url: str, removed_url: str) -> None:
    """The refresh writes response_events (another branch); until it does, write the two
    events the second night saw, so the pages built on them can be tested either way."""
    conn = sqlite3.connect(db_path)
    with conn:
        for url, event in ((edited_url, "changed"), (removed_url, "removed")):
            rid = response_key(url)
            found = conn.execute(
                "SELECT 1 FROM response_events WHERE response_id = ? AND event = ?", (rid, event)
            ).fetchone()
            if not found:
                at = conn.execute(
                    "SELECT CASE ? WHEN 'removed' THEN removed_at ELSE last_changed END "
                    "FROM responses WHERE id = ?",
                    (event, rid),
                ).fetchone()[0]
                conn.execute(
                    "INSERT INTO response_events (response_id, url, event, at) VALUES (?, ?, ?, ?)",
                    (rid, url, event, at),
                )
    conn.close()
