"""`python -m bench.run --quick` end to end: every part runs and every figure is written.

Slow (minutes: it builds small mirrors, a national archive and a WARC under bench/work/,
reused by the next run), so it is marked `slow`; `make test` runs it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import report

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def test_quick_run_measures_every_figure_of_every_part(tmp_path):
    out = tmp_path / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--quick", "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text())
    assert results["complete"] and results["errors"] == {}
    assert set(results["bench_parts_s"]) == set(report.PARTS)
    missing = [key for key in report.RESULT_KEYS if results.get(key) is None]
    assert missing == []
    assert set(results["verdicts"].values()) <= {"PASS", "MISS", "—"}
    for row in report.ROWS:  # the table with targets is printed
        assert f"| {row.label} |" in done.stdout
    assert "issue 17: " in done.stdout
