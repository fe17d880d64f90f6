"""Shared pieces of the reliability tests: the real CLI as a subprocess, the mirror on
loopback, and the comparison of an archive with a clean run's.

An archive "equals a clean run's" when every table a reader sees holds the same rows,
ignoring only when things happened (first_seen, fetched_at, ...), the crawl log, and
the host:port the crawl went through (the proxy's port is not the mirror's; for the
same reason record_sha256, a hash over the record including its URL, is left out: the
columns it summarises are compared one by one).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from foilog.fixture_site import serve_mirror

FOILOG = str(Path(sys.executable).parent / "foilog")
SITE_TOKEN = "SITE"

# What a reader sees, keyed so that row order and autoincrement ids do not matter.
# Attachment rows are keyed by (response_id, url), never by their integer id, which
# depends on which worker got there first.
FINGERPRINT_QUERIES = {
    "responses": "SELECT id, url, reference, title, month, published, outcome, ncnd,"
    " request_text, body_text, question_count, attachment_count, removed_at,"
    " content_sha256, parser_version, warnings FROM responses",
    "questions": "SELECT response_id, position, number, text, answer FROM questions",
    "response_exemptions": "SELECT response_id, position, section, subsection, citation,"
    " ncnd FROM response_exemptions",
    "links": "SELECT response_id, position, text, url FROM links",
    "attachments": "SELECT response_id, position, url, title, type, bytes, sha256,"
    " content_type, removed_at, text, error FROM attachments",
    # http_status is the last answer (200, or 304 on a later re-check): not content
    "attachment_state": "SELECT a.response_id, a.url, s.fetch_error,"
    " s.offsite, s.page_version, s.truncated, s.pages, s.notes"
    " FROM attachment_state s JOIN attachments a ON a.id = s.attachment_id",
    "attachment_sheets": "SELECT a.response_id, a.url, s.position, s.sheet, s.header,"
    " s.row_count, s.column_count FROM attachment_sheets s"
    " JOIN attachments a ON a.id = s.attachment_id",
    "attachment_rows": "SELECT a.response_id, a.url, r.sheet, r.row_number, r.cells"
    " FROM attachment_rows r JOIN attachments a ON a.id = r.attachment_id",
    "responses_fts": "SELECT count(*) FROM responses_fts",
}


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("FOILOG_")}


def foilog(*args, timeout: float = 180, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FOILOG, *map(str, args)],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=timeout,
        **kwargs,
    )


def refresh_args(base_url: str, where: Path, *extra) -> list[str]:
    return [
        "refresh",
        "--site",
        base_url,
        "--db",
        str(where / "foi.db"),
        "--pages-db",
        str(where / "pages.db"),
        "--rate",
        "0",
        "--concurrency",
        "4",
        *map(str, extra),
    ]


def fingerprint(db_path: Path, base_url: str) -> dict[str, list]:
    """Every reader-visible row, sorted, with the crawl's base URL replaced by SITE."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        out = {}
        for table, query in FINGERPRINT_QUERIES.items():
            rows = conn.execute(query).fetchall()
            out[table] = sorted(
                tuple(v.replace(base_url, SITE_TOKEN) if isinstance(v, str) else v for v in row)
                for row in rows
            )
        return out
    finally:
        conn.close()


def archive_diff(got: dict, want: dict) -> list[str]:
    """Short description of where two fingerprints differ (empty when equal)."""
    out = []
    for table in want:
        extra = sorted(set(got[table]) - set(want[table]))
        missing = sorted(set(want[table]) - set(got[table]))
        if len(got[table]) != len(set(got[table])):
            out.append(f"{table}: duplicate rows")
        if extra or missing:
            out.append(
                f"{table}: {len(missing)} missing e.g. {missing[:1]}; "
                f"{len(extra)} unexpected e.g. {extra[:1]}"
            )
    return out


def integrity(db_path: Path) -> str:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        return "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def raw_store_problems(pages_path: Path) -> list[tuple]:
    """Duplicate versions (same URL, same sha256 twice) and gaps in version numbers."""
    conn = sqlite3.connect(f"file:{pages_path}?mode=ro", uri=True)
    try:
        dupes = conn.execute(
            "SELECT url, sha256, COUNT(*) FROM pages GROUP BY url, sha256 HAVING COUNT(*) > 1"
        ).fetchall()
        gaps = conn.execute(
            "SELECT url, COUNT(*), MAX(version) FROM pages GROUP BY url"
            " HAVING COUNT(*) != MAX(version)"
        ).fetchall()
        return [("duplicate", *d) for d in dupes] + [("gap", *g) for g in gaps]
    finally:
        conn.close()


def orphan_problems(db_path: Path) -> list[str]:
    """A response row whose child rows are missing or half there."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute(
            "SELECT r.id, r.question_count, (SELECT COUNT(*) FROM questions q"
            " WHERE q.response_id = r.id) FROM responses r"
        ).fetchall()
        problems = [
            f"{rid}: question_count {want}, {got} question rows"
            for rid, want, got in rows
            if want != got
        ]
        dangling = conn.execute(
            "SELECT COUNT(*) FROM questions WHERE response_id NOT IN (SELECT id FROM responses)"
        ).fetchone()[0]
        if dangling:
            problems.append(f"{dangling} question rows without a response")
        return problems
    finally:
        conn.close()


@pytest.fixture(scope="session")
def clean_run(mirror_root, tmp_path_factory) -> dict:
    """One fault-free `foilog refresh` of the mirror: the archive every other run must equal."""
    where = tmp_path_factory.mktemp("clean")
    with serve_mirror(root=mirror_root) as site:
        proc = foilog(*refresh_args(site.base_url, where, "--json"))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert summary["failed"] == 0 and summary["new"] > 50
    return {
        "dir": where,
        "summary": summary,
        "fingerprint": fingerprint(where / "foi.db", site.base_url),
    }
