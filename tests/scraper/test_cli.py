"""The crawler's commands as the operator runs them: subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from parsers.sites import SITES
from scraper.lock import CrawlLock
from scraper.refresh import refresh
from tests.scraper.conftest import DETAIL, Reply, archive_rows, html_page, settings_for
from tests.scraper.test_refresh import _versions_per_url

FOILOG = str(Path(sys.executable).parent / "foilog")
SUMMARY_KEYS = {
    "new",
    "changed",
    "removed",
    "unchanged",
    "failed",
    "requests",
    "bytes",
    "duration_s",
    "parse_yield",
}


def clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("FOILOG_")}


def foilog(*args, cwd=None, timeout=120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [FOILOG, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=clean_env(),
        timeout=timeout,
    )


def refresh_args(site, tmp_path: Path, *extra) -> list:
    return [
        "refresh",
        "--site",
        site.base_url,
        "--db",
        tmp_path / "foi.db",
        "--pages-db",
        tmp_path / "pages.db",
        "--rate",
        "0",
        "--concurrency",
        "4",
        *extra,
    ]


def test_refresh_json_is_one_object_on_stdout(manifest, mirror, tmp_path):
    proc = foilog(*refresh_args(mirror, tmp_path, "--json"))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert SUMMARY_KEYS <= set(summary) and summary["new"] == manifest["count"]
    assert summary["exit_code"] == 0
    plain = foilog(*refresh_args(mirror, tmp_path))
    assert plain.returncode == 0
    assert plain.stdout.count("\n") == 1 and plain.stdout.startswith("refresh ")
    assert "0 new, 0 changed, 0 removed" in plain.stdout


@pytest.mark.parametrize("kill_after", [3, 40], ids=["during-discovery", "during-pages"])
def test_a_refresh_killed_mid_run_and_restarted_equals_a_clean_run(
    kill_after, manifest, mirror, tmp_path
):
    asyncio_run(refresh(settings_for(mirror.base_url, tmp_path / "clean")))
    killed = tmp_path / "killed"
    mark = len(mirror.request_log)
    proc = subprocess.Popen(
        [
            FOILOG,
            *[str(a) for a in refresh_args(mirror, killed)][:-4],
            "--rate",
            "40",
            "--concurrency",
            "2",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=clean_env(),
    )
    deadline = time.monotonic() + 60
    while len(mirror.request_log) - mark < kill_after and time.monotonic() < deadline:
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    assert len(archive_rows(killed / "foi.db")) < manifest["count"]  # really cut mid-run
    again = foilog(*refresh_args(mirror, killed, "--json"))
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["resumed"] is True
    assert archive_rows(killed / "foi.db") == archive_rows(tmp_path / "clean" / "foi.db")
    assert _versions_per_url(killed / "pages.db") == {1}


def asyncio_run(coro):
    import asyncio

    return asyncio.run(coro)


def test_a_second_refresh_on_the_same_archive_exits_4(mirror, tmp_path):
    with CrawlLock(tmp_path / "foi.db"):
        proc = foilog(*refresh_args(mirror, tmp_path))
        as_json = foilog(*refresh_args(mirror, tmp_path, "--json"))
    assert proc.returncode == 4
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: another refresh")
    assert mirror.request_log == []
    # under --json, stdout carries only a summary; a refused run has none
    assert as_json.returncode == 4 and as_json.stdout == ""


def test_bad_configuration_exits_2(tmp_path):
    proc = foilog("refresh", "--site", "ftp://example.org", "--db", tmp_path / "foi.db")
    assert proc.returncode == 2 and proc.stderr.startswith("error: --site must be an http(s) URL")
    zero = foilog("refresh", "--concurrency", "0", "--db", tmp_path / "foi.db")
    assert zero.returncode == 2 and "--concurrency" in zero.stderr


def test_default_site_without_network_exits_2_with_one_line(tmp_path):
    try:
        socket.getaddrinfo("www.met.police.uk", 443)
        pytest.skip("this machine can resolve the live site")
    except socket.gaierror:
        pass
    proc = foilog("refresh", cwd=tmp_path)
    assert proc.returncode == 2
    # without --site every force is refreshed, and none can be reached
    assert proc.stderr == (
        f"error: cannot reach any of the {len(SITES)} forces (first: cannot reach "
        "https://www.met.police.uk (name resolution failed)); nothing changed\n"
    )
    assert proc.stdout == "" and not (tmp_path / "data" / "foi.db").exists()


def test_an_unopenable_archive_is_one_line_and_exit_2(mirror, tmp_path):
    (tmp_path / "foi.db").mkdir()  # a directory where the database file should be
    proc = foilog(*refresh_args(mirror, tmp_path))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0
    assert "is a directory, not a SQLite file" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_archive_is_one_line_and_nonzero(mirror, tmp_path):
    assert foilog(*refresh_args(mirror, tmp_path)).returncode == 0
    for name in ("foi.db", "foi.db-wal", "foi.db-shm"):
        if (tmp_path / name).exists():
            (tmp_path / name).chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        proc = foilog(*refresh_args(mirror, tmp_path, "--full"))
    finally:
        tmp_path.chmod(0o755)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1].startswith("error: ")


def test_fetch_one_page_and_its_errors(manifest, mirror, tmp_path):
    path = manifest["responses"][0]["url_path"]
    common = [
        "--site",
        mirror.base_url,
        "--db",
        tmp_path / "foi.db",
        "--pages-db",
        tmp_path / "pages.db",
    ]
    ok = foilog("fetch", mirror.url(path), *common)
    assert ok.returncode == 0 and ok.stdout == f"new: {mirror.url(path)}\n"
    assert len(archive_rows(tmp_path / "foi.db")) == 1
    again = foilog("fetch", mirror.url(path), *common)
    assert again.stdout == f"unchanged: {mirror.url(path)}\n"
    off = foilog("fetch", "https://example.org" + path, *common)
    assert off.returncode == 2 and off.stderr.startswith("error: https://example.org")
    assert "not on the configured site" in off.stderr and off.stderr.count("\n") == 1
    lister = foilog(
        "fetch", mirror.url("/foi-ai/af/accessing-information/published-items/"), *common
    )
    assert lister.returncode == 2 and "not a disclosure-log response page" in lister.stderr
    missing = foilog("fetch", mirror.url(DETAIL.format("no-such-page")), *common)
    assert missing.returncode == 1 and "HTTP 404" in missing.stderr
    assert missing.stderr.count("\n") == 1


def test_check_live_on_the_mirror_finds_listing_reference_and_questions(mirror):
    proc = foilog("check-live", "--site", mirror.base_url, "--rate", "0")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert len(lines) == 3 and all(line.startswith("ok: ") for line in lines)
    assert "reference 01." in lines[1]


def test_check_live_says_loudly_when_the_lister_is_empty(hostile):
    lister = "/foi-ai/af/accessing-information/published-items/"
    hostile.routes[lister] = Reply(200, html_page("No results"), {"Content-Type": "text/html"})
    proc = foilog("check-live", "--site", hostile.base_url, "--rate", "0")
    assert proc.returncode == 3
    assert proc.stdout.startswith("PROBLEM: lister") and "no disclosure-log items" in proc.stdout


async def test_check_live_on_a_dead_port_says_connection_refused(tmp_path):
    # in-process with one attempt: the CLI mapping of SiteUnreachable to exit 2 is
    # covered by the no-network test above
    from scraper.fetch import SiteUnreachable
    from scraper.single import check_live

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings = settings_for(f"http://127.0.0.1:{port}", tmp_path, max_attempts=1)
    with pytest.raises(SiteUnreachable, match=r"cannot reach .* \(connection refused"):
        await check_live(settings)


def test_fetch_of_a_url_it_cannot_use_creates_nothing(tmp_path):
    where = ["--db", tmp_path / "data" / "foi.db", "--pages-db", tmp_path / "data" / "pages.db"]
    off = foilog("fetch", "notaurl", *where)
    assert off.returncode == 2 and off.stderr.count("\n") == 1, off.stderr
    assert "not on the configured site" in off.stderr
    assert not (tmp_path / "data").exists()  # not even the lock file
