"""The fixture web server, started for real on a free loopback port."""

from __future__ import annotations

import json
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from foilog.fixture_faults import Faults, FaultSpecError
from foilog.fixture_site import serve_mirror

SITE = Path(__file__).resolve().parent.parent / "fixtures" / "site"
LISTER = "/foi-ai/af/accessing-information/published-items/"
SEED = "/foi-ai/metropolitan-police/disclosure-2024/august-2024/live-video-streaming-via-cellular-technology/"
FOILOG = str(Path(sys.executable).parent / "foilog")
NEW = "/foi-ai/metropolitan-police/disclosure-2026/january---2026/brand-new-response/"


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    """A copy of the mirror with one attachment of each type added."""
    root = tmp_path_factory.mktemp("site") / "site"
    shutil.copytree(SITE, root)
    assets = (
        root
        / "SysSiteAssets"
        / "foi-media"
        / "metropolitan-police"
        / "disclosure_2024"
        / "august_2024"
    )
    assets.mkdir(parents=True, exist_ok=True)
    for ext, data in {
        "xlsx": b"PK\x03\x04xlsx",
        "pdf": b"%PDF-1.4\n",
        "docx": b"PK\x03\x04docx",
        "csv": b"a,b\n1,2\n",
    }.items():
        (assets / f"test-file.{ext}").write_bytes(data)
    return root


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))


@pytest.fixture
def site(root):
    with serve_mirror(root=root) as running:
        yield running


def titles(html: str) -> list[str]:
    return re.findall(r'search-result__title"><a href="([^"]+)"', html)


