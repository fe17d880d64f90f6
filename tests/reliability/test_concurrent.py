"""Readers and the nightly writer at once: a real `foilog serve` answers every request
while real `foilog refresh` runs rewrite the same archive (WAL), and a second refresh on
the same archive is refused while one runs."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import httpx
import pytest

from foilog.child_server import start_server
from tests.reliability.conftest import (
    FOILOG,
    clean_env,
    foilog,
    integrity,
    orphan_problems,
    refresh_args,
)
from tests.reliability.fault_proxy import FaultProxy

REQUESTS = 2000
SEARCHES = ("police", "facial recognition", "taser", "section 40", "drones", "vehicle")


def request_mix(ids: list[str], n: int) -> list[str]:
    """Table pages, the search canned query, response pages and JSON, in rotation."""
    paths = []
    for i in range(n):
        rid = ids[i % len(ids)]
        term = quote(SEARCHES[i % len(SEARCHES)])
        paths.append(
            [
                "/foi/responses?_sort_desc=last_changed&_size=10",
                f"/foi/search?q={term}",
                f"/response/{quote(rid, safe='/')}",
                "/foi/responses.json?_shape=objects&_size=10",
                f"/foi/search.json?q={term}&_shape=objects",
                f"/foi/questions?response_id={quote(rid)}&_size=10",
                "/foi/response_exemptions.json?_facet=section&_size=10",
                "/",
            ][i % 8]
        )
    return paths


def edit_pages(mirror, paths: list[str], round_: int) -> None:
    """Change every given page on the mirror so the next refresh rewrites its rows."""
    for path in paths:
        body = httpx.get(mirror.url(path)).content
        mirror.edit(
            path, body.replace(b"</main>", f"<p>Edit round {round_}.</p></main>".encode(), 1)
        )


def test_two_thousand_requests_all_200_while_refresh_writes(mirror, tmp_path):
    readers_and_a_writer(mirror, tmp_path, REQUESTS)


@pytest.mark.timeout(3600)
@pytest.mark.soak
def test_soak_twenty_thousand_requests_while_refresh_writes(mirror, tmp_path):
    """make soak: ten times the requests, so many refreshes overlap them."""
    readers_and_a_writer(mirror, tmp_path, 10 * REQUESTS)


def readers_and_a_writer(mirror, tmp_path, n: int) -> None:
    first = foilog(*refresh_args(mirror.base_url, tmp_path))
    assert first.returncode == 0, first.stderr[-2000:]
    db = tmp_path / "foi.db"
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM responses ORDER BY id")]
    page_paths = [
        r[0].removeprefix(mirror.base_url)
        for r in conn.execute("SELECT url FROM responses ORDER BY id LIMIT 40")
    ]
    conn.close()
    server = start_server([FOILOG, "serve", "--db", str(db), "--port", "0"], env=clean_env())
    port = server.port
    statuses: list[tuple[str, int]] = []
    writer_runs: list[dict] = []
    done = threading.Event()

    def writer() -> None:
        round_ = 0
        while not done.is_set():
            round_ += 1
            edit_pages(mirror, page_paths, round_)
            proc = foilog(*refresh_args(mirror.base_url, tmp_path, "--json", "--full"))
            writer_runs.append({"code": proc.returncode, **json.loads(proc.stdout or "{}")})

    def reader(paths: list[str]) -> None:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for path in paths:
                statuses.append((path, client.get(path).status_code))

    try:
        writing = threading.Thread(target=writer)
        writing.start()
        paths = request_mix(ids, n)
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(reader, [paths[i::4] for i in range(4)]))
        done.set()
        writing.join(timeout=120)
    finally:
        done.set()
        server.stop()
        server_err = server.stderr_text()
        server.close()
    errors = [(p, s) for p, s in statuses if s != 200]
    assert len(statuses) == n and errors == [], errors[:10]
    assert writer_runs and all(r["code"] == 0 for r in writer_runs), writer_runs
    assert sum(r["changed"] for r in writer_runs) >= 20  # the writer really wrote
    assert "Traceback" not in server_err, server_err[-2000:]
    assert integrity(db) == "ok" and orphan_problems(db) == []


def test_a_second_refresh_while_one_runs_exits_4_and_changes_nothing(mirror, tmp_path):
    # the first refresh is held open by slow answers, so the second surely overlaps it
    with FaultProxy(
        mirror.base_url, rate=0.0, slow_prefix="/foi-ai/metropolitan-police/", slow_s=0.2
    ) as proxy:
        with open(tmp_path / "first.err", "w") as err:
            first = subprocess.Popen(
                [FOILOG, *refresh_args(proxy.base_url, tmp_path, "--json")],
                stdout=subprocess.PIPE,
                stderr=err,
                env=clean_env(),
            )
        deadline = time.monotonic() + 30
        while not any(t.startswith("/foi-ai/metropolitan-police/") for t, _ in proxy.log):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.01)
        before = len(proxy.log)
        second = foilog(*refresh_args(proxy.base_url, tmp_path, "--json"))
        second_requests = [t for t, _ in proxy.log[before:]]
        out, _ = first.communicate(timeout=120)
    assert second.returncode == 4
    assert second.stdout == "" and second.stderr.count("\n") == 1
    assert second.stderr.startswith("error: another refresh (pid ")
    assert str(first.pid) in second.stderr
    # the refused run asked the site for nothing: every request then was the first's
    assert "/robots.txt" not in second_requests
    assert first.returncode == 0 and json.loads(out)["failed"] == 0
