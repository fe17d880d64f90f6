"""Datasette: full-text search and the response page, over a large synthetic archive.

A real `foilog serve --db .../foi.db --port P` child serves the archive built by
`bench.archive_build`; one keep-alive httpx client sends ~200 searches of realistic
terms to `/search.json` (the search page's JSON), one after another, then 100 of them
narrowed by a filter (year, outcome, section, NCND, newest first, page 2), then fetches
response pages. Latency is measured at the client, on loopback.
"""

from __future__ import annotations

import random
import re
import sqlite3
import statistics
import time
from pathlib import Path

import httpx

from bench.archive_build import ensure_archive
from bench.procs import REPO, foilog_argv
from bench.synth import DEFAULT_SEED, SourcePage
from foilog.child_server import ChildServer, start_server

# What people search the disclosure log for (press coverage of MPS FOI releases):
# topics, some two-word phrases, a few broad words that match a large share of it.
CURATED_TERMS = (
    "facial recognition",
    "taser",
    "stop and search",
    "body worn video",
    "drones",
    "knife crime",
    "overtime",
    "misconduct",
    "complaints",
    "CCTV",
    "ANPR",
    "firearms",
    "domestic abuse",
    "cannabis",
    "protest",
    "coronation",
    "Notting Hill Carnival",
    "vetting",
    "dismissed",
    "spit hoods",
    "custody",
    "strip search",
    "sexual offences",
    "fraud",
    "budget",
    "vehicles",
    "helicopter",
    "counter terrorism",
    "dogs",
    "football",
    "officers",
    "crime",
    "information",
    "data",
    "London",
    "2023",
    "cost",
    "training",
    '"live facial recognition"',
    "social media",
    "mobile phones",
    "Twitter",
    "contract",
)
ROW_SAMPLES = 100


def search_terms(db_path: Path, n: int = 200, seed: int = DEFAULT_SEED) -> list[str]:
    """~n queries: curated topics, title words from the archive, and pairs of them."""
    rng = random.Random(f"{seed}:terms")
    conn = sqlite3.connect(db_path)
    titles = [
        t for (t,) in conn.execute("SELECT title FROM responses WHERE title IS NOT NULL LIMIT 5000")
    ]
    conn.close()
    words = sorted({w.lower() for t in titles for w in re.findall(r"[A-Za-z]{5,}", t)})
    terms = list(CURATED_TERMS)
    while len(terms) < n and words:
        roll = rng.random()
        if roll < 0.7:
            terms.append(rng.choice(words))
        elif roll < 0.9:
            terms.append(f"{rng.choice(words)} {rng.choice(words)}")
        else:
            terms.append(f'"{rng.choice(words)} {rng.choice(words)}"')
    rng.shuffle(terms)
    return terms[:n]


class DatasetteServer:
    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.child: ChildServer | None = None
        self.base_url = ""

    def __enter__(self) -> DatasetteServer:
        argv = foilog_argv() + ["serve", "--db", str(self.db_path), "--port", "0"]
        self.child = start_server(argv, timeout=60, cwd=REPO)
        self.base_url = self.child.base_url
        return self

    def __exit__(self, *exc) -> None:
        assert self.child is not None
        self.child.stop()
        log = REPO / "bench" / "work" / "datasette.log"
        log.write_text(self.child.first_line + "\n" + self.child.stderr_text(), encoding="utf-8")
        self.child.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[index]


def time_gets(client: httpx.Client, paths: list[str]) -> tuple[list[float], list[dict]]:
    times, details = [], []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        rows = None
        if response.headers.get("content-type", "").startswith("application/json"):
            data = response.json()
            rows = len(data.get("rows", data.get("results", [])))
        times.append(elapsed)
        details.append(
            {"path": path, "ms": round(elapsed, 1), "status": response.status_code, "rows": rows}
        )
    return times, details


FILTERS = (
    {"year": "2023"},
    {"outcome": "partial"},
    {"section": "40"},
    {"ncnd": "1"},
    {"sort": "newest"},
    {"page": "2"},
    {"year": "2022", "sort": "newest"},
)


def filtered_search_paths(terms: list[str], seed: int, n: int = 100) -> list[str]:
    """Searches narrowed as people narrow them: a year, an outcome, a section, page 2."""
    rng = random.Random(f"{seed}:filters")
    return [
        str(httpx.URL("/search.json", params={"q": term, **rng.choice(FILTERS)}))
        for term in terms[:n]
    ]


