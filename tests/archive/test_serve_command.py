"""`foilog serve` at its boundary: clear one-line errors, exit 2, nothing served."""

from __future__ import annotations

import socket

import sqlite_utils
from click.testing import CliRunner

from db.schema import ensure_schema
from foilog.cli import cli


def test_serve_without_an_archive_exits_2_with_one_line(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "nope.db")])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert "no archive at" in result.output


def test_serve_refuses_a_file_that_is_not_an_archive(tmp_path):
    (tmp_path / "other.db").write_bytes(b"not sqlite at all" * 100)
    result = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "other.db")])
    assert result.exit_code == 2
    assert "not a SQLite database" in result.output or "not a foilog archive" in result.output


def test_serve_on_a_taken_port_exits_2_with_one_line(tmp_path):
    archive = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(archive)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(
            cli, ["serve", "--db", str(tmp_path / "foi.db"), "--port", str(port)]
        )
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.output
    assert "serving" not in result.output


def test_serve_reads_foilog_db(tmp_path):
    missing = tmp_path / "from-env.db"
    result = CliRunner().invoke(cli, ["serve"], env={"FOILOG_DB": str(missing)})
    assert result.exit_code == 2
    assert f"no archive at {missing}" in result.output


def test_serve_gives_back_the_callers_signal_handlers(tmp_path):
    import signal

    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "nope.db")])
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
