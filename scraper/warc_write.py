"""Writing WARC/1.1 with warcio: `foilog export-warc` and `refresh --warc-dir`.

One gzip member per record (what replay tools index), a `warcinfo` record first, then
one `response` record per capture: WARC-Target-URI, WARC-Date, and the block and
payload digests warcio computes. Bodies are stored decoded (the crawler undoes
Content-Encoding before storing), so the HTTP headers written say so: no
Content-Encoding or Transfer-Encoding, and a Content-Length that matches.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import UTC, datetime
from http.client import responses as REASONS
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from db.load import utc_now
from scraper.warc_read import FIRST_FETCHED_HEADER

# Headers that described the bytes on the wire, not the decoded body we keep.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})


def warc_date(iso: str) -> str:
    """Our '2024-08-12T10:00:00+00:00' -> WARC's '2024-08-12T10:00:00Z'."""
    when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class WarcOut:
    """A gzipped WARC/1.1 file open for writing: `response()` per capture, `close()`."""

    def __init__(self, path: Path, description: str) -> None:
        self.path = Path(path)
        self.records = 0
        self.bytes = 0
        self._fh = open(self.path, "wb")  # noqa: SIM115  closed by close()
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        info = {
            "software": f"foilog/{_version()} (warcio)",
            "format": "WARC File Format 1.1",
            "conformsTo": "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/",
            "description": description,
        }
        self._writer.write_record(self._writer.create_warcinfo_record(self.path.name, info))

    def response(
        self,
        url: str,
        status: int,
        headers: Mapping[str, str | None] | list[tuple[str, str]],
        body: bytes,
        fetched_at: str,
        first_fetched_at: str | None = None,
    ) -> None:
        pairs = list(headers.items()) if isinstance(headers, Mapping) else headers
        kept = [(k, v) for k, v in pairs if v is not None and k.lower() not in _WIRE_HEADERS]
        kept.append(("Content-Length", str(len(body))))
        http = StatusAndHeaders(
            f"{status} {REASONS.get(status, 'Unknown')}", kept, protocol="HTTP/1.1"
        )
        warc_headers = {"WARC-Date": warc_date(fetched_at)}
        if first_fetched_at and first_fetched_at != fetched_at:
            warc_headers[FIRST_FETCHED_HEADER] = warc_date(first_fetched_at)
        record = self._writer.create_warc_record(
            url,
            "response",
            payload=BytesIO(body),
            length=len(body),
            http_headers=http,
            warc_headers_dict=warc_headers,
        )
        self._writer.write_record(record)
        self.records += 1
        self.bytes += len(body)

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            os.fsync(self._fh.fileno())
            self._fh.close()


class RunWarcWriter:
    """`refresh --warc-dir DIR`: every HTTP answer of one run, as it arrives, in one
    file `foilog-<start>-<pid>.warc.gz`. Named `.warc.gz.open` while the run writes it
    (the convention archiving crawlers use), renamed when the run ends.

    Example:
        writer = RunWarcWriter.start(Path("warcs"))
        writer.write_response(url, 200, headers, body, fetched_at)
        writer.close()
    """

    def __init__(self, out: WarcOut, final: Path) -> None:
        self._out = out
        self.final = final

    @classmethod
    def start(cls, directory: Path, site: str = "") -> RunWarcWriter:
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        final = directory / f"foilog-{stamp}-{os.getpid()}.warc.gz"
        description = f"foilog refresh captures of {site}".strip()
        return cls(WarcOut(final.with_name(final.name + ".open"), description), final)

    def write_response(
        self,
        url: str,
        status: int,
        headers: dict[str, str],
        body: bytes,
        fetched_at: str | None = None,
    ) -> None:
        """One HTTP answer as received (body decoded); `fetched_at` defaults to now."""
        self._out.response(url, status, headers, body, fetched_at or utc_now())

    @property
    def records(self) -> int:
        return self._out.records

    def close(self) -> Path:
        self._out.close()
        os.replace(self._out.path, self.final)
        return self.final


def _version() -> str:
    # The installed distribution's version: scraper/ does not import the CLI package.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("foilog")
    except PackageNotFoundError:
        return "unknown"