def response_page_paths(db_path: Path, n: int, seed: int) -> list[str]:
    from datasette.utils import tilde_encode

    rng = random.Random(f"{seed}:rows")
    conn = sqlite3.connect(db_path)
    total = conn.execute("SELECT max(rowid) FROM responses").fetchone()[0]
    ids = []
    for rowid in rng.sample(range(1, total + 1), min(n, total)):
        row = conn.execute("SELECT id FROM responses WHERE rowid = ?", (rowid,)).fetchone()
        if row:
            ids.append(row[0])
    conn.close()
    return [f"/foi/responses/{tilde_encode(i)}" for i in ids]


def _time_proposed_sql(client: httpx.Client, terms: list[str]) -> list[float] | str:
    """Latencies of bench/proposed_search.sql, or why they could not be measured."""
    proposal = Path(__file__).with_name("proposed_search.sql")
    if not proposal.exists():
        return "no bench/proposed_search.sql"
    sql = proposal.read_text()
    paths = [str(httpx.URL("/foi.json", params={"sql": sql, "q": t})) for t in terms]
    time_gets(client, paths[:10])
    times, details = time_gets(client, paths)
    failed = [d for d in details if d["status"] != 200]
    if failed:  # e.g. the schema moved on: report it, do not publish a figure
        return f"{len(failed)} of {len(details)} queries failed, first HTTP {failed[0]['status']}"
    return times


def run(work: Path, sources: list[SourcePage], n: int, n_queries: int = 200, log=print) -> dict:
    db_path = Path(work) / f"archive-{n}" / "foi.db"  # metadata.yml names the database "foi"
    started = time.perf_counter()
    built = ensure_archive(db_path, sources, n, log=log)
    build_s = time.perf_counter() - started
    log(
        f"  archive of {n}: {'reused' if built.get('reused') else f'built in {build_s:.0f}s {built}'}"
    )
    terms = search_terms(db_path, n_queries)
    # /search.json: the search page people use (db/search.py), same query as /search.
    search_paths = [str(httpx.URL("/search.json", params={"q": t})) for t in terms]
    filtered_paths = filtered_search_paths(terms, DEFAULT_SEED)
    row_paths = response_page_paths(db_path, ROW_SAMPLES, DEFAULT_SEED)
    with (
        DatasetteServer(db_path) as server,
        httpx.Client(base_url=server.base_url, timeout=60) as client,
    ):
        time_gets(client, search_paths[:10])  # warm the page cache and Datasette's
        search_ms, search_details = time_gets(client, search_paths)
        filtered_ms, filtered_details = time_gets(client, filtered_paths)
        time_gets(client, row_paths[:5])
        row_ms, row_details = time_gets(client, row_paths)
        proposed_ms = _time_proposed_sql(client, terms)
    bad = [d for d in search_details + filtered_details + row_details if d["status"] != 200]
    slowest = sorted(search_details, key=lambda d: -d["ms"])[:5]
    result = {
        "fts_n": n,
        "fts_queries": len(search_ms),
        "fts_p50_ms": round(statistics.median(search_ms), 1),
        "fts_p95_ms": round(percentile(search_ms, 95), 1),
        "fts_max_ms": round(max(search_ms), 1),
        "fts_slowest": slowest,
        "fts_zero_hit_queries": sum(1 for d in search_details if d["rows"] == 0),
        "fts_filtered_queries": len(filtered_ms),
        "fts_filtered_p50_ms": round(statistics.median(filtered_ms), 1),
        "fts_filtered_p95_ms": round(percentile(filtered_ms, 95), 1),
        "fts_filtered_slowest": sorted(filtered_details, key=lambda d: -d["ms"])[:5],
        "row_p50_ms": round(statistics.median(row_ms), 1),
        "row_p95_ms": round(percentile(row_ms, 95), 1),
        "row_page": row_paths[0] if row_paths else None,
        "serve_errors": len(bad),
        "archive_build": built,
    }
    if isinstance(proposed_ms, str):
        result["fts_proposed_sql_not_measured"] = proposed_ms
    else:
        # bench/proposed_search.sql through /foi.json?sql=: the proposal, same terms.
        result["fts_p50_ms_proposed_sql"] = round(statistics.median(proposed_ms), 1)
        result["fts_p95_ms_proposed_sql"] = round(percentile(proposed_ms, 95), 1)
    if bad:
        result["serve_error_examples"] = bad[:5]
    log(
        f"  search p50 {result['fts_p50_ms']} ms, p95 {result['fts_p95_ms']} ms; response page p95 "
        f"{result['row_p95_ms']} ms; {len(bad)} errors"
    )
    return result
