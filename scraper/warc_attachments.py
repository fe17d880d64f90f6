"""Attachment files captured in a web archive: their text into the archive.

The crawler downloads a file when a page lists it (scraper/attachments.py). An import
meets files and pages in any order, so files are extracted once every page of the
import is loaded: each response listing the file whose text is not from the latest
captured bytes gets it. `status=None` in `record_extraction`: foilog did not ask the
site, so the file's `last_seen` and `removed_at` stay as they were.
"""

from __future__ import annotations

import time
from urllib.parse import unquote, urlsplit

import sqlite_utils

from db.attachments import attachment_row, ensure_attachment_tables, record_extraction
from db.load import utc_now
from db.pages import PageStore
from db.web_archive import attachments_wanting
from parsers.extract import extract


def extract_captured(store: PageStore, archive: sqlite_utils.Database, urls: list[str]) -> int:
    """Extract the latest stored copy of each file into every row listing it."""
    ensure_attachment_tables(archive)
    done = 0
    for url in urls:
        stored = store.latest(url)
        if stored is None:
            continue
        for response_id in attachments_wanting(archive, url, stored.sha256):
            att = attachment_row(archive, response_id, url, None, None, stored.fetched_at)
            started = time.perf_counter()
            name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
            extracted = extract(
                stored.body, att.type, content_type=stored.content_type, name=name or "csv"
            )
            record_extraction(
                archive,
                att,
                status=None,
                size=len(stored.body),
                sha256=stored.sha256,
                content_type=stored.content_type,
                page_version=stored.version,
                extracted=extracted,
                extract_ms=(time.perf_counter() - started) * 1000,
                now=utc_now(),
            )
            done += 1
    return done
