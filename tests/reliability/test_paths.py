"""URLs never become file paths unsanitised.

Where a URL meets the file system: the fixture server maps request paths to files under
its root; `foilog serve` maps `/-/foilog/<path>` to its static directory (and Datasette
its own `/-/static/`). The crawler and the raw page store keep URLs only as SQLite keys,
never as file names; the archive turns a URL path into the response id, which becomes a
URL path again in `/response/<id>`. Each is attacked with `../`, encoded `%2e%2e` and
`%2f`, absolute paths, backslashes, NUL and a symlink out of the root, over raw sockets
so no client library tidies the request first.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from foilog.child_server import start_server
from foilog.fixture_site import serve_mirror
from tests.reliability.conftest import (
    FOILOG,
    clean_env,
    foilog,
    refresh_args,
)
from tests.reliability.hostile_site import DETAIL, HostileSite, Reply

CANARY = "CANARY-7f3a-outside-the-root"
PASSWD = "root:x:0:0"
SOURCE = "foi-ai/metropolitan-police/disclosure-2023/december-2023/facial-recognition-technology-protests/index.html"
HOSTILE_SLUGS = [
    "..%2f..%2f..%2fetc%2fpasswd",
    "%2e%2e",
    "nul%00byte",
    "%2fetc%2fpasswd",
    "back%5c..%5cslash",
    "plain-page",
]


def raw_get(port: int, target: str) -> tuple[int, bytes]:
    """GET exactly `target` (no client normalisation); (status, whole answer)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode(
                "latin-1"
            )
        )
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    answer = b"".join(chunks)
    try:
        status = int(answer.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = 0  # the server closed without an HTTP answer: refused too
    return status, answer


def traversals(outside: str) -> list[str]:
    """Ways of naming `outside` (a path relative to the parent of the served root)."""
    enc = outside.replace("/", "%2f")
    return [
        f"/../{outside}",
        f"/../../../../..{'/' + outside}",
        f"/%2e%2e/{outside}",
        f"/%2E%2E/{outside}",
        f"/..%2f{enc}",
        f"/foi-ai/../../{outside}",
        f"/foi-ai/%2e%2e/%2e%2e/{outside}",
        f"/..\\{outside}",
        f"/%5c..%5c{outside}",
        f"//{outside}",
        f"/.%2e/{outside}",
        f"/%252e%252e/{outside}",
        f"/foi-ai/%00/../../{outside}",
        f"/robots.txt%00/../../{outside}",
    ]


@pytest.fixture(scope="module")
def planted(mirror_root) -> Path:
    """A secret next to the mirror root and a symlink inside it that points there."""
    (mirror_root.parent / "secret.txt").write_text(CANARY)
    link = mirror_root / "evil-link"
    if not link.exists():
        link.symlink_to(mirror_root.parent, target_is_directory=True)
    return mirror_root


def test_the_fixture_server_never_serves_a_file_outside_its_root(planted):
    targets = (
        traversals("secret.txt")
        + traversals("etc/passwd")
        + [
            "/evil-link/secret.txt",
            "/evil-link/",
            "/etc/passwd",
            "/%2fetc%2fpasswd",
            "http://127.0.0.1/../secret.txt",
            "/_meta/headers.json",
            "/manifest.json",
            "/_chrome/404.html",
            "/foi-ai/%2e%2e/manifest.json",
        ]
    )
    with serve_mirror(root=planted) as site:
        port = int(site.base_url.rsplit(":", 1)[1])
        answers = {t: raw_get(port, t) for t in targets}
        assert raw_get(port, "/robots.txt")[0] == 200  # the server does serve files
    leaks = [
        t
        for t, (_, body) in answers.items()
        if CANARY.encode() in body or PASSWD.encode() in body or b'"content_type"' in body
    ]
    assert leaks == []
    assert all(status in (0, 301, 400, 404) for status, _ in answers.values()), {
        t: s for t, (s, _) in answers.items() if s not in (0, 301, 400, 404)
    }


@pytest.fixture(scope="module")
def crawled(mirror_root, tmp_path_factory):
    """A crawl of a site that lists detail URLs built to become odd paths."""
    where = tmp_path_factory.mktemp("paths")
    page = (mirror_root / SOURCE).read_bytes()
    with HostileSite(mirror_root / "_chrome") as site:
        for slug in HOSTILE_SLUGS:
            site.pages[DETAIL.format(slug)] = Reply(200, page)
        proc = foilog(*refresh_args(site.base_url, where, "--json"))
    assert proc.returncode in (0, 1, 3), proc.stderr[-2000:]
    return where


def test_crawling_hostile_urls_writes_no_file_but_the_two_databases(crawled):
    names = {p.name for p in crawled.iterdir()}
    assert names <= {
        "foi.db",
        "foi.db-wal",
        "foi.db-shm",
        "foi.db.lock",
        "pages.db",
        "pages.db-wal",
        "pages.db-shm",
    }, names


@pytest.fixture(scope="module")
def served(crawled):
    argv = [FOILOG, "serve", "--db", str(crawled / "foi.db"), "--port", "0"]
    with start_server(argv, env=clean_env()) as server:
        yield server.port


def test_datasette_static_routes_never_serve_a_file_outside_their_directory(served):
    # the repository's own files sit above plugins/static: metadata.yml, plugins/app.py
    targets = []
    for prefix in ("/-/foilog", "/-/static", "/-/static-plugins/foilog"):
        targets += [prefix + t for t in traversals("metadata.yml")]
        targets += [prefix + t for t in traversals("app.py")]
        targets += [prefix + t for t in traversals("etc/passwd")]
        targets += [prefix + "/" + "../" * 12 + "etc/passwd", prefix + "/%2fetc%2fpasswd"]
    repo = Path(__file__).resolve().parents[2]
    secrets = [(repo / "metadata.yml").read_bytes()[:200], b"def build_datasette", PASSWD.encode()]
    answers = {t: raw_get(served, t) for t in targets}
    leaks = [t for t, (_, body) in answers.items() if any(s in body for s in secrets)]
    assert leaks == []
    assert raw_get(served, "/-/foilog/foilog.css")[0] == 200  # the route does serve files


def _ids(crawled) -> list[str]:
    conn = sqlite3.connect(crawled / "foi.db")
    try:
        return [r[0] for r in conn.execute("SELECT id FROM responses ORDER BY id")]
    finally:
        conn.close()


def _dot_segments(rid: str) -> bool:
    return any(seg in (".", "..") for seg in rid.split("/"))


def _broken_links(port: int, ids: list[str]) -> list[tuple]:
    broken = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        for rid in ids:
            # the link exactly as the plugin writes it; httpx, like a browser, resolves
            # dot segments before sending
            link = "/response/" + quote(rid, safe="/")
            status = client.get(link).status_code
            if status != 200:
                broken.append((rid, link, status))
    return broken


def test_every_archived_response_opens_at_its_own_link(crawled, served):
    ids = [rid for rid in _ids(crawled) if not _dot_segments(rid)]
    assert any("plain-page" in rid for rid in ids)
    assert _broken_links(served, ids) == []


def test_no_hostile_url_becomes_an_id_with_dot_segments_nul_or_backslash(crawled, served):
    """Was a bug: .../may-2025/%2e%2e/ became the id '.../may-2025/..', whose link resolved
    elsewhere; such URLs are no longer items (fixed in parsers/listing.py)."""
    odd = [rid for rid in _ids(crawled) if _dot_segments(rid) or "\0" in rid or "\\" in rid]
    assert odd == []
    assert _broken_links(served, _ids(crawled)) == []
