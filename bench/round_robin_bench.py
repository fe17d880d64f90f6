"""Round robins at national scale: the whole-archive build and the cost of one page.

    .venv/bin/python -m bench.round_robin_bench --db bench/work/national-50000/foi.db
    .venv/bin/python -m bench.round_robin_bench --db /path/foi.db --copy   # leave it as is

`rebuild_round_robins` over the whole archive (what `foilog reparse` ends with; the
sketches in a pool on every core, the placing and writing in this process), then the
incremental cost: pages taken out of the index one at a time and put back with
`update_round_robins([id])`, as a refresh does for each page it loads. Wall time on a
shared machine mostly measures the other tenants: the CPU figures count this process
and the pool's workers.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

from bench.serve_bench import percentile
from bench.synth import DEFAULT_SEED, SourcePage


def run(work: Path, sources: list[SourcePage], n: int, log=print, seed: int = DEFAULT_SEED) -> dict:
    """On bench.national's archive of n responses (built, or reused from its cache)."""
    from bench.national import ensure_national

    db_path = work / f"national-{n}" / "foi.db"
    ensure_national(db_path, sources, n, seed=seed, log=log)
    return round_robins(db_path, seed, log=log)


def round_robins(db_path: Path, seed: int = DEFAULT_SEED, incremental: int = 50, log=print) -> dict:
    import sqlite_utils

    from db.round_robins import rebuild_round_robins, update_round_robins
    from db.schema import ensure_schema

    db = sqlite_utils.Database(db_path)
    ensure_schema(db)  # as every foilog command does (migration 12 on an older archive)
    responses = db.conn.execute("SELECT count(*) FROM responses").fetchone()[0]
    log(f"  round robins: rebuilding over the whole archive ({responses} responses)")
    wall = time.perf_counter()
    built = rebuild_round_robins(db)
    wall = time.perf_counter() - wall
    cpu = sum(built["cpu_s"].values())
    found, largest = db.conn.execute(
        "SELECT count(*), coalesce(max(responses), 0) FROM round_robins"
    ).fetchone()
    members = db.conn.execute("SELECT count(*) FROM round_robin_members").fetchone()[0]
    total = db.conn.execute("SELECT max(rowid) FROM responses").fetchone()[0]
    rng = random.Random(f"{seed}:scale-rr")
    times, cpu_times = [], []
    for rowid in rng.sample(range(1, total + 1), min(incremental, total)):
        row = db.conn.execute("SELECT id FROM responses WHERE rowid = ?", (rowid,)).fetchone()
        if row is None:
            continue
        with db.conn:
            db.conn.execute("DELETE FROM round_robin_index WHERE response_id = ?", row)
        started, cpu_started = time.perf_counter(), time.process_time()
        update_round_robins(db, [row[0]])
        times.append((time.perf_counter() - started) * 1000)
        cpu_times.append((time.process_time() - cpu_started) * 1000)
    db.close()
    out = {
        "round_robin_build_s": round(wall, 1),
        "round_robin_build_cpu_s": round(cpu, 1),
        "round_robin_build_cpu_ms_per_page": round(cpu * 1000 / max(responses, 1), 3),
        "round_robin_build_steps_cpu_s": built["cpu_s"],
        "round_robin_build_steps_wall_s": built["wall_s"],
        "round_robin_found": found,
        "round_robin_members": members,
        "round_robin_largest": largest,
        "round_robin_incremental_ms_p50": round(percentile(times, 50), 1),
        "round_robin_incremental_ms_p95": round(percentile(times, 95), 1),
        "round_robin_incremental_cpu_ms_p50": round(percentile(cpu_times, 50), 1),
    }
    log(
        f"    round robins: {wall:.0f} s ({cpu:.0f} s CPU with the pool), {found} found "
        f"(largest {largest} answers); per page p50 {out['round_robin_incremental_ms_p50']} ms"
    )
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, required=True, help="archive (its round robins are rebuilt)")
    ap.add_argument("--copy", action="store_true", help="work on a copy, not on --db itself")
    ap.add_argument("--incremental", type=int, default=50, help="pages put back one at a time")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=Path(__file__).parent / "work") as tmp:
        path = args.db
        if args.copy:
            path = Path(tmp) / "foi.db"
            source = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
            source.execute("VACUUM INTO ?", (str(path),))
            source.close()
        print(json.dumps(round_robins(path, incremental=args.incremental), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
