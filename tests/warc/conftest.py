"""WARC files written by warcio (the reference library) from real mirror pages, and the
commands as the operator runs them."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

BIN = Path(sys.executable).parent
LIVE = "https://www.met.police.uk"
CHALLENGE = (
    b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    b"<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1'></script>"
    b"</body></html>"
)
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@dataclass
class Rec:
    url: str
    body: bytes = b""
    date: str = "2024-01-01T00:00:00Z"
    status: int = 200
    headers: list[tuple[str, str]] = field(default_factory=lambda: [("Content-Type", "text/html")])
    kind: str = "response"  # response | revisit | request | metadata
    refers_to: Rec | None = None  # revisits: the record whose payload they repeat


def write_warc(path: Path, records: list[Rec], *, gzip: bool = True) -> Path:
    """A WARC/1.0 file as archiving tools write it, one gzip member per record."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=gzip)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "tests"}))
        for rec in records:
            http = StatusAndHeaders(f"{rec.status} X", rec.headers, protocol="HTTP/1.1")
            warc_headers = {"WARC-Date": rec.date}
            if rec.kind == "revisit":
                record = writer.create_revisit_record(
                    rec.url,
                    payload_digest(rec.refers_to.body),
                    rec.refers_to.url,
                    rec.refers_to.date,
                    http_headers=http,
                )
                record.rec_headers.replace_header("WARC-Date", rec.date)
            elif rec.kind == "response":
                record = writer.create_warc_record(
                    rec.url,
                    "response",
                    payload=BytesIO(rec.body),
                    length=len(rec.body),
                    http_headers=http,
                    warc_headers_dict=warc_headers,
                )
            else:
                record = writer.create_warc_record(
                    rec.url,
                    rec.kind,
                    payload=BytesIO(rec.body),
                    length=len(rec.body),
                    warc_content_type="text/plain",
                    warc_headers_dict=warc_headers,
                )
            writer.write_record(record)
    return path


def payload_digest(body: bytes) -> str:
    """The digest warcio writes: base32 SHA-1 of the payload."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()


def revisit_of(original: Rec, date: str) -> Rec:
    return Rec(original.url, date=date, kind="revisit", refers_to=original)


@pytest.fixture
def manifest(mirror_root) -> dict:
    return json.loads((mirror_root / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def pages(mirror_root, manifest) -> list[dict]:
    """Mirror pages with their bytes, in manifest order: {url_path, reference, body}."""
    out = []
    for item in manifest["responses"]:
        body = (mirror_root / item["path"]).read_bytes()
        out.append({**item, "body": body})
    return out


def foilog(*args, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FOILOG_")}
    return subprocess.run(
        [str(BIN / "foilog"), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


def import_warc(tmp_path: Path, *files, site: str | None = None, jobs: int = 1):
    args = ["import-warc", *files, "--db", tmp_path / "foi.db", "--pages-db", tmp_path / "pages.db"]
    if site:
        args += ["--site", site]
    return foilog(*args, "--jobs", jobs)


def rows(db_path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(db_path: Path) -> list[str]:
    """Every row of every table, for "nothing changed" checks."""
    conn = sqlite3.connect(db_path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()
