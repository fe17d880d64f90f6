"""SIGKILL at seeded moments: every restart resumes, nothing is lost or doubled.

The refresh is a real `foilog refresh` subprocess behind a pass-through proxy that
counts its requests, so a kill can be timed "after the k-th request" of a run: early
k lands in discovery (robots, lister, sitemap), later k in fetching, and a kill while
an attachment download is answered slowly lands between a page's raw copy being
committed and the archive load being marked done ("loading"). After every kill both
databases pass `PRAGMA integrity_check` and no response is half-written.
"""

from __future__ import annotations

import json
import random
import signal
import sqlite3
import subprocess
import time

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
    refresh_args,
)
from tests.reliability.fault_proxy import FaultProxy

ATTACHMENTS = "/SysSiteAssets/"


def crawl_state(pages_db) -> str:
    """What the killed run had done, read back from its crawl state."""
    conn = sqlite3.connect(f"file:{pages_db}?mode=ro", uri=True)
    try:
        run = conn.execute(
            "SELECT id, discovery_done FROM runs WHERE finished_at IS NULL ORDER BY id DESC"
        ).fetchone()
        if run is None:
            return "no open run"
        if not run[1]:
            return "discovery not done"
        stored = conn.execute(
            "SELECT COUNT(*) FROM frontier WHERE run_id=? AND state='stored'", (run[0],)
        ).fetchone()[0]
        done = conn.execute(
            "SELECT COUNT(*) FROM frontier WHERE run_id=? AND state='done'", (run[0],)
        ).fetchone()[0]
        return f"{done} done, {stored} stored not loaded"
    finally:
        conn.close()


def start_refresh(proxy, where, *extra) -> tuple[subprocess.Popen, int]:
    mark = len(proxy.log)
    with open(where / "stderr.log", "w") as stderr:  # a file: a pipe could fill and block
        proc = subprocess.Popen(
            [FOILOG, *refresh_args(proxy.base_url, where, *extra)],
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            env=clean_env(),
        )
    return proc, mark


