"""Servers for the crawler tests: the real fixture mirror, and a tiny hostile one.

The hostile server does what the mirror does not offer (redirects off-site, gzip
bombs, huge bodies, wrong content types, robots rules): each test registers the
routes it needs.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from foilog.settings import Settings

DETAIL = "/foi-ai/metropolitan-police/disclosure-2025/may-2025/{}/"


@pytest.fixture
def manifest(mirror_root) -> dict:
    return json.loads((mirror_root / "manifest.json").read_text(encoding="utf-8"))


def settings_for(base_url: str, tmp_path: Path, **overrides) -> Settings:
    values = dict(
        site=base_url,
        db_path=tmp_path / "foi.db",
        pages_path=tmp_path / "pages.db",
        rate=0,
        concurrency=4,
        max_attempts=4,
        max_retry_delay=10,
    )
    values.update(overrides)
    return Settings.from_env(**values)


def archive_rows(db_path: Path) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(
            "SELECT id, reference, content_sha256, removed_at FROM responses ORDER BY id"
        ).fetchall()
    finally:
        conn.close()


class Reply:
    def __init__(
        self,
        status=200,
        body=b"",
        headers=None,
        *,
        length: int | None = None,
        chunks: list[bytes] | None = None,
    ):
        self.status, self.body, self.headers = status, body, dict(headers or {})
        self.length = length  # announce a Content-Length different from the body
        self.chunks = chunks  # send chunked, these chunks


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        server.log.append(self.path)
        route: Callable[[BaseHTTPRequestHandler], Reply] | Reply | None = server.routes.get(
            self.path.split("?")[0]
        )
        reply = route(self) if callable(route) else route
        if reply is None:
            reply = Reply(404, b"not here", {"Content-Type": "text/html"})
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if reply.chunks is not None:
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for chunk in reply.chunks:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
            return
        length = reply.length if reply.length is not None else len(reply.body)
        self.send_header("Content-Length", str(length))
        self.end_headers()
        try:
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            pass
        if length != len(reply.body):
            self.close_connection = True


class HostileServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), HostileHandler)
        self.routes: dict = {
            "/robots.txt": Reply(
                200, b"User-agent: *\nDisallow: /private/\n", {"Content-Type": "text/plain"}
            )
        }
        self.log: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def handle_error(self, request, client_address) -> None:
        pass  # the client hanging up on a hostile reply is the point of most tests


@pytest.fixture
def hostile():
    server = HostileServer()
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def html_page(text: str = "hello") -> bytes:
    return f"<!doctype html><html><body><main><p>{text}</p></main></body></html>".encode()


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


# Module-level, so a spawned parse child can import them by name.


def parser_with_a_bug(body: bytes, url: str):
    """The real parser, except on the URL named in FOILOG_TEST_BAD_URL (a stand-in bug)."""
    import os

    from parsers import parse_response

    if url.endswith(os.environ.get("FOILOG_TEST_BAD_URL", "\0")):
        raise IndexError("list index out of range")
    return parse_response(body, url)


def sleepy_parse(body: bytes, url: str) -> str:
    """Spins for `body` seconds: a page the parser cannot finish in time."""
    import time

    time.sleep(float(body))
    return url


def dying_parse(body: bytes, url: str) -> str:
    """Ends the parser process on `body` b"die" (as a crash or the OOM killer would)."""
    import os

    if body == b"die":
        os._exit(3)
    return url
