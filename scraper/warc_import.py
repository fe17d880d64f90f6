"""`foilog import-warc`: captures from web archives through the same pipeline as a fetch.

read (warcio, scraper/warc_read.py) -> keep the site's pages and attachments
(scraper/warc_targets.py) -> skip errors and challenges -> parse in a process pool
(scraper/parse_stream.py) -> one writer: raw store at the capture's date
(db/page_history.py), then the archive (db/load.py, db/web_archive.py).

A capture newer than everything held becomes the latest version and is loaded; an
older one joins the page's history and only moves `first_seen` back; bytes already
held change nothing, so importing the same files twice is a no-op. Imports never
move `last_seen` or clear `removed_at`: foilog itself did not see the site.
Revisit records are resolved after every file is read, from the payloads the files
hold. Each batch commits the raw store first, then the archive, like the crawler.
"""

from __future__ import annotations

import logging
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlite_utils

from db import bulk_load
from db.bulk_fts import fts_deferred_if_empty
from db.load import (
    Provenance,
    load_response,
    mark_removed,
    record_digest,
    transaction,
)
from db.page_history import (
    HELD,
    OLDER,
    add_capture,
    body_by_sha256,
    held_version,
    removed_at,
)
from db.pages import PageStore, sha256_hex
from db.web_archive import (
    backdate_first_seen,
    follow_version_shift,
    has_good_record,
    mark_from_web_archive,
    set_archived_copy,
)
from parsers.record import Response
from scraper.challenge import is_challenge
from scraper.fetch import HTML_TYPES
from scraper.parse_pool import ParseTimeout
from scraper.parse_stream import ParseStream, parse_job
from scraper.warc_new_rows import new_responses
from scraper.warc_read import WarcEntry, WarcFile, read_entries
from scraper.warc_targets import PAGE, SiteTargets

log = logging.getLogger("foilog.warc")

# Captures per commit: each commit of the archive syncs and checkpoints its WAL, whose
# pages (scattered index leaves) grow with the archive. 200 -> 1,000 at 50,000 pages:
# writer 92.7 -> 81.4 CPU s; a kill repeats at most one batch (an import resumes).
BATCH = 1000


@dataclass(frozen=True)
class Capture:
    url: str
    kind: str
    headers: dict[str, str]
    body: bytes
    captured_at: str  # WARC-Date
    first_at: str  # when these bytes were first captured (our exports say; else WARC-Date)
    sha256: str
    parse: bool  # the parser is needed: the capture may become the latest version


@dataclass(frozen=True)
class Prepared:
    parsed: object  # Response, the parser's exception, or None (not parsed)
    compressed: bytes  # the body as the raw store keeps it
    digest: str | None = None  # record_digest of a parsed Response, made in the worker


@dataclass
class ImportSummary:
    files: int = 0
    records: int = 0
    other_records: int = 0
    bytes: int = 0
    outcomes: Counter = field(default_factory=Counter)  # new changed unchanged older
    skipped: Counter = field(default_factory=Counter)  # reason -> count
    failures: list[tuple[str, str]] = field(default_factory=list)  # (url, error)
    damage: list[tuple[str, str]] = field(default_factory=list)  # (file, what)
    attachments: int = 0  # attachment texts extracted from captured files
    seconds: float = 0.0

    @property
    def imported(self) -> int:
        return sum(self.outcomes.values())


@dataclass
class _Resolver:
    """Payloads seen in these files, for revisit records: digest or (URI, date) ->
    (url, sha256) of a capture stored in the raw store."""

    by_digest: dict[str, tuple[str, str]] = field(default_factory=dict)
    by_uri_date: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)

    def remember(self, entry: WarcEntry, url: str, sha256: str) -> None:
        if entry.payload_digest:
            self.by_digest.setdefault(entry.payload_digest, (url, sha256))
        self.by_uri_date.setdefault((entry.url, entry.captured_at), (url, sha256))

    def find(self, revisit: WarcEntry) -> tuple[str, str] | None:
        found = self.by_digest.get(revisit.payload_digest or "")
        if found is None and revisit.refers_to_uri and revisit.refers_to_date:
            found = self.by_uri_date.get((revisit.refers_to_uri, revisit.refers_to_date))
        return found


