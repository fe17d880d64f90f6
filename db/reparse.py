"""Re-parse the latest stored raw pages into the archive, without fetching anything.

Run after a parser change (`PARSER_VERSION` bump) or to recover pages that failed
to parse before. A page that fails again keeps its archived row untouched and is
reported with its URL and the error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol
from urllib.parse import urlsplit

import sqlite_utils

from db.attachments import reextract_attachments
from db.load import Provenance, record_digest, transaction
from db.pages import decompress
from db.reparse_batch import Parsed, load_batch
from parsers import parse_response
from parsers.record import Response
from parsers.sites import site_for, site_for_url

BATCH = 200  # pages per commit


class StoredPageLike(Protocol):
    """A stored page as the store holds it: `data` compressed by `compression`."""

    url: str
    fetched_at: str
    status: int | None
    sha256: str
    compression: str
    data: bytes


class PageStoreLike(Protocol):
    def iter_latest_raw(self, kind: str = "page") -> Iterable[StoredPageLike]: ...


@dataclass(frozen=True)
class Reparsed:
    """What a parser process sends back: the record and its digest (made there, not
    by the one writer)."""

    response: Response
    digest: str


# Parses many pages: given the pages and a function that says what to parse for each
# ((compression, data, url) for `parse_stored`, or None to pass the page through),
# yields (page, Reparsed | Exception | None) in input order. `foilog reparse --jobs N`
# passes a process pool running `parse_stored` (scraper/parse_stream.py); the default
# parses here, one page after another.
ParseMany = Callable[
    [Iterable[StoredPageLike], Callable[[StoredPageLike], tuple | None]],
    Iterator[tuple[StoredPageLike, object]],
]


def parse_stored(compression: str, data: bytes, url: str) -> Reparsed | Exception:
    """Decompress, parse and digest one stored page: a parser process's whole job."""
    try:
        response = parse_response(decompress(compression, data), url)
        return Reparsed(response, record_digest(response))
    # A parser bug on one page must not stop the rest; it is counted and reported.
    except Exception as error:  # noqa: BLE001
        return error


def parse_in_process(
    pages: Iterable[StoredPageLike], job: Callable[[StoredPageLike], tuple | None]
) -> Iterator[tuple[StoredPageLike, object]]:
    for page in pages:
        args = job(page)
        yield page, (None if args is None else parse_stored(*args))


def _job(page: StoredPageLike) -> tuple | None:
    """What to parse for a stored page, or None when it is skipped."""
    if page.status not in (None, 200) or not is_response_page(page.url):
        return None
    return page.compression, page.data, page.url


def is_response_page(url: str) -> bool:
    parts = urlsplit(url)
    site = site_for(f"{parts.scheme}://{parts.netloc}")
    # any force's page, on its host or under a mirror's host prefix
    return site.is_detail_path(parts.path) or site_for_url(url) is not None


def reparse(
    db: sqlite_utils.Database, page_store: PageStoreLike, parse_many: ParseMany | None = None
) -> dict:
    """Parse every latest stored response page again and reload it. Returns counts.

    `parsed`, `new`, `changed`, `unchanged`, `failed`, `skipped` (not a response page
    or not a 200), and `errors`: a list of {"url", "error"} for the failures.
    Parsing may run elsewhere (`parse_many`, e.g. a process pool); this process is the
    only writer and loads the results in the store's order.
    """
    counts = {"parsed": 0, "new": 0, "changed": 0, "unchanged": 0, "failed": 0, "skipped": 0}
    errors: list[dict] = []
    parsed = (parse_many or parse_in_process)(page_store.iter_latest_raw(), _job)
    for chunk in _chunks(parsed, BATCH):
        # One commit per batch, not per page; the records read the same are written
        # together (db/reparse_batch.py), the others each in a savepoint.
        loadable = [_loadable(page, result, counts, errors) for page, result in chunk]
        with transaction(db):
            for status in load_batch(db, [item for item in loadable if item is not None]):
                counts[status] += 1
    # Stored attachment copies are re-extracted too when the extractors changed.
    attachments = reextract_attachments(db, page_store, _now())
    grouped = regroup(db)
    return {
        **counts,
        "attachments": attachments,
        "round_robins": grouped["round_robins"],
        "regrouped": grouped["indexed"],
        "errors": errors,
    }


# Placing one page in the archive's groups costs ~15-30 ms at 500,000 responses
# (candidates read back from SQLite), the whole-archive build ~0.9 ms a response: from
# one response in 16 to place, building everything again is cheaper.
REBUILD_SHARE = 16

# Responses whose grouping is missing or older than their record: the test
# db/round_robins.py `_pending` makes (the index keeps the digest each was grouped under).
_STALE = (
    "SELECT count(*) FROM responses r LEFT JOIN round_robin_index i ON i.response_id = r.id "
    "WHERE i.response_id IS NULL OR i.record_sha256 IS NOT r.record_sha256"
)


def regroup(db: sqlite_utils.Database) -> dict:
    """Round robins after a reparse: {"indexed" (responses placed again), "round_robins"}.

    Grouping reads only what a record holds (request and question text, force,
    language, dates; title and outcome for the round robin's row), and the index keeps
    the record digest each response was grouped under: a record the new parser reads
    the same is still grouped right. So only the changed ones are placed again (the
    page-by-page path of db/round_robins.py), none when the parser changed no record
    (the common case: the build was ~0.8 CPU ms a page), and the whole archive when many
    changed or nothing is grouped yet. Either way the groups are those the build makes
    (tests/archive/test_reparse_round_robins.py).
    """
    stale = db.conn.execute(_STALE).fetchone()[0]
    if stale == 0:  # nothing to place: not even datasketch is imported (~1 CPU s)
        count = db.conn.execute("SELECT count(*) FROM round_robins").fetchone()[0]
        return {"indexed": 0, "round_robins": count}
    # imported here: parser processes import this module, and datasketch takes a second
    from db.round_robins import rebuild_round_robins, update_round_robins

    total = db.conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    if stale * REBUILD_SHARE >= total:
        return rebuild_round_robins(db)
    return update_round_robins(db)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _loadable(
    page: StoredPageLike, response: object, counts: dict, errors: list[dict]
) -> Parsed | None:
    """The record to load from a parser's result, or None (a skipped or failed page,
    counted here: it writes nothing)."""
    if response is None:
        counts["skipped"] += 1
        return None
    if isinstance(response, BaseException):
        counts["failed"] += 1
        errors.append({"url": page.url, "error": f"{type(response).__name__}: {response}"})
        return None
    assert isinstance(response, Reparsed)
    counts["parsed"] += 1
    prov = Provenance(page.url, page.fetched_at, page.sha256)
    return Parsed(response.response, response.digest, prov)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    chunk: list = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
