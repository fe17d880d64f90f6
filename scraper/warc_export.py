"""`foilog export-warc`: the raw page store as one gzipped WARC/1.1 file.

One `response` record per stored version (pages and attachment files), dated when
the site last served those bytes (`fetched_at`); when it first served them is kept in
our one extension field (scraper/warc_read.FIRST_FETCHED_HEADER) so an import rebuilds
`first_seen`. What the store keeps of the HTTP answer is the status and the
Content-Type, ETag and Last-Modified headers: those are written; nothing is invented.
The file is written under a temporary name and renamed when complete, so a partial
export never looks like a finished one.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from db.page_history import iter_versions
from db.pages import PageStore
from scraper.warc_write import WarcOut


@dataclass(frozen=True)
class ExportSummary:
    path: Path
    records: int
    bytes: int  # payload bytes
    file_bytes: int


def export_warc(
    store: PageStore | list[PageStore],
    out: Path,
    *,
    since: str | None = None,
    on_record: Callable[[int], None] = lambda n: None,
) -> ExportSummary:
    out = Path(out)
    partial = out.with_name(out.name + ".part")
    warc = WarcOut(partial, "foilog raw page store export" + (f" since {since}" if since else ""))
    stores = store if isinstance(store, list) else [store]  # each force's raw store
    try:
        for version in (v for one in stores for v in iter_versions(one, since)):
            page = version.page
            headers = {
                "Content-Type": page.content_type,
                "ETag": page.etag,
                "Last-Modified": page.last_modified,
            }
            warc.response(
                page.url, page.status, headers, page.body, page.fetched_at, version.first_fetched_at
            )
            on_record(warc.records)
        warc.close()
    except BaseException:
        warc.close()
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, out)
    return ExportSummary(out, warc.records, warc.bytes, out.stat().st_size)
