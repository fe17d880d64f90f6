"""Download the files a response links to, keep every version, make them searchable.

`sync_attachments` is called by the refresh after a response is loaded. For each
listed attachment on the site's own host it makes a conditional GET through the
crawler's `Fetcher` (robots, rate limit, retries and the attachment size limit all
apply), stores the bytes in the raw page store (kind "attachment": a file replaced at
the same URL becomes a new version there), extracts text and tables off the event
loop, and records the result in the archive. Off-site links are listed, never fetched.

Nothing here stops a refresh: a failed download or a corrupt file is recorded with its
reason and counted as failed; only cancellation propagates.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Iterable
from urllib.parse import unquote, urlsplit

import sqlite_utils

from db.attachments import (
    AttachmentRow,
    attachment_row,
    ensure_attachment_tables,
    record_extraction,
    record_fetch_failure,
    record_gone,
    record_offsite,
    record_seen,
)
from db.load import response_key
from db.pages import PageStore, StoredPage
from parsers.extract import EXTRACTOR_VERSION, TYPES, extract
from parsers.record import Attachment
from scraper.fetch import Fetcher

log = logging.getLogger("foilog.attachments")

OUTCOMES = ("new", "changed", "unchanged", "removed", "failed", "offsite")


async def sync_attachments(
    fetcher: Fetcher,
    pages: PageStore,
    db: sqlite_utils.Database,
    response_url: str,
    attachments: Iterable[Attachment],
    now: str,
) -> dict:
    """Fetch, store, extract and record each attachment of one response.

    Returns counts: new, changed, unchanged, removed, failed, offsite, and bytes
    downloaded. Example:

        counts = await sync_attachments(fetcher, store, archive, page.url,
                                        response.attachments, utc_now())
    """
    counts = dict.fromkeys(OUTCOMES, 0) | {"bytes": 0}
    try:
        ensure_attachment_tables(db)
        response_id = response_key(response_url)
    except (ValueError, sqlite3.Error) as exc:
        log.error("attachments of %s not synced: %s", response_url, exc)
        counts["failed"] = len(list(attachments))
        return counts
    for attachment in attachments:
        try:
            outcome, size = await _sync_one(fetcher, pages, db, response_id, attachment, now)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001
            # A bug or a database error on one file must not stop the refresh of the
            # others or of the response pages: it is logged with the URL and counted.
            log.error(
                "attachment %s of %s failed: %s: %s",
                attachment.url,
                response_url,
                type(exc).__name__,
                exc,
            )
            outcome, size = "failed", 0
        counts[outcome] += 1
        counts["bytes"] += size
    return counts


async def _sync_one(
    fetcher: Fetcher,
    pages: PageStore,
    db: sqlite_utils.Database,
    response_id: str,
    attachment: Attachment,
    now: str,
) -> tuple[str, int]:
    att = attachment_row(db, response_id, attachment.url, attachment.title, attachment.type, now)
    if not fetcher.is_on_site(attachment.url):
        record_offsite(db, att, now)
        return "offsite", 0
    previous = pages.latest(attachment.url)
    result = await fetcher.get(
        attachment.url,
        kind="attachment",
        etag=previous.etag if previous else None,
        last_modified=previous.last_modified if previous else None,
    )
    if result.error is None and result.status in (404, 410):
        pages.store(attachment.url, result.status, result.headers, b"", now, kind="attachment")
        record_gone(db, att, result.status, now)
        return "removed", 0
    if result.error is not None or result.status not in (200, 304):
        error = result.error or f"HTTP {result.status}"
        pages.record_failure(attachment.url, "attachment", error, now)
        record_fetch_failure(db, att, result.status, error, now)
        return "failed", 0
    stored = pages.store(
        attachment.url, result.status, result.headers, result.body, now, kind="attachment"
    )
    if stored is None:  # a 304 for a file we never stored: the server is confused
        record_fetch_failure(db, att, result.status, "not modified, but no stored copy", now)
        return "failed", 0
    size = len(result.body)
    if _up_to_date(att, stored):
        record_seen(db, att, result.status, now)
        return "unchanged", size
    extracted, elapsed_ms = await _extract(stored, attachment)
    record_extraction(
        db,
        att,
        status=result.status,
        size=len(stored.body),
        sha256=stored.sha256,
        content_type=stored.content_type or result.content_type or None,
        page_version=stored.version,
        extracted=extracted,
        extract_ms=elapsed_ms,
        now=now,
    )
    if extracted.error and extracted.type in TYPES:  # corrupt, not merely unsupported
        log.warning("attachment %s: %s", attachment.url, extracted.error)
        return "failed", size
    if att.sha256 is None:
        return "new", size
    return ("changed" if att.sha256 != stored.sha256 else "unchanged"), size


def _up_to_date(att: AttachmentRow, stored: StoredPage) -> bool:
    """The row already holds what this extractor makes of these exact bytes."""
    return (
        att.sha256 == stored.sha256
        and att.extracted_at is not None
        and att.extractor_version == EXTRACTOR_VERSION
    )


async def _extract(stored: StoredPage, attachment: Attachment):
    """Extraction is CPU-bound (a large PDF takes seconds): run it off the event loop."""
    name = unquote(urlsplit(attachment.url).path.rsplit("/", 1)[-1]).rsplit(".", 1)[0]
    started = time.perf_counter()
    extracted = await asyncio.to_thread(
        extract,
        stored.body,
        attachment.type or _suffix(attachment.url),
        content_type=stored.content_type,
        name=name or "csv",
    )
    return extracted, (time.perf_counter() - started) * 1000


def _suffix(url: str) -> str | None:
    last = urlsplit(url).path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else None