def test_content_types_and_charsets(site, manifest):
    def ctype(path: str) -> str:
        return httpx.get(site.base_url + path).headers["content-type"]

    assert ctype(SEED) == "text/html; charset=utf-8"
    assert ctype("/robots.txt").startswith("text/plain")
    assert ctype("/sitemap.xml").startswith("application/xml")
    base = "/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/august_2024/test-file."
    assert (
        ctype(base + "xlsx") == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert ctype(base + "pdf") == "application/pdf"
    assert (
        ctype(base + "docx")
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert ctype(base + "csv").startswith("text/csv")
    declared = {
        ctype(r["url_path"]) for r in manifest["responses"] if r["encoding"] == "windows-1252"
    }
    assert {
        "text/html; charset=windows-1252",
        "text/html",
        "text/html; charset=iso-8859-1",
    } <= declared


def test_conditional_requests_get_304(site):
    first = httpx.get(site.base_url + SEED)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    again = httpx.get(site.base_url + SEED, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert (
        httpx.get(site.base_url + SEED, headers={"If-Modified-Since": modified}).status_code == 304
    )
    assert httpx.get(site.base_url + SEED, headers={"If-None-Match": '"other"'}).status_code == 200
    old = "Mon, 01 Jan 2001 00:00:00 GMT"
    assert httpx.get(site.base_url + SEED, headers={"If-Modified-Since": old}).status_code == 200


def test_gzip_head_and_redirect(site):
    zipped = httpx.get(site.base_url + SEED, headers={"Accept-Encoding": "gzip"})
    plain = httpx.get(site.base_url + SEED, headers={"Accept-Encoding": "identity"})
    assert zipped.headers["content-encoding"] == "gzip" and "content-encoding" not in plain.headers
    assert zipped.content == plain.content and int(zipped.headers["content-length"]) < len(
        plain.content
    )
    head = httpx.head(site.base_url + SEED, headers={"Accept-Encoding": "identity"})
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(plain.content)
    moved = httpx.get(site.base_url + SEED.rstrip("/") + "?x=1")
    assert moved.status_code == 301 and moved.headers["location"] == SEED + "?x=1"
    lister = httpx.get(site.base_url + LISTER.rstrip("/") + "?page=2")
    assert lister.status_code == 301 and lister.headers["location"] == LISTER + "?page=2"


def test_unknown_path_is_404_with_full_chrome(site):
    missing = httpx.get(
        site.base_url + "/foi-ai/metropolitan-police/disclosure-2024/august-2024/nope/"
    )
    assert missing.status_code == 404
    assert "Page not found" in missing.text and "Accept additional cookies" in missing.text
    for hidden in ("/manifest.json", "/_meta/headers.json", "/_chrome/404.html"):
        assert httpx.get(site.base_url + hidden).status_code == 404


def raw_status(base_url: str, target: str) -> int:
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        return int(sock.recv(64).split()[1])


def test_path_traversal_is_refused(site):
    assert raw_status(site.base_url, "/../../etc/passwd") == 400
    assert raw_status(site.base_url, "/foi-ai/%2e%2e/%2e%2e/%2e%2e/etc/passwd") == 400
    assert raw_status(site.base_url, "/robots.txt") == 200


def test_lister_pages_newest_first_and_filters(site, manifest):
    responses = {r["url_path"] for r in manifest["responses"]}
    scheme = {s["url_path"] for s in manifest["publication_scheme"]}
    seen, page = [], 1
    while True:
        r = httpx.get(site.base_url + LISTER, params={"page": page})
        found = titles(r.text)
        if not found:
            break
        assert len(found) <= 20
        seen += found
        page += 1
    assert "Next" not in r.text
    normalised = [u if u.endswith("/") else u + "/" for u in seen]
    assert set(normalised) == responses | scheme and len(normalised) == len(set(normalised))
    dates = re.findall(
        r"Published: (?:<time datetime=\"[^\"]+\">)?(\d+ \w+ \d{4})",
        httpx.get(site.base_url + LISTER).text,
    )
    parsed = [time.strptime(d, "%d %B %Y") for d in dates]
    assert parsed == sorted(parsed, reverse=True) and len(parsed) == 20
    first = httpx.get(site.base_url + LISTER, params={"dt": "Disclosure log"}).text
    assert 'rel="next"' in first and "Publication scheme</span>" not in first
    only_scheme = httpx.get(site.base_url + LISTER, params={"dt": "Publication scheme"}).text
    assert len(titles(only_scheme)) == len(scheme) and f"of {len(scheme)} results" in only_scheme
    hits = titles(httpx.get(site.base_url + LISTER, params={"q": "facial RECOGNITION"}).text)
    assert hits and all("facial-recognition" in h for h in hits)


def test_add_edit_remove_while_running(site, root):
    before = sorted(p for p in root.rglob("*"))
    site.add_response(
        NEW,
        b"<html><body><h1>New</h1></body></html>",
        title="Brand new response",
        reference="01.FOI.26.000001",
        published="2020-01-01",
    )
    listed = titles(httpx.get(site.base_url + LISTER, params={"dt": "Disclosure log"}).text)
    assert listed[0] == NEW
    page = httpx.get(site.base_url + NEW)
    assert page.status_code == 200 and b"<h1>New</h1>" in page.content
    site.edit(SEED, b"<html><body>edited</body></html>")
    edited = httpx.get(site.base_url + SEED)
    assert edited.text == "<html><body>edited</body></html>"
    site.remove(NEW, status=410)
    site.remove(SEED)
    assert httpx.get(site.base_url + NEW).status_code == 410
    assert httpx.get(site.base_url + SEED).status_code == 404
    everything = []
    for n in range(1, 8):
        everything += titles(httpx.get(site.base_url + LISTER, params={"page": n}).text)
    assert NEW not in everything and SEED not in everything
    asset = "/SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/august_2024/test-file.csv"
    site.edit(asset, b"a,b\n3,4\n")
    changed = httpx.get(site.base_url + asset)
    assert changed.content == b"a,b\n3,4\n" and changed.headers["content-type"].startswith(
        "text/csv"
    )
    site.put(asset.replace("test-file", "extra"), b"%PDF-1.4 x", "application/pdf")
    assert httpx.get(site.base_url + asset.replace("test-file", "extra")).content == b"%PDF-1.4 x"
    with pytest.raises(KeyError):
        site.edit("/nowhere/", b"x")
    assert sorted(p for p in root.rglob("*")) == before
    lister_hits = [entry for entry in site.request_log if entry[1].startswith(LISTER)]
    assert len(lister_hits) == 8 and all(status == 200 for _, _, status in lister_hits)


@pytest.mark.parametrize("kind", ["429", "503", "reset", "truncate", "slow"])
def test_each_fault_kind_happens(root, kind):
    spec = f"rate=1.0,kinds={kind},seed=3,slow_s=0.3,retry_after=2"
    with serve_mirror(root=root, faults=spec) as site:
        started = time.monotonic()
        if kind in ("reset", "truncate"):
            with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
                httpx.get(site.base_url + SEED, headers={"Accept-Encoding": "identity"})
            with pytest.raises((httpx.ReadError, httpx.RemoteProtocolError)):
                httpx.head(site.base_url + SEED)  # no body to cut: the headers are cut
            return
        r = httpx.get(site.base_url + SEED)
        if kind == "slow":
            assert r.status_code == 200 and time.monotonic() - started >= 0.3
            assert r.content == (root / SEED.lstrip("/") / "index.html").read_bytes()
        else:
            assert r.status_code == int(kind)
            assert r.headers.get("retry-after") == ("2" if kind == "429" else None)
        assert site.fault_log == [("GET", SEED, kind)]


def fault_sequence(root: Path, spec: str) -> tuple[list, dict]:
    bodies = {}
    with serve_mirror(root=root, faults=spec) as site:
        with httpx.Client(timeout=5) as client:
            for path in [SEED, "/robots.txt", LISTER, SEED, SEED, "/sitemap.xml"] * 3:
                try:
                    r = client.get(site.base_url + path)
                    if r.status_code == 200:
                        bodies.setdefault(path, set()).add(r.content)
                except httpx.TransportError:
                    pass
        return list(site.fault_log), bodies


def test_faults_are_deterministic_and_never_change_content(root):
    spec = "rate=0.5,kinds=429+503+reset+truncate,seed=11"
    first, bodies = fault_sequence(root, spec)
    again, _ = fault_sequence(root, spec)
    assert first == again and 3 <= len(first) <= 15
    other, _ = fault_sequence(root, spec.replace("seed=11", "seed=12"))
    assert other != first
    assert bodies[SEED] == {(root / SEED.lstrip("/") / "index.html").read_bytes()}


def test_fault_spec_parsing():
    f = Faults.parse("rate=0.2,kinds=429+slow,seed=7,slow_s=2,retry_after=1,first=2")
    assert (f.rate, f.kinds, f.seed, f.slow_s, f.retry_after, f.first) == (
        0.2,
        ("429", "slow"),
        7,
        2.0,
        1,
        2,
    )
    assert Faults.parse("") is None
    for bad in ("rate=2", "kinds=teapot", "speed=1", "rate"):
        with pytest.raises(FaultSpecError):
            Faults.parse(bad)
    limited = Faults.parse("rate=1,first=2")
    assert [limited.decide("GET", "/a") is not None for _ in range(4)] == [True, True, False, False]


def test_robots_and_sitemap_point_at_the_serving_host(site, manifest):
    robots = httpx.get(site.base_url + "/robots.txt").text
    assert (
        "Disallow: /search/" in robots
        and "Disallow: /foi-ai/metropolitan-police/private/" in robots
    )
    assert f"Sitemap: {site.base_url}/sitemap.xml" in robots
    sitemap = httpx.get(site.base_url + "/sitemap.xml").text
    locs = set(re.findall(r"<loc>([^<]+)</loc>", sitemap))
    assert {site.base_url + r["url_path"] for r in manifest["responses"]} <= locs
    assert not any("/private/" in loc for loc in locs)
    private = httpx.get(site.base_url + "/foi-ai/metropolitan-police/private/")
    assert private.status_code == 200 and "draft-" in private.text


def test_command_line_serves_and_stops_cleanly(root):
    proc = subprocess.Popen(
        [FOILOG, "fixture-site", "--port", "0", "--quiet", "--root", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+", line).group(0)
        assert httpx.get(url + "/robots.txt").status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=10)
    assert proc.returncode == 0 and "Traceback" not in err
    bad = subprocess.run(
        [FOILOG, "fixture-site", "--faults", "rate=9"], capture_output=True, text=True, timeout=30
    )
    assert bad.returncode != 0 and "rate must be between 0 and 1" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_lister_etag_changes_when_the_site_changes(site):
    first = httpx.get(site.base_url + LISTER)
    same = httpx.get(site.base_url + LISTER, headers={"If-None-Match": first.headers["etag"]})
    assert same.status_code == 304
    site.add_response(NEW, b"<html></html>", title="Brand new response")
    changed = httpx.get(site.base_url + LISTER, headers={"If-None-Match": first.headers["etag"]})
    assert changed.status_code == 200 and titles(changed.text)[0] == NEW
