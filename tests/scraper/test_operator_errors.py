"""Operator mistakes on the crawler's commands: one line on stderr, exit 2, no traceback,
and nothing sent to the site or written to the archive."""

from __future__ import annotations

import pytest

from tests.scraper.night import run_foilog

NOT_SQLITE = b"this is a note, not a database\n" * 10


def _one_error_line(proc, code: int = 2) -> str:
    assert proc.returncode == code, (proc.returncode, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stdout == ""
    [line] = proc.stderr.splitlines()
    assert line.startswith("error: ")
    return line


@pytest.mark.parametrize("which", ["foi.db", "pages.db"])
def test_refresh_and_fetch_refuse_a_file_that_is_not_sqlite(manifest, mirror, tmp_path, which):
    (tmp_path / which).write_bytes(NOT_SQLITE)
    files = ["--db", tmp_path / "foi.db", "--pages-db", tmp_path / "pages.db"]
    page = mirror.url(manifest["responses"][0]["url_path"])
    for args in (
        ["refresh", "--site", mirror.base_url],
        ["fetch", page, "--site", mirror.base_url],
    ):
        line = _one_error_line(run_foilog(*args, *files))
        assert "is not a SQLite database" in line and which in line
    assert (tmp_path / which).read_bytes() == NOT_SQLITE
    assert mirror.request_log == []  # refused before any request


@pytest.mark.parametrize(
    "suffix", ["/foi-ai/", "/foi-ai/af/accessing-information/published-items/", "/?dt=x"]
)
def test_a_site_with_a_path_or_query_is_bad_configuration(mirror, tmp_path, suffix):
    for command in ("refresh", "check-live"):
        args = [command, "--site", mirror.base_url + suffix]
        if command == "refresh":
            args += ["--db", tmp_path / "foi.db"]
        line = _one_error_line(run_foilog(*args))
        assert "--site must be the site's base URL" in line and mirror.base_url in line
    assert mirror.request_log == [] and not (tmp_path / "foi.db").exists()


def test_a_missing_or_bad_cookies_file_is_bad_configuration(mirror, tmp_path):
    common = ["refresh", "--site", mirror.base_url, "--db", tmp_path / "foi.db"]
    missing = _one_error_line(run_foilog(*common, "--cookies", tmp_path / "nope.txt"))
    assert "--cookies" in missing and "no such file" in missing
    bad = tmp_path / "cookies.txt"
    bad.write_text("name=value; other=thing\n", encoding="utf-8")
    line = _one_error_line(run_foilog(*common, "--cookies", bad))
    assert "not a Netscape cookies.txt" in line
    assert not (tmp_path / "foi.db").exists()
    assert not (tmp_path / "foi.db.lock").exists()  # refused before the lock is taken


def test_a_browser_that_cannot_start_is_bad_configuration(mirror, tmp_path):
    mirror.set_challenge("js")
    proc = run_foilog(
        "refresh",
        "--site",
        mirror.base_url,
        "--db",
        tmp_path / "foi.db",
        "--browser",
        env={"FOILOG_CHROMIUM": str(tmp_path / "no-chromium")},
    )
    line = _one_error_line(proc)
    assert "FOILOG_CHROMIUM" in line and not (tmp_path / "foi.db").exists()


def test_check_live_behind_a_challenge_exits_5(mirror):
    mirror.set_challenge("js")
    line = _one_error_line(run_foilog("check-live", "--site", mirror.base_url, "--rate", "0"), 5)
    assert "bot protection" in line and "--browser" in line
