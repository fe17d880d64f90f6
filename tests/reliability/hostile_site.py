"""A small purpose-built site on loopback that looks like the MPS platform to the crawler
(robots.txt, the published-items lister, detail pages) but whose pages misbehave.

The lister is rendered with the mirror's own templates (foilog.fixture_lister), so the
crawler finds every hostile page the way it finds real ones. Each detail path maps to
a `Reply`; `log` records every request target, so a test can prove a page was never
asked for.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from foilog.fixture_lister import ListerItem, ListerQuery, render_lister

LISTER = "/foi-ai/af/accessing-information/published-items/"
DETAIL = "/foi-ai/metropolitan-police/disclosure-2025/may-2025/{}/"
HTML = "text/html; charset=utf-8"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=lambda: {"Content-Type": HTML})
    length: int | None = None  # a Content-Length other than len(body)
    chunks: object = None  # a callable giving bytes chunks: sent chunked, no Content-Length


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:
        site: HostileSite = self.server.site
        site.log.append(self.path)
        reply = site.reply_for(self.path)
        self.send_response(reply.status)
        for key, value in reply.headers.items():
            self.send_header(key, value)
        try:
            if reply.chunks is not None:
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in reply.chunks():
                    self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                self.wfile.write(b"0\r\n\r\n")
                return
            self.send_header(
                "Content-Length", str(reply.length if reply.length is not None else len(reply.body))
            )
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the crawler hung up on us: the point of a test


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass  # a client aborting a hostile reply is expected


class HostileSite:
    """`with HostileSite(chrome_dir) as site: site.pages[path] = Reply(...)`."""

    def __init__(self, chrome_dir: Path, host: str = "127.0.0.1") -> None:
        self.templates = {
            name: (chrome_dir / name).read_text(encoding="utf-8")
            for name in ("lister_shell.html", "lister.html", "lister_item.html", "pagination.html")
        }
        self.pages: dict[str, Reply] = {}
        self.robots = "User-agent: *\nAllow: /\n"
        self.lister = None  # optional: (query string) -> Reply, replacing the rendered lister
        self.log: list[str] = []
        self._server = _Server((host, 0), _Handler)
        self._server.site = self
        self.base_url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> HostileSite:
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reply_for(self, target: str) -> Reply:
        parts = urlsplit(target)
        if parts.path == "/robots.txt":
            return Reply(200, self.robots.encode(), {"Content-Type": "text/plain"})
        if parts.path == LISTER and self.lister is not None:
            return self.lister(parts.query)
        if parts.path == LISTER:
            items = [
                ListerItem(path, f"Item {i}", "2025-05-01", "Disclosure log")
                for i, path in enumerate(sorted(self.pages))
            ]
            body = render_lister(
                items, ListerQuery.from_params(parse_qs(parts.query)), LISTER, self.templates
            )
            return Reply(200, body.encode("utf-8"))
        reply = self.pages.get(parts.path)
        return reply if reply is not None else Reply(404, b"<html><body>Not found</body></html>")
