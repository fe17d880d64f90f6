"""Which known pages to re-check tonight: edits caught at a bounded cost.

- pages never fetched, or whose last fetch/parse failed, or whose stored content never
  reached the archive: every night until they succeed;
- pages first seen in the last `recent_days` days: every night (new responses are the
  ones that get corrected) -- unless the archive dates the response itself (published
  date or month) before that window: the first crawl of an old site must not make
  every old page "recent" for 90 nights;
- older pages: a rotating 1/`revisit_slice` share, chosen by URL hash and night number,
  so every page is re-checked once every `revisit_slice` nights;
- pages that last answered 404/410: every night (scraper/removals.py);
- `--full`: everything.
Revisits are conditional requests (If-None-Match / If-Modified-Since), mostly 304s.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from itertools import islice

from db.pages import KnownUrl

# url -> the response's own date, for the URLs asked (db.crawl_queries.response_dates_of)
DateLookup = Callable[[Sequence[str]], Mapping[str, str]]
# Pages judged at a time: one date query per batch, a batch in memory.
PLAN_BATCH = 1000


def night_number(when: datetime) -> int:
    """Days since 1970-01-01 (UTC): consecutive nights visit consecutive slices."""
    return (when.astimezone(UTC).date() - date(1970, 1, 1)).days


def url_slice(url: str, slices: int) -> int:
    return int(hashlib.sha256(url.encode()).hexdigest()[:8], 16) % max(1, slices)


def needs_retry(known: KnownUrl) -> bool:
    return (
        known.latest_sha256 is None
        or known.last_fetched_at is None  # known only from a web archive (import-warc)
        or known.failures > 0
        or known.loaded_sha256 != known.latest_sha256
    )


def plan_revisits(
    known: Mapping[str, KnownUrl] | Iterable[KnownUrl],
    *,
    now: datetime,
    night: int,
    recent_days: int,
    revisit_slice: int,
    full: bool,
    dated: Mapping[str, str] | DateLookup | None = None,
) -> list[tuple[str, str]]:
    """(url, reason) for every known page due tonight, in URL order; reason is retry,
    removed or revisit.

    `known` is a mapping, or pages already in URL order (a store cursor: one pass, only
    the due ones kept). `dated` gives the response's own date ("2024-08-14" or
    "2024-08") when the archive knows it: a mapping, or a lookup asked, a batch of pages
    at a time, only for the pages whose answer matters (first seen recently).
    """
    recent_since = (now - timedelta(days=recent_days)).isoformat(timespec="seconds")
    pages = (known[url] for url in sorted(known)) if isinstance(known, Mapping) else iter(known)
    dates_of = _date_lookup(dated)
    due = []
    while batch := list(islice(pages, PLAN_BATCH)):
        standing = [(page, _due_whatever_its_date(page)) for page in batch]
        # only a page first seen recently can be made "not recent" by its own date
        undecided = [
            page.url
            for page, reason in standing
            if reason is None and not full and page.first_seen >= recent_since
        ]
        own_dates = dates_of(undecided) if undecided else {}
        for page, reason in standing:
            if reason is None:
                own = own_dates.get(page.url)
                recent = page.first_seen >= recent_since and (
                    own is None or not own[:4].isdigit() or own >= recent_since[: len(own)]
                )
                if full or recent:
                    reason = "revisit"
                elif url_slice(page.url, revisit_slice) == night % max(1, revisit_slice):
                    reason = "revisit"
            if reason is not None:
                due.append((page.url, reason))
    return due


def _due_whatever_its_date(page: KnownUrl) -> str | None:
    if needs_retry(page):
        return "retry"
    if page.removed_at is not None:
        # last answered 404/410 (removed, or a removal not confirmed that night):
        # every night, so a page put back is restored at once
        return "removed"
    return None


def _date_lookup(dated: Mapping[str, str] | DateLookup | None) -> DateLookup:
    if dated is None:
        return lambda urls: {}
    if isinstance(dated, Mapping):
        return lambda urls: dated
    return dated
