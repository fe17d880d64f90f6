"""`foilog fetch` against the real fixture server honours RFC 9309 wildcard rules:
the mirror's robots.txt has `Disallow: /foi-ai/*/draft-*`, which the standard
library's parser cannot read."""

from __future__ import annotations

import sqlite3

from tests.scraper.test_cli import foilog

DRAFT = "/foi-ai/metropolitan-police/disclosure-2024/august-2024/draft-firearms-officer-names/"


def _args(mirror, tmp_path, path):
    return [
        "fetch",
        mirror.base_url + path,
        "--site",
        mirror.base_url,
        "--db",
        tmp_path / "foi.db",
        "--pages-db",
        tmp_path / "pages.db",
    ]


def test_fetch_refuses_a_page_a_wildcard_rule_disallows(mirror, manifest, tmp_path):
    proc = foilog(*_args(mirror, tmp_path, DRAFT))
    assert proc.returncode == 1, proc.stderr
    assert "disallowed by robots.txt" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    # never requested: the server saw robots.txt and nothing under the draft path
    assert not any(DRAFT in path for _, path, _ in mirror.request_log), mirror.request_log

    allowed = manifest["responses"][0]["url_path"]
    proc = foilog(*_args(mirror, tmp_path, allowed))
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(tmp_path / "foi.db")
    try:
        urls = [row[0] for row in conn.execute("SELECT url FROM responses")]
    finally:
        conn.close()
    assert urls == [mirror.base_url + allowed]