class WarcImport:
    def __init__(self, store: PageStore, archive: sqlite_utils.Database, targets: SiteTargets):
        self.store, self.archive, self.targets = store, archive, targets
        # asked twice of each record (read its body? then keep it?): once is enough
        self.target = lru_cache(maxsize=256)(targets.target)
        self.summary = ImportSummary()
        self.resolver = _Resolver()
        self.revisits: list[WarcEntry] = []
        self.attachment_urls: set[str] = set()
        self.on_progress = lambda done_bytes: None

    def run(self, paths: list[Path], jobs: int) -> ImportSummary:
        started = time.monotonic()
        # into an empty archive, the full-text indexes are built once at the end
        with fts_deferred_if_empty(self.archive), ParseStream(jobs, function=prepare) as stream:
            self._write(stream.parse(self._captures(paths), _job))
            self._write(stream.parse(self._resolved_revisits(), _job))
        if self.attachment_urls:
            from scraper.warc_attachments import extract_captured

            self.summary.attachments = extract_captured(
                self.store, self.archive, sorted(self.attachment_urls)
            )
        # An imported answer joins (or starts) its round robin, as a refreshed one does.
        from db.round_robins import update_round_robins

        update_round_robins(self.archive)
        self.summary.seconds = time.monotonic() - started
        return self.summary

    # -- reading ----------------------------------------------------------------------

    def _captures(self, paths: list[Path]) -> Iterator[Capture]:
        done = 0
        for path in paths:
            warc = WarcFile(path)
            self.summary.files += 1
            for entry in read_entries(warc, lambda url: self.target(url) is not None):
                self.on_progress(done + warc.offset)
                if entry.record_type == "revisit":
                    self.revisits.append(entry)
                    continue
                capture = self._accept(entry, entry.body)
                if capture is not None:
                    yield capture
            self.summary.records += warc.records
            self.summary.other_records += warc.other_records
            self.summary.bytes += warc.offset
            done += warc.size
            self.on_progress(done)
            if warc.damage:
                self.summary.damage.append((str(path), warc.damage))

    def _accept(self, entry: WarcEntry, body: bytes | None, status: int | None = None):
        target = self.target(entry.url)
        status = entry.status if status is None else status
        if entry.oversize:
            return self._skip("over the size limit")
        if target is None or body is None:
            return self._skip("not a page of a configured site")
        if is_challenge(status, entry.headers, body):  # often a 403: named for what it is
            return self._skip("bot-protection challenge")
        if status != 200:
            return self._skip(f"HTTP {status}" if status else "no HTTP status")
        media = entry.headers.get("content-type", "").split(";")[0].strip().lower()
        if target.kind == PAGE and media and media not in HTML_TYPES:
            return self._skip(f"not HTML ({media})")
        if not entry.captured_at:
            return self._skip("no WARC-Date")
        digest = sha256_hex(body)
        self.resolver.remember(entry, target.url, digest)
        held = held_version(self.store, target.url, digest)
        parse = target.kind == PAGE and (held is None or (held.is_latest and not held.loaded))
        first = min(entry.first_captured_at or entry.captured_at, entry.captured_at)
        return Capture(
            target.url, target.kind, entry.headers, body, entry.captured_at, first, digest, parse
        )

    def _skip(self, reason: str) -> None:
        self.summary.skipped[reason] += 1
        return None

    def _resolved_revisits(self) -> Iterator[Capture]:
        for revisit in self.revisits:
            if self.target(revisit.url) is None:
                self._skip("not a page of a configured site")
                continue
            found = self.resolver.find(revisit)
            if found is None:
                self._skip("revisit whose payload is not in these files")
                continue
            body = body_by_sha256(self.store, found[1], found[0])
            # a "server-not-modified" revisit records the 304 that confirmed the copy
            status = 200 if revisit.status in (0, 304) else revisit.status
            capture = self._accept(revisit, body, status)
            if capture is not None:
                yield capture

    # -- writing ----------------------------------------------------------------------

    def _write(self, parsed) -> None:
        batch: list = []
        for item in parsed:
            batch.append(item)
            if len(batch) >= BATCH:
                self._write_batch(batch)
                batch = []
        if batch:
            self._write_batch(batch)

    def _write_batch(self, batch: list) -> None:
        with self.store.transaction():  # durable: the raw copies first
            results = [(c, p, self._store(c, p)) for c, p in batch]
        loaded: list[tuple[str, str]] = []
        with transaction(self.archive):
            new = new_responses(self.store, self.archive, results)
            rows: list[bulk_load.Prepared] = []  # new responses' rows, written in order
            for position, (capture, parsed, result) in enumerate(results):
                if position in new:
                    rows.append(new[position])
                    self.summary.outcomes["new"] += 1
                    loaded.append((capture.url, capture.sha256))
                    continue
                if rows:
                    bulk_load.load_prepared(self.archive, rows)
                    rows = []
                if self._load(capture, parsed, result, loaded):
                    loaded.append((capture.url, capture.sha256))
            if rows:
                bulk_load.load_prepared(self.archive, rows)
        with self.store.transaction(durable=False):
            for url, sha256 in loaded:
                self.store.mark_loaded(url, sha256)

    def _store(self, c: Capture, prepared: Prepared | ParseTimeout):
        if c.kind != PAGE:
            self.attachment_urls.add(c.url)
        return add_capture(
            self.store,
            c.url,
            kind=c.kind,
            headers=c.headers,
            body=c.body,
            captured_at=c.captured_at,
            sha256=c.sha256,
            first_captured_at=c.first_at,
            compressed=prepared.compressed if isinstance(prepared, Prepared) else None,
        )

    def _load(self, c: Capture, prepared, result, loaded_now: list) -> bool:
        """Archive one stored capture; True when its record was loaded."""
        parsed = prepared.parsed if isinstance(prepared, Prepared) else prepared
        digest = prepared.digest if isinstance(prepared, Prepared) else None
        if c.kind != PAGE:  # extracted once every page is in (scraper/warc_attachments.py)
            if result.outcome == HELD:
                self._skip("already held")
            else:
                self.summary.outcomes["attachment files"] += 1
            return False
        if result.outcome == OLDER:
            follow_version_shift(self.archive, c.url, result.shifted_from)
            backdate_first_seen(self.archive, c.url, c.first_at)
            self.summary.outcomes["older"] += 1
            return False
        if result.outcome == HELD and (not result.needs_load or (c.url, c.sha256) in loaded_now):
            backdate_first_seen(self.archive, c.url, c.first_at)
            self._skip("already held")
            return False
        if parsed is None:  # judged held when read, but it needs loading after all
            parsed = parse_job(c.body, c.url)
        if not isinstance(parsed, Response):  # the parser's exception, or a ParseTimeout
            self.summary.failures.append(
                (c.url, f"parse failed: {type(parsed).__name__}: {parsed}")
            )
            return False
        if (
            parsed.reference is None
            and not parsed.questions
            and has_good_record(self.archive, c.url)
        ):
            self._skip("empty page (the archived record is kept)")
            return False
        # like a fetch: the row rests on the capture that first brought these bytes
        prov = Provenance(c.url, c.first_at, c.sha256)
        status = load_response(
            self.archive, parsed, prov, now=c.first_at, seen=False, digest=digest
        )
        if status == "new":  # first seen at c.first_at already: nothing to backdate
            mark_from_web_archive(self.archive, c.url, c.first_at)
            gone = removed_at(self.store, c.url)
            if gone:  # the crawler already found it gone from the site
                mark_removed(self.archive, c.url, gone)
        else:
            if status == "unchanged":
                set_archived_copy(self.archive, c.url, c.first_at, c.sha256)
            backdate_first_seen(self.archive, c.url, c.first_at)
        self.summary.outcomes[status] += 1
        return True


