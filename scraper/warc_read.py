"""Reading WARC files (ISO 28500) with warcio: one `WarcEntry` per HTTP capture.

`.warc` and `.warc.gz` (one gzip member per record, as every archiving tool writes)
are read by warcio, which also undoes chunked transfer and Content-Encoding. Damage is
found, not guessed at: a record whose content stops before its Content-Length, bytes
after the last complete record that are not a record, or a file warcio cannot read at
all. The entries before the damage are yielded; the damage is reported once on the
`WarcFile` object, with its byte offset.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

HTTP_RECORDS = ("response", "revisit")
# Our exports' one extension field: when the version's bytes were first fetched (its
# WARC-Date is when the site last served them), so a rebuilt archive keeps first_seen.
FIRST_FETCHED_HEADER = "Foilog-First-Fetched"


@dataclass(frozen=True)
class WarcEntry:
    """A `response` or `revisit` record. `body` is None when not read (unwanted URL)."""

    record_type: str
    url: str
    captured_at: str  # WARC-Date as ISO 8601 UTC to the second, like our fetched_at
    status: int  # 0: no HTTP status line in the record
    headers: dict[str, str]  # HTTP headers, names lower-cased
    body: bytes | None
    payload_digest: str | None  # WARC-Payload-Digest, e.g. "sha1:..."
    record_id: str | None
    refers_to_uri: str | None = None  # revisits
    refers_to_date: str | None = None
    profile: str | None = None
    first_captured_at: str | None = None  # FIRST_FETCHED_HEADER, from our exports
    oversize: bool = False  # wanted, but the body is over the size limit (not kept)


@dataclass
class WarcFile:
    """One file being read: counts as it goes, and the damage once found."""

    path: Path
    size: int = 0
    records: int = 0
    other_records: int = 0  # warcinfo, request, metadata, resource...
    offset: int = 0  # bytes of the file read so far (compressed)
    damage: str | None = None
    details: dict = field(default_factory=dict)


def warc_date(value: str | None) -> str | None:
    """'2024-08-12T10:00:00Z' (or with fractions) -> '2024-08-12T10:00:00+00:00'."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).isoformat(timespec="seconds")


def not_a_warc(path: Path) -> str | None:
    """Why `path` is not a WARC at all (its first record cannot be read), or None.

    Read before anything is opened for writing, so a command given only files that are
    not WARCs leaves no archive files behind. A file whose first record reads is a WARC:
    damage further on is found, and reported, while importing it.
    """
    with open(path, "rb") as fh:
        try:
            next(iter(ArchiveIterator(fh)))
        except StopIteration:
            return "not a WARC file (no record could be read)"
        except ArchiveLoadFailed as exc:
            return _one_line(exc, 0, 0)
        except Exception as exc:  # noqa: BLE001  (zlib, EOF, header errors: not readable)
            return f"not a WARC file (its first record cannot be read: {exc})"
    return None


def read_entries(
    warc: WarcFile, wanted: Callable[[str], bool], limit: int = 50 * 1024 * 1024
) -> Iterator[WarcEntry]:
    """Every HTTP capture in the file, in file order; bodies only for `wanted` URLs,
    and only up to `limit` bytes (a capture of a huge file must not fill memory)."""
    warc.size = os.path.getsize(warc.path)
    end = 0
    with open(warc.path, "rb") as fh:
        iterator = ArchiveIterator(fh)
        try:
            for record in iterator:
                entry, short = _entry(record, wanted, limit)
                iterator.read_to_end(record)
                if short:
                    warc.damage = (
                        f"record {warc.records + 1} at byte {iterator.get_record_offset()} "
                        f"is cut short ({short} bytes missing): the file is truncated"
                    )
                    return
                end = iterator.get_record_offset() + iterator.get_record_length()
                warc.records += 1
                warc.offset = end
                if entry is None:
                    warc.other_records += 1
                else:
                    yield entry
        except ArchiveLoadFailed as exc:
            warc.damage = _one_line(exc, warc.records, end)
            return
        # zlib.error, EOFError, warcio's header parse errors: all mean a damaged file
        except Exception as exc:  # noqa: BLE001
            warc.damage = f"unreadable after record {warc.records} (byte {end}): {exc}"
            return
        warc.damage = _trailing_damage(fh, end, warc)


def _entry(record, wanted: Callable[[str], bool], limit: int) -> tuple[WarcEntry | None, int]:
    """(entry or None, bytes missing from the record's content)."""
    if record.rec_type not in HTTP_RECORDS:
        return None, 0
    headers = record.rec_headers
    url = (headers.get_header("WARC-Target-URI") or "").strip().strip("<>")
    body, oversize = None, False
    if wanted(url):
        body = record.content_stream().read(limit + 1)
        if len(body) > limit:
            body, oversize = None, True
    while record.raw_stream.read(1 << 20):  # the rest, to spot a cut-short record
        pass
    short = getattr(record.raw_stream, "limit", 0) or 0
    http = record.http_headers
    status = 0
    http_headers: dict[str, str] = {}
    if http is not None:
        code = (http.get_statuscode() or "0").strip()
        status = int(code) if code.isdigit() else 0
        http_headers = {k.lower(): v for k, v in http.headers}
    entry = WarcEntry(
        record_type=record.rec_type,
        url=url,
        captured_at=warc_date(headers.get_header("WARC-Date")) or "",
        status=status,
        headers=http_headers,
        body=body,
        payload_digest=_digest(headers.get_header("WARC-Payload-Digest")),
        record_id=headers.get_header("WARC-Record-ID"),
        refers_to_uri=(headers.get_header("WARC-Refers-To-Target-URI") or "").strip("<>") or None,
        refers_to_date=warc_date(headers.get_header("WARC-Refers-To-Date")),
        profile=headers.get_header("WARC-Profile"),
        first_captured_at=warc_date(headers.get_header(FIRST_FETCHED_HEADER)),
        oversize=oversize,
    )
    return entry, short


def _digest(value: str | None) -> str | None:
    """Digests compared case-insensitively on the algorithm: 'SHA1:ABC' == 'sha1:ABC'."""
    if not value:
        return None
    algorithm, _, digest = value.strip().partition(":")
    return f"{algorithm.lower()}:{digest}" if digest else None


def _trailing_damage(fh, end: int, warc: WarcFile) -> str | None:
    """Bytes after the last complete record (a cut gzip member, garbage) are damage;
    warcio stops quietly there, so we look ourselves."""
    fh.seek(end)
    rest = fh.read(4096)
    if rest.strip(b"\r\n") == b"":
        return None
    if warc.records == 0:
        return "not a WARC file (no record could be read)"
    return (
        f"{warc.size - end} bytes after record {warc.records} (byte {end}) are not a "
        "complete record: the file is truncated or damaged"
    )


def _one_line(exc: Exception, records: int, end: int) -> str:
    text = " ".join(str(exc).split())
    if "Unknown archive format" in text:
        # warcio quotes the file's first line: useful for a text file, a screenful of
        # mojibake for a binary one
        if len(text) <= 200 and text.isascii() and text.isprintable():
            return "not a WARC file (" + text + ")"
        return "not a WARC file (it does not start with a WARC/1.0 or WARC/1.1 record)"
    if "non-chunked gzip" in text:
        return (
            "the file is one gzip stream, not one gzip member per record as WARC tools "
            "write it; fix with `warcio recompress IN OUT`"
        )
    shown = text if len(text) <= 200 else text[:200] + "..."
    return f"unreadable after record {records} (byte {end}): {shown}"
