"""`foilog serve` as the operator runs it: a real process, real signals, `--port 0`."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from foilog.child_server import start_server

FOILOG = str(Path(sys.executable).parent / "foilog")


def _serve(db_path: Path, *extra: str):
    return start_server([FOILOG, "serve", "--db", str(db_path), "--port", "0", *extra])


def test_port_0_prints_the_port_it_got_and_serves_there(archive_path):
    with _serve(archive_path) as server:
        assert server.port > 0
        assert server.first_line.startswith(f"serving {archive_path} at {server.base_url}/")
        assert httpx.get(server.base_url + "/", timeout=30).status_code == 200
        assert server.stop() == 0
        assert "Traceback" not in server.stderr_text()


@pytest.mark.slow
def test_twelve_ctrl_cs_right_after_the_first_line_all_exit_cleanly(archive_path):
    outcomes = []
    for _ in range(12):
        with _serve(archive_path) as server:
            server.process.send_signal(signal.SIGINT)  # as soon as "serving ..." is read
            code = server.process.wait(timeout=30)
            outcomes.append((code, server.stderr_text()))
    for code, stderr in outcomes:
        # once the line is out it is serving (the port was bound first): a clean stop, 0
        assert code == 0, stderr
        assert "Aborted!" not in stderr and "Traceback" not in stderr, stderr


def test_sigterm_stops_it_cleanly_too(archive_path):
    with _serve(archive_path) as server:
        httpx.get(server.base_url + "/foi/responses.json", timeout=30)
        assert server.stop(signal.SIGTERM) == 0
        assert "Traceback" not in server.stderr_text()


@pytest.mark.parametrize("port", ["-1", "65536", "99999"])
def test_an_out_of_range_port_is_one_line_and_exit_2(archive_path, port):
    proc = subprocess.run(
        [FOILOG, "serve", "--db", str(archive_path), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"error: --port must be between 0 and 65535, got {port}"
    ]


@pytest.mark.parametrize("content", [b"%PDF-1.7\n" + b"x" * 5000, b"not sqlite at all" * 100])
def test_a_file_that_is_not_sqlite_is_one_line_and_exit_2(tmp_path, content):
    path = tmp_path / "foi.db"
    path.write_bytes(content)
    proc = subprocess.run(
        [FOILOG, "serve", "--db", str(path), "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert (
        len(lines) == 1
        and lines[0].startswith("error: ")
        and "is not a SQLite database" in lines[0]
    ), proc.stderr