def wait_until(proc, condition, timeout=60.0) -> bool:
    """True when condition() held while proc still ran; False if proc ended first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if condition():
            return True
        time.sleep(0.002)
    return False


def kill_moment(rng: random.Random, kill: int):
    """(label, the seeded moment as a condition on the run's requests, extra delay, args).

    Kills 0-1 land in discovery (robots.txt is request 1, the lister pages follow);
    2-4 while an attachment is being downloaded, which happens after its page is stored
    and loaded but before the page is marked done; 5-9 in fetching, in `--full` runs so
    that a run started after a completed one still has every page to fetch.
    """
    if kill < 2:
        k = rng.randint(1, 5)
        return "discovery", lambda log: len(log) >= k, 0.0, ()
    if kill < 5:
        return (
            "loading",
            lambda log: any(t.startswith(ATTACHMENTS) for t, _ in log),
            rng.uniform(0.05, 0.3),
            (),
        )
    k = rng.randint(10, 60)
    return "fetching", lambda log: len(log) >= k, rng.uniform(0, 0.03), ("--full",)


def run_with_kills(proxy, where, kills_wanted: int, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    kills: list[tuple[str, str]] = []
    for _cycle in range(kills_wanted * 3):
        if len(kills) == kills_wanted:
            break
        label, condition, jitter, extra = kill_moment(rng, len(kills))
        proc, mark = start_refresh(proxy, where, *extra)
        if wait_until(proc, lambda condition=condition, mark=mark: condition(proxy.log[mark:])):
            time.sleep(jitter)
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
            kills.append((label, crawl_state(where / "pages.db")))
        else:  # the run finished first: it must have finished well
            assert proc.returncode == 0, (where / "stderr.log").read_text()[-2000:]
        assert integrity(where / "foi.db") == "ok", kills
        assert integrity(where / "pages.db") == "ok", kills
        assert orphan_problems(where / "foi.db") == [], kills
        assert raw_store_problems(where / "pages.db") == [], kills
    return kills


def test_ten_sigkills_then_the_archive_equals_a_clean_run(mirror, clean_run, tmp_path):
    with FaultProxy(mirror.base_url, rate=0.0, slow_prefix=ATTACHMENTS, slow_s=0.5) as proxy:
        kills = run_with_kills(proxy, tmp_path, kills_wanted=10, seed=20261122)
        assert len(kills) == 10, kills
        assert [label for label, _ in kills] == ["discovery"] * 2 + ["loading"] * 3 + [
            "fetching"
        ] * 5
        # the state each kill left behind proves where it landed
        assert all(state == "discovery not done" for _, state in kills[:2]), kills
        assert all(
            state.endswith("stored not loaded") and ", 0 stored" not in state
            for _, state in kills[2:5]
        ), kills
        assert all(state != "discovery not done" for _, state in kills[5:]), kills
        final = foilog(*refresh_args(proxy.base_url, tmp_path, "--json"))
        assert final.returncode == 0, final.stderr[-2000:]
        again = json.loads(foilog(*refresh_args(proxy.base_url, tmp_path, "--json")).stdout)
    assert (again["new"], again["changed"], again["failed"]) == (0, 0, 0)
    assert (
        archive_diff(fingerprint(tmp_path / "foi.db", proxy.base_url), clean_run["fingerprint"])
        == []
    )
    assert integrity(tmp_path / "foi.db") == integrity(tmp_path / "pages.db") == "ok"
    assert raw_store_problems(tmp_path / "pages.db") == []
    conn = sqlite3.connect(tmp_path / "pages.db")
    versions = {
        n for (n,) in conn.execute("SELECT COUNT(*) FROM pages WHERE kind='page' GROUP BY url")
    }
    unfinished = conn.execute("SELECT COUNT(*) FROM runs WHERE finished_at IS NULL").fetchone()[0]
    conn.close()
    assert versions == {1} and unfinished == 0


@pytest.mark.timeout(3600)
@pytest.mark.soak
def test_soak_fifty_sigkills_under_faults(mirror, clean_run, tmp_path):
    """make soak: 50 kills with 20% failing requests in front; same end state."""
    with FaultProxy(
        mirror.base_url,
        rate=0.2,
        seed=3,
        max_run=4,
        retry_after="0",
        slow_prefix=ATTACHMENTS,
        slow_s=0.5,
    ) as proxy:
        kills = run_with_kills(proxy, tmp_path, kills_wanted=50, seed=99)
        assert len(kills) == 50
        for _ in range(2):
            final = foilog(*refresh_args(proxy.base_url, tmp_path, "--json"))
            if final.returncode == 0:
                break
        assert final.returncode == 0, final.stderr[-2000:]
    assert (
        archive_diff(fingerprint(tmp_path / "foi.db", proxy.base_url), clean_run["fingerprint"])
        == []
    )
    assert raw_store_problems(tmp_path / "pages.db") == []


def test_ctrl_c_mid_run_is_one_line_and_the_next_run_finishes_it(mirror, clean_run, tmp_path):
    """Ctrl-C (SIGINT) stops a run part way with one line and exit 130; the next run
    resumes it. (SIGTERM, as `timeout` sends, ends Python like SIGKILL: covered above.)"""
    with FaultProxy(
        mirror.base_url, rate=0.0, slow_prefix="/foi-ai/metropolitan-police/", slow_s=0.05
    ) as proxy:
        proc, mark = start_refresh(proxy, tmp_path)
        assert wait_until(proc, lambda: len(proxy.log) - mark >= 30)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=30)
        stderr = (tmp_path / "stderr.log").read_text()
        assert "Traceback" not in stderr and proc.returncode == 130
        assert (
            stderr.rstrip().splitlines()[-1]
            == "error: interrupted; the next refresh resumes this run"
        )
        assert integrity(tmp_path / "foi.db") == integrity(tmp_path / "pages.db") == "ok"
        assert orphan_problems(tmp_path / "foi.db") == []
        again = foilog(*refresh_args(proxy.base_url, tmp_path, "--json"))
    assert again.returncode == 0, again.stderr[-2000:]
    assert json.loads(again.stdout)["resumed"] is True
    assert (
        archive_diff(fingerprint(tmp_path / "foi.db", proxy.base_url), clean_run["fingerprint"])
        == []
    )
