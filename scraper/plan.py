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
from datetime import UTC, date, datetime, timedelta

from db.pages import KnownUrl


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
    known: dict[str, KnownUrl],
    *,
    now: datetime,
    night: int,
    recent_days: int,
    revisit_slice: int,
    full: bool,
    dated: dict[str, str] | None = None,
) -> list[tuple[str, str]]:
    """(url, reason) for every known page due tonight; reason is retry or revisit.

    `dated` maps a URL to the response's own date ("2024-08-14" or "2024-08") when the
    archive knows it.
    """
    recent_since = (now - timedelta(days=recent_days)).isoformat(timespec="seconds")
    dated = dated or {}
    due = []
    for url, page in sorted(known.items()):
        own = dated.get(url)
        recent = page.first_seen >= recent_since and (
            own is None or not own[:4].isdigit() or own >= recent_since[: len(own)]
        )
        if needs_retry(page):
            due.append((url, "retry"))
        elif page.removed_at is not None:
            # last answered 404/410 (removed, or a removal not confirmed that night):
            # every night, so a page put back is restored at once
            due.append((url, "removed"))
        elif full or recent:
            due.append((url, "revisit"))
        elif url_slice(url, revisit_slice) == night % max(1, revisit_slice):
            due.append((url, "revisit"))
    return due
