"""The fixture web server: `fixtures/site/` served over HTTP on loopback.

Behaves like the live site where it matters to a crawler: content types with
charsets, ETag / Last-Modified and 304s, gzip on request, HEAD, 301 to the
trailing-slash form, a full-chrome 404 page, the published-items lister rendered per
request, and optional deterministic faults (foilog/fixture_faults.py).

Tests drive it in-process:

    with serve_mirror() as site:
        httpx.get(site.base_url + "/robots.txt")
        site.add_response("/foi-ai/metropolitan-police/disclosure-2025/may-2025/new/",
                          b"<html>...", title="New", reference="01.FOI.25.000001")
        site.edit(url_path, new_bytes); site.remove(url_path, status=410)
        site.put("/SysSiteAssets/.../new.xlsx", data)  # a file, no lister entry
        site.request_log  # [(method, target, status), ...]
        site.set_challenge("js")  # bot protection (foilog/fixture_challenge.py)
        site.set_outage(404)  # every path answers 404 (a broken deploy)

Mutations live in memory only; nothing under the root is written.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.server import ThreadingHTTPServer
from pathlib import Path

from foilog.fixture_faults import Faults
from foilog.fixture_handler import MirrorHandler
from foilog.fixture_hosts import (
    absolute_to_prefix,
    host_items,
    rewrite_links,
    root_pages_by_host,
    split_host,
)
from foilog.fixture_lister import ListerItem, ListerQuery, render_lister

DEFAULT_ROOT = Path(__file__).resolve().parent.parent / "fixtures" / "site"
LIVE = "https://www.met.police.uk"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".xls": "application/vnd.ms-excel",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".doc": "application/msword",
    ".zip": "application/zip",
}
HIDDEN_PREFIXES = ("/_chrome/", "/_meta/", "/manifest.json")


@dataclass
class Resource:
    status: int
    body: bytes
    content_type: str
    last_modified: float | None = None  # seconds since the epoch
    location: str | None = None


@dataclass
class OverlayPage:
    body: bytes
    content_type: str
    last_modified: float


class MirrorState:
    """The site as served: files under root, plus in-memory additions and changes."""

    def __init__(self, root: Path, faults: Faults | None = None):
        self.root = root.resolve()
        manifest_path = self.root / "manifest.json"
        if not manifest_path.exists():
            raise FileNotFoundError(f"{manifest_path} missing: run fixtures/build_mirror.py first")
        self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        self.headers = json.loads(
            (self.root / "_meta" / "headers.json").read_text(encoding="utf-8")
        )
        self.templates = {
            name: (self.root / "_chrome" / name).read_text(encoding="utf-8")
            for name in ("lister_shell.html", "lister.html", "lister_item.html", "pagination.html")
        }
        self.faults = faults
        # bot protection in front of every path: None, "js" or "unpassable"
        # (foilog/fixture_challenge.py); `outage`: every path answers this status
        # (a site-wide 404 after a broken deploy, a 503 maintenance night)
        self.challenge: str | None = None
        self.challenge_prefix = "/"  # only paths starting with this are challenged
        self.challenge_log: list[str] = []
        self.outage: int | None = None
        self.lock = threading.Lock()
        self.overlay: dict[str, OverlayPage] = {}
        self.removed: dict[str, int] = {}
        self.added: list[ListerItem] = []
        self.changed_at = time.time()
        self.request_log: list[tuple[str, str, int]] = []
        self.fault_log: list[tuple[str, str, str]] = []
        self.lister_path = self.manifest.get(
            "lister_path", "/foi-ai/af/accessing-information/published-items/"
        )
        self.hosts = host_items(self.manifest)  # the other forces (foilog/fixture_hosts.py)
        # Pages a host serves from the mirror's root files (its round-robin answers).
        self.root_pages = {
            host: {e["url_path"] for e in entries}
            for host, entries in root_pages_by_host(self.manifest).items()
        }

    # -- test hooks -------------------------------------------------------------------
    def add_response(
        self,
        url_path: str,
        html_bytes: bytes,
        title: str,
        reference: str | None = None,
        published: str | None = None,
        content_type: str = "text/html; charset=utf-8",
    ) -> None:
        listed = published or time.strftime("%Y-%m-%d", time.gmtime())
        with self.lock:
            self.overlay[url_path] = OverlayPage(html_bytes, content_type, time.time())
            self.removed.pop(url_path, None)
            self.added = [i for i in self.added if i.url_path != url_path]
            self.added.insert(0, ListerItem(url_path, title, listed, "Disclosure log"))
            self.changed_at = time.time()

    def edit(self, url_path: str, new_html_bytes: bytes) -> None:
        """Change the body of an existing page or file (a response, an attachment)."""
        with self.lock:
            current = self.overlay.get(url_path)
            if current is None and not self._stored_file(url_path).is_file():
                raise KeyError(f"no page or file at {url_path}")
            ctype = current.content_type if current else self._stored_type(url_path)
            self.overlay[url_path] = OverlayPage(new_html_bytes, ctype, time.time())
            self.changed_at = time.time()

    def put(self, url_path: str, body: bytes, content_type: str | None = None) -> None:
        """Serve a new or replaced file (an attachment, say) without a lister entry."""
        ctype = content_type or self._stored_type(url_path)
        with self.lock:
            self.overlay[url_path] = OverlayPage(body, ctype, time.time())
            self.removed.pop(url_path, None)
            self.changed_at = time.time()

    def set_challenge(self, mode: str | None, prefix: str = "/") -> None:
        """Put a challenge in front of every path starting with `prefix` (None: off)."""
        from foilog.fixture_challenge import MODES

        if mode is not None and mode not in MODES:
            raise ValueError(f"challenge mode must be one of {MODES} or None")
        self.challenge, self.challenge_prefix = mode, prefix

    def set_outage(self, status: int | None) -> None:
        """Every path (robots.txt, lister, pages) answers `status` with the error page."""
        self.outage = status

    def remove(self, url_path: str, status: int = 404) -> None:
        if status not in (404, 410):
            raise ValueError("status must be 404 or 410")
        with self.lock:
            self.removed[url_path] = status
            self.changed_at = time.time()

    # -- lookup -----------------------------------------------------------------------
    def _stored_file(self, url_path: str) -> Path:
        target = self.root / url_path.lstrip("/")
        return target / "index.html" if url_path.endswith("/") else target

    def _stored_type(self, url_path: str) -> str:
        if url_path in self.headers and "content_type" in self.headers[url_path]:
            return self.headers[url_path]["content_type"]
        suffix = Path(url_path).suffix.lower() if not url_path.endswith("/") else ".html"
        return TYPES.get(suffix) or mimetypes.guess_type(url_path)[0] or "application/octet-stream"

    def lister_items(self, host: str | None = None) -> list[ListerItem]:
        with self.lock:
            added, removed = list(self.added), dict(self.removed)
        if host is not None:  # another force's lister: its items, and pages added there
            mine = [i for i in added if i.url_path.startswith(f"/{host}/")]
            paths = {i.url_path for i in mine}
            base = [i for i in self.hosts[host] if i.url_path not in paths]
            base.sort(key=lambda i: (i.listed, i.url_path), reverse=True)
            return [i for i in mine + base if i.url_path not in removed]
        added = [i for i in added if not any(i.url_path.startswith(f"/{h}/") for h in self.hosts)]
        base = [
            ListerItem(r["url_path"], r["title"], r["listed"], "Disclosure log")
            for r in self.manifest["responses"]
        ]
        base += [
            ListerItem(s["url_path"], s["title"], s["listed"], s["doc_type"])
            for s in self.manifest["publication_scheme"]
        ]
        added_paths = {i.url_path for i in added}
        base = [i for i in base if i.url_path not in added_paths]
        base.sort(key=lambda i: (i.listed, i.url_path), reverse=True)
        return [i for i in added + base if i.url_path not in removed]

    def render_lister(self, params: dict[str, list[str]], host: str | None = None) -> Resource:
        path = f"/{host}{self.lister_path}" if host else self.lister_path
        body = render_lister(
            self.lister_items(host), ListerQuery.from_params(params), path, self.templates
        )
        return Resource(200, body.encode("utf-8"), TYPES[".html"], self.changed_at)

    def error_page(self, status: int) -> Resource:
        page = self.root / "_chrome" / f"{status}.html"
        if not page.is_file():  # e.g. a 503 maintenance night: the generic error page
            page = self.root / "_chrome" / "500.html"
        return Resource(status, page.read_bytes(), TYPES[".html"])

    def resolve(self, path: str, query: str, base_url: str) -> Resource:
        """What the site answers for a (decoded, normalised) path."""
        if self.outage:
            return self.error_page(self.outage)
        where = split_host(path, self.hosts)
        if where.host is not None:
            return self._resolve_on_host(where.host, where.rest, path, query, base_url)
        path = where.rest  # /www.met.police.uk/... is the root site
        if path == self.lister_path:
            from urllib.parse import parse_qs

            return self.render_lister(parse_qs(query))
        if path + "/" == self.lister_path:
            return Resource(
                301, b"", TYPES[".html"], location=self.lister_path + (f"?{query}" if query else "")
            )
        if path.startswith(HIDDEN_PREFIXES) or path.endswith(".expected.json"):
            return self.error_page(404)
        with self.lock:
            gone = self.removed.get(path)
            page = self.overlay.get(path)
            slash_page = path + "/" in self.overlay and path + "/" not in self.removed
        if gone:
            return self.error_page(gone)
        if page:
            return Resource(200, page.body, page.content_type, page.last_modified)
        return self._file(path, query, base_url, slash_page)

    def _resolve_on_host(
        self, host: str, rest: str, path: str, query: str, base_url: str
    ) -> Resource:
        """Another force's site under /<host>/ (see foilog/fixture_hosts.py)."""
        from urllib.parse import parse_qs

        if rest == self.lister_path:
            return self.render_lister(parse_qs(query), host)
        with self.lock:
            gone = self.removed.get(path)
            page = self.overlay.get(path)
        if gone:
            return self.error_page(gone)
        if page:
            return Resource(200, page.body, page.content_type, page.last_modified)
        stored = rest if rest in self.root_pages.get(host, ()) else path
        resource = self._file(stored, query, base_url, slash_page=False)
        if resource.status != 200:
            return resource
        if rest in ("/robots.txt", "/sitemap.xml"):
            resource.body = absolute_to_prefix(resource.body, host, base_url)
        elif resource.content_type.startswith("text/html"):
            resource.body = rewrite_links(resource.body, host)
        return resource

    def _file(self, path: str, query: str, base_url: str, slash_page: bool) -> Resource:
        target = self.root / path.lstrip("/")
        if path.endswith("/"):
            target = target / "index.html"
        elif not target.is_file() and (slash_page or (target / "index.html").is_file()):
            location = path + "/" + (f"?{query}" if query else "")
            return Resource(301, b"", TYPES[".html"], location=location)
        if not target.is_file() or not target.resolve().is_relative_to(self.root):
            return self.error_page(404)
        body = target.read_bytes()
        ctype = self._stored_type(path)
        if path in ("/robots.txt", "/sitemap.xml"):
            # Absolute URLs in these two point at whichever host is serving the mirror.
            body = body.replace(LIVE.encode(), base_url.encode())
        meta = self.headers.get(path, {})
        modified = meta.get("last_modified")
        when = parsedate_to_datetime(modified).timestamp() if modified else target.stat().st_mtime
        return Resource(200, body, ctype, when)


class MirrorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: MirrorState, verbose: bool = False):
        self.state = state
        self.verbose = verbose
        super().__init__(address, MirrorHandler)

    def handle_error(self, request, client_address) -> None:
        # A client hanging up mid-response (or a reset we injected) is not a server error.
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    @property
    def base_url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"


class RunningMirror:
    """What `serve_mirror()` yields: the base URL, the test hooks and the request log."""

    def __init__(self, server: MirrorServer):
        self.server = server
        self.state = server.state
        self.base_url = server.base_url
        self.add_response = self.state.add_response
        self.edit = self.state.edit
        self.put = self.state.put
        self.remove = self.state.remove
        self.set_challenge = self.state.set_challenge
        self.set_outage = self.state.set_outage

    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        return self.state.request_log

    @property
    def fault_log(self) -> list[tuple[str, str, str]]:
        return self.state.fault_log

    def url(self, path: str) -> str:
        return self.base_url + path


def make_server(
    root: Path | str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | str | None = None,
    verbose: bool = False,
    challenge: str | None = None,
) -> MirrorServer:
    if isinstance(faults, str):
        faults = Faults.parse(faults)
    state = MirrorState(Path(root) if root else DEFAULT_ROOT, faults)
    state.set_challenge(challenge)
    return MirrorServer((host, port), state, verbose=verbose)


@contextlib.contextmanager
def serve_mirror(
    root: Path | str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    faults: Faults | str | None = None,
    challenge: str | None = None,
) -> Iterator[RunningMirror]:
    """Serve the mirror in a background thread for the duration of a `with` block."""
    server = make_server(root, host, port, faults, challenge=challenge)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="fixture-site",
        daemon=True,
    )
    thread.start()
    try:
        yield RunningMirror(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
