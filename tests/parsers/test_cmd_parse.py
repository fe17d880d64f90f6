"""`foilog parse` run as a real subprocess: JSON out, stdin, bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

FOILOG = [str(Path(sys.executable).with_name("foilog"))]
URL = "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/some-page/"
PAGE = (
    '<html><head><meta charset="windows-1252"><title>T</title></head><body><main><h1>Caf\u00e9 \u201cdata\u201d</h1>'
    "<p>Freedom of information request reference no: 01.FOI.24.036818</p><p>Body \u2019text\u2019.</p>"
    "</main></body></html>"
).encode("cp1252")


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(FOILOG + list(args), input=stdin, capture_output=True, timeout=60)


def test_parse_file_with_url(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    result = run("parse", str(path), "--url", URL)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout.decode("utf-8"))
    assert record["reference"] == "01.FOI.24.036818"
    assert record["month"] == "2024-08"
    assert record["title"] == "Caf\u00e9 \u201cdata\u201d"
    assert "\u201cdata\u201d" in result.stdout.decode("utf-8")  # ensure_ascii=False, UTF-8
    assert result.stdout.count(b"\n") == 1


def test_parse_default_url_is_the_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(PAGE)
    record = json.loads(run("parse", str(path)).stdout)
    assert record["url"] == path.resolve().as_uri()
    assert record["month"] is None


def test_parse_stdin() -> None:
    result = run("parse", "-", "--url", URL, stdin=PAGE)
    assert result.returncode == 0
    assert (
        json.loads(result.stdout)["body_text"]
        == "Freedom of information request reference no: 01.FOI.24.036818\nBody \u2019text\u2019."
    )


def test_missing_file_is_a_one_line_error(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path / "nope.html"))
    assert result.returncode == 2
    assert result.stdout == b""
    assert len(result.stderr.decode().strip().splitlines()) == 1
    assert "nope.html" in result.stderr.decode()
    # the wording of every other command, not click's "Error:"
    assert result.stderr.decode().startswith("error: cannot read")


def test_directory_is_an_error(tmp_path: Path) -> None:
    result = run("parse", str(tmp_path))
    assert result.returncode == 2 and len(result.stderr.decode().strip().splitlines()) == 1
