"""Operator errors on the real CLI: a read-only archive and a full disk.

Tests may run as root, where chmod stops nothing, so the read-only archive is a
read-only bind mount and the full disk a tiny tmpfs, each made inside an unprivileged
user + mount namespace (`unshare -rm`): no root needed, nothing mounted outside the
test's own process tree. Where the kernel forbids user namespaces the tests skip and
say so. (The code offers no hook to fake a full disk, so none is used.)

Each case: one clear `error:` line, a non-zero exit, no traceback, and the archive after
it passes `PRAGMA integrity_check` with every response row holding all its questions;
after the operator fixes the cause, the next run completes to a clean run's archive.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from tests.reliability.conftest import (
    FOILOG,
    archive_diff,
    clean_env,
    fingerprint,
    foilog,
    integrity,
    orphan_problems,
    raw_store_problems,
)


def _namespaces_work(probe_dir: Path) -> str | None:
    """None if `unshare -rm` can mount a tmpfs here, else why not."""
    if shutil.which("unshare") is None:
        return "needs unshare(1) (util-linux)"
    probe_dir.mkdir(exist_ok=True)
    proc = subprocess.run(
        [
            "unshare",
            "-rm",
            "sh",
            "-c",
            f"mount -t tmpfs -o size=64k tmpfs {shlex.quote(str(probe_dir))}",
        ],
        capture_output=True,
        text=True,
        timeout=30,
    )
    if proc.returncode != 0:
        return f"user namespaces unavailable here ({proc.stderr.strip()[:120]})"
    return None


@pytest.fixture
def namespaced(tmp_path):
    why = _namespaces_work(tmp_path / "probe")
    if why:
        pytest.skip(f"cannot make a read-only mount or a tiny filesystem without root: {why}")


def in_namespace(script: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["unshare", "-rm", "sh", "-c", script],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=240,
    )


def refresh_cmd(base_url: str, db: Path, pages: Path, *extra) -> str:
    args = [
        FOILOG,
        "refresh",
        "--site",
        base_url,
        "--db",
        str(db),
        "--pages-db",
        str(pages),
        "--rate",
        "0",
        "--concurrency",
        "4",
        *extra,
    ]
    return " ".join(shlex.quote(str(a)) for a in args)


def assert_one_clear_error(proc: subprocess.CompletedProcess, *expected: str) -> None:
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-2000:])
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and proc.stderr.rstrip().splitlines()[-1] == errors[0], proc.stderr
    assert any(e in errors[0] for e in expected), errors[0]


def edit_some_pages(mirror, n: int = 10) -> None:
    for entry in sorted(mirror.state.manifest["responses"], key=lambda r: r["url_path"])[:n]:
        body = httpx.get(mirror.url(entry["url_path"])).content
        mirror.edit(entry["url_path"], body.replace(b"</main>", b"<p>Edited.</p></main>", 1))


@pytest.mark.parametrize("read_only", ["directory", "file"])
def test_a_read_only_archive_is_one_error_and_nothing_half_written(
    namespaced, mirror, tmp_path, read_only
):
    archive_dir, pages = tmp_path / "archive", tmp_path / "raw" / "pages.db"
    archive_dir.mkdir()
    db = archive_dir / "foi.db"
    assert (
        foilog(
            "refresh", "--site", mirror.base_url, "--db", db, "--pages-db", pages, "--rate", "0"
        ).returncode
        == 0
    )
    before = fingerprint(db, mirror.base_url)
    edit_some_pages(mirror)  # the next run has real writing to do
    target = shlex.quote(str(archive_dir if read_only == "directory" else db))
    proc = in_namespace(
        f"mount --bind {target} {target} && "
        f"mount -o remount,ro,bind {target} && " + refresh_cmd(mirror.base_url, db, pages, "--full")
    )
    assert_one_clear_error(proc, "Read-only file system", "readonly database", "read-only")
    assert integrity(db) == "ok" and orphan_problems(db) == []
    assert archive_diff(fingerprint(db, mirror.base_url), before) == []
    assert integrity(pages) == "ok" and raw_store_problems(pages) == []
    # writable again: the next run takes the edits
    again = foilog(
        "refresh",
        "--site",
        mirror.base_url,
        "--db",
        db,
        "--pages-db",
        pages,
        "--rate",
        "0",
        "--full",
        "--json",
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert json.loads(again.stdout)["changed"] >= 5


@pytest.mark.parametrize("full", ["archive", "raw store"])
def test_a_full_disk_is_one_error_nothing_half_written_and_the_next_run_completes(
    namespaced, mirror, clean_run, tmp_path, full
):
    tiny, out = tmp_path / "tiny", tmp_path / "out"
    tiny.mkdir()
    out.mkdir()
    # the database on the tiny filesystem runs out of room part way through the crawl
    db = (tiny if full == "archive" else out) / "foi.db"
    pages = (tiny if full == "raw store" else out) / "pages.db"
    size = "1200k" if full == "archive" else "300k"  # an empty archive is ~310 KB
    proc = in_namespace(
        f"mount -t tmpfs -o size={size} tmpfs {shlex.quote(str(tiny))} && "
        f"{refresh_cmd(mirror.base_url, db, pages)}; rc=$?; "
        # the tmpfs vanishes with the namespace: keep what the run left behind
        f"cp -a {shlex.quote(str(tiny))}/. {shlex.quote(str(out))}/; exit $rc"
    )
    assert_one_clear_error(proc, "disk is full", "No space left")
    db, pages = out / "foi.db", out / "pages.db"
    assert integrity(db) == "ok" and orphan_problems(db) == []
    assert integrity(pages) == "ok" and raw_store_problems(pages) == []
    partial = fingerprint(db, mirror.base_url)
    assert (
        0 < len(partial["responses"]) < len(clean_run["fingerprint"]["responses"])
        or full == "raw store"
    ), len(partial["responses"])
    # room again (the same files on a normal disk): the interrupted run resumes and ends
    again = foilog(
        "refresh",
        "--site",
        mirror.base_url,
        "--db",
        db,
        "--pages-db",
        pages,
        "--rate",
        "0",
        "--json",
    )
    assert again.returncode == 0, again.stderr[-2000:]
    assert json.loads(again.stdout)["resumed"] is True
    assert archive_diff(fingerprint(db, mirror.base_url), clean_run["fingerprint"]) == []
    assert raw_store_problems(pages) == []
