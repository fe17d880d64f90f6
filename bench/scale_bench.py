"""Readers at national scale: search, response pages and facets over the national archive.

A real `foilog serve` child over `bench.national`'s archive (500,000 responses over 40+
forces in a full run). One keep-alive client sends, one after another:

- searches to `/search.json` with the realistic mix: broad words, topics, phrases,
  references, and the same filtered by force, year, outcome and section;
- response pages `/response/<id>`;
- table pages of `/foi/responses` with the force, outcome and month facets, unfiltered
  and filtered by force or outcome.

Latency is measured at the client, on loopback; p50 and p95 of each kind, and the
server's own CPU per request (steadier than wall time on a shared machine).
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path
from urllib.parse import quote

import httpx

from bench.national import ensure_national
from bench.serve_bench import DatasetteServer, percentile, search_terms, time_gets
from bench.synth import DEFAULT_SEED, SourcePage

FACETS = "_facet=force&_facet=outcome&_facet=month"


def search_paths(db_path: Path, n: int, seed: int) -> list[str]:
    """The query mix: plain terms (topics, title words, phrases), references, filters."""
    rng = random.Random(f"{seed}:scale-search")
    conn = sqlite3.connect(db_path)
    forces = [f for (f,) in conn.execute("SELECT DISTINCT force FROM responses")]
    refs = [
        r
        for (r,) in conn.execute(
            "SELECT reference FROM responses WHERE reference IS NOT NULL LIMIT 2000"
        )
    ]
    sections = [s for (s,) in conn.execute("SELECT DISTINCT section FROM response_exemptions")]
    conn.close()
    paths = []
    for term in search_terms(db_path, n, seed):
        params = {"q": term}
        roll = rng.random()
        if roll < 0.15 and refs:
            params = {"q": rng.choice(refs)}
        elif roll < 0.30 and forces:
            params["force"] = rng.choice(forces)
        elif roll < 0.40:
            params["year"] = str(rng.choice((2021, 2022, 2023, 2024, 2025)))
        elif roll < 0.50:
            params["outcome"] = rng.choice(("full", "partial", "refused", "not_held"))
        elif roll < 0.58 and sections:
            params["section"] = str(rng.choice(sections))
        paths.append(str(httpx.URL("/search.json", params=params)))
    return paths


def response_paths(db_path: Path, n: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:scale-rows")
    conn = sqlite3.connect(db_path)
    total = conn.execute("SELECT max(rowid) FROM responses").fetchone()[0]
    ids = [
        row[0]
        for rowid in rng.sample(range(1, total + 1), min(n, total))
        for row in [conn.execute("SELECT id FROM responses WHERE rowid = ?", (rowid,)).fetchone()]
        if row
    ]
    conn.close()
    return [f"/response/{quote(i, safe='/')}" for i in ids]


def facet_paths(db_path: Path, n: int, seed: int) -> list[str]:
    rng = random.Random(f"{seed}:scale-facets")
    conn = sqlite3.connect(db_path)
    forces = [f for (f,) in conn.execute("SELECT DISTINCT force FROM responses")]
    conn.close()
    paths = []
    for i in range(n):
        kind = i % 3
        if kind == 0:
            paths.append(f"/foi/responses.json?{FACETS}&_size=20")
        elif kind == 1:
            paths.append(f"/foi/responses.json?{FACETS}&_size=20&force={rng.choice(forces)}")
        else:
            outcome = rng.choice(("full", "partial", "refused"))
            paths.append(f"/foi/responses.json?{FACETS}&_size=20&outcome={outcome}")
    return paths


class ServerCpu:
    """CPU time of the server process, all its threads (Datasette runs SQL in a pool),
    from Linux's per-thread scheduler statistics (nanoseconds); 0 where there are none."""

    def __init__(self, pid: int) -> None:
        self.tasks = Path(f"/proc/{pid}/task")

    def ms(self) -> float:
        total = 0
        for stat in self.tasks.glob("*/schedstat"):
            try:
                total += int(stat.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                continue  # a thread that ended between listing and reading
        return total / 1e6


def run(work: Path, sources: list[SourcePage], n: int, log=print, seed: int = DEFAULT_SEED) -> dict:
    db_path = work / f"national-{n}" / "foi.db"
    log(f"  national archive of {n} responses (cached when unchanged)")
    build = ensure_national(db_path, sources, n, seed=seed, log=log)
    conn = sqlite3.connect(db_path)
    responses, forces = conn.execute(
        "SELECT count(*), count(DISTINCT force) FROM responses"
    ).fetchone()
    conn.close()
    out: dict = {"scale_responses": responses, "scale_forces": forces, "scale_build": build}
    with (
        DatasetteServer(db_path) as server,
        httpx.Client(base_url=server.base_url, timeout=120) as client,
    ):
        assert server.child is not None
        server_cpu = ServerCpu(server.child.process.pid)
        for key, paths in (
            ("search", search_paths(db_path, 200, seed)),
            ("response_page", response_paths(db_path, 100, seed)),
            ("facet", facet_paths(db_path, 60, seed)),
        ):
            time_gets(client, paths[:5])  # warm the page cache and the app
            times, details, cpu = [], [], []
            for path in paths:
                before = server_cpu.ms()
                took, detail = time_gets(client, [path])
                cpu.append(server_cpu.ms() - before)
                detail[0]["server_cpu_ms"] = round(cpu[-1], 1)
                times += took
                details += detail
            failed = [d for d in details if d["status"] != 200]
            out[f"{key}_p50_ms"] = round(percentile(times, 50), 1)
            out[f"{key}_p95_ms"] = round(percentile(times, 95), 1)
            # The server's own CPU per request: steadier than wall time on a shared machine.
            out[f"{key}_server_cpu_p50_ms"] = round(percentile(cpu, 50), 1)
            out[f"{key}_server_cpu_p95_ms"] = round(percentile(cpu, 95), 1)
            out[f"{key}_errors"] = len(failed)
            out[f"{key}_slowest"] = sorted(details, key=lambda d: -d["ms"])[:5]
            log(
                f"    {key}: p50 {out[f'{key}_p50_ms']} ms, p95 {out[f'{key}_p95_ms']} ms "
                f"(server CPU p50 {out[f'{key}_server_cpu_p50_ms']} ms, "
                f"p95 {out[f'{key}_server_cpu_p95_ms']} ms), {len(failed)} errors"
            )
    # Round robins over this archive: bench/round_robin_bench.py (its own step in run.py).
    return out
