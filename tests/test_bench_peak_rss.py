"""The bench's child peak RSS is the child's own, not the bench process's.

Linux starts a child's ru_maxrss at its parent's high-water mark (kept across exec), so
a `wait4` in a big bench process reported the bench's peak as `foilog refresh`'s
(crawl_peak_rss_mb_*). bench/peak_rss.py launches the command from a small process.
"""

from __future__ import annotations

import sys

from bench.procs import run_child

ALLOCATE = "b = bytearray({mb} << 20)\nfor i in range(0, len(b), 4096): b[i] = 1\nprint('{{}}')"


def test_a_small_child_of_a_big_bench_reports_its_own_small_peak():
    ballast = bytearray(300 << 20)  # the bench holding pages and mirrors
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    run = run_child([sys.executable, "-c", "print('{}')"])
    assert run.returncode == 0
    assert run.maxrss_single_mb < 100, run.maxrss_single_mb  # python alone: ~10 MB
    assert run.maxrss_mb < 100
    del ballast


def test_a_big_child_reports_its_peak_and_cpu():
    run = run_child([sys.executable, "-c", ALLOCATE.format(mb=150)])
    assert run.returncode == 0
    assert 150 <= run.maxrss_single_mb < 250
    assert run.maxrss_mb >= run.maxrss_single_mb
    assert run.cpu_s > 0
    assert run.json == {}


def test_a_timeout_kills_the_command_too():
    run = run_child([sys.executable, "-c", "import time; time.sleep(60)"], timeout=1.0)
    assert run.returncode < 0
    assert run.wall_s < 30
