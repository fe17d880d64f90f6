"""`foilog reparse` as the operator runs it: settings from the environment, the
refresh lock, and files that are not SQLite, each a one-line error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from db.pages import PageStore
from scraper.lock import CrawlLock
from tests.archive.build import BASE_URL, SITE, manifest

FOILOG = str(Path(sys.executable).parent / "foilog")


@pytest.fixture
def pages(tmp_path) -> Path:
    path = tmp_path / "pages.db"
    with PageStore(path) as store:
        for entry in manifest()[:2]:
            body = (SITE / entry["path"]).read_bytes()
            store.store(BASE_URL + entry["url_path"], 200, {}, body, "2026-10-01T01:00:00+00:00")
    return path


def foilog(*args, env: dict | None = None, cwd: Path | None = None):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FOILOG_")}
    return subprocess.run(
        [FOILOG, *map(str, args)],
        capture_output=True,
        text=True,
        env=clean | (env or {}),
        cwd=cwd,
        timeout=120,
    )


def test_reparse_reads_foilog_db_and_foilog_pages_db(pages, tmp_path):
    archive = tmp_path / "elsewhere" / "archive.db"
    proc = foilog(
        "reparse",
        env={"FOILOG_DB": str(archive), "FOILOG_PAGES_DB": str(pages)},
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "reparsed 2 pages: 2 new" in proc.stdout
    assert archive.is_file()
    assert not (tmp_path / "data").exists()  # the defaults were not used


def test_reparse_while_a_refresh_holds_the_lock_exits_4(pages, tmp_path):
    archive = tmp_path / "foi.db"
    with CrawlLock(archive):
        proc = foilog("reparse", "--db", archive, "--pages-db", pages)
    assert proc.returncode == 4
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "lock" in lines[0], proc.stderr
    assert not archive.exists()  # nothing was written


@pytest.mark.parametrize("which", ["archive", "pages"])
def test_a_store_or_archive_that_is_not_sqlite_is_one_line_and_exit_2(pages, tmp_path, which):
    archive = tmp_path / "foi.db"
    bogus = b"%PDF-1.7\n" + b"\x00binary" * 500
    if which == "archive":
        archive.write_bytes(bogus)
    else:
        pages.unlink()
        pages.write_bytes(bogus)
    proc = foilog("reparse", "--db", archive, "--pages-db", pages)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "is not a SQLite database" in lines[0]
    assert (archive if which == "archive" else pages).read_bytes() == bogus  # untouched
    assert not (tmp_path / "foi.db.lock").exists()  # refused before the lock is taken
