"""The captures of an import batch that make responses the archive does not hold yet.

The whole of a first import: their rows are made as `WarcImport._load` writes them
(`load_response`, then `mark_from_web_archive`) and inserted with one executemany per
table for the batch (db/bulk_load.py; 0.83 -> 0.38 CPU ms a new page, 2,000 pages).
Anything else, and a second capture of one response in the batch, goes through
`_load`, in order (tests/warc/test_bulk_import.py compares the two).
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from db import bulk_load
from db.load import Provenance, response_key
from db.page_history import LATEST, removed_at
from db.pages import PageStore
from db.web_archive import WEB_ARCHIVE
from parsers.record import Response
from scraper.warc_targets import PAGE


def new_responses(
    store: PageStore, archive: sqlite_utils.Database, results: list
) -> dict[int, bulk_load.Prepared]:
    """The rows of each new response, by its position in `results`: (Capture, what
    the worker made of it, the raw store's CaptureResult), in batch order."""
    found: dict[int, tuple[str, Any, Response, str | None]] = {}  # Capture
    keys: set[str] = set()
    for position, (c, prepared, result) in enumerate(results):
        key = response_key(c.url) if c.kind == PAGE else None
        if key is None or key in keys:
            continue
        keys.add(key)
        parsed = getattr(prepared, "parsed", None)  # not a ParseTimeout
        if (
            result.outcome == LATEST
            and isinstance(parsed, Response)
            and removed_at(store, c.url) is None  # marked removed: the one-by-one path
        ):
            found[position] = (key, c, parsed, getattr(prepared, "digest", None))
    held = bulk_load.archived(archive, [key for key, _c, _r, _d in found.values()])
    return {
        position: bulk_load.prepare(
            parsed,
            Provenance(c.url, c.first_at, c.sha256),
            now=c.first_at,
            seen=False,
            digest=digest,
            source=WEB_ARCHIVE,
            captured_at=c.first_at,
        )
        for position, (key, c, parsed, digest) in found.items()
        if key not in held
    }