def _job(capture: Capture) -> tuple[bytes, str, bool]:
    return capture.body, capture.url, capture.parse


def prepare(body: bytes, url: str, parse: bool) -> Prepared:
    """In a worker process: the CPU-heavy part of one capture (parse, digest, compress)."""
    parsed = parse_job(body, url) if parse else None
    digest = record_digest(parsed) if isinstance(parsed, Response) else None
    return Prepared(parsed, zlib.compress(body, 6), digest)


def summary_line(s: ImportSummary) -> str:
    """One line: what was read, imported and skipped (by reason), and how fast."""
    outcomes = ", ".join(f"{n} {k}" for k, n in sorted(s.outcomes.items())) or "nothing"
    skipped = ", ".join(f"{n} {k}" for k, n in s.skipped.most_common())
    rate = s.imported / s.seconds if s.seconds > 0 else 0.0
    return (
        f"import-warc: {s.files} files, {s.records} records read "
        f"({s.other_records} not HTTP captures), imported {s.imported} ({outcomes}), "
        f"skipped {sum(s.skipped.values())}"
        + (f" ({skipped})" if skipped else "")
        + f", {len(s.failures)} failed, {len(s.damage)} damaged files; "
        f"{_size(s.bytes)} in {s.seconds:.1f} s ({rate:.0f} captures/s)"
    )


def exit_code(s: ImportSummary) -> int:
    from scraper.report import EXIT_OK, EXIT_SOME_FAILED, EXIT_UNREACHABLE

    if s.damage:
        return EXIT_UNREACHABLE
    return EXIT_SOME_FAILED if s.failures else EXIT_OK


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"
