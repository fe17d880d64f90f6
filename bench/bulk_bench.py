"""Whole-archive jobs: `foilog import-warc` of a large WARC, then `foilog reparse` of the
raw store it filled, both real child processes on all cores (a parser pool feeding the
one writer), then the round robins rebuilt alone on that archive.

    python -m bench.bulk_bench --pages 5000

The WARC holds N synthetic mirror pages (bench/synth.py: the real mirror's bodies
recombined, in the real mix of lengths) at their live URLs plus one image per page, as a
browser capture. Before `reparse`, every row's `parser_version` is set to an old value,
so each page is parsed and rewritten as after a parser fix (otherwise the loader's
unchanged fast path would skip the writes).

Figures: pages per second of wall time (end to end, including the round-robin grouping
each command does at its end), the same without the round-robin step (its time is
measured separately on the same archive), and CPU ms per page of the command and its
children (less disturbed by other load on the machine than wall time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from bench.warc_import_bench import write_warc


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], log=print) -> tuple[float, float, str]:
    cpu, started = _child_cpu(), time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, _child_cpu() - cpu
    if result.returncode not in (0, 1):  # 1: some pages failed, still a figure
        raise RuntimeError(f"{command[1]} exit {result.returncode}: {result.stderr[-2000:]}")
    return wall, cpu, result.stdout


def _round_robin_time(db_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `rebuild_round_robins` alone, in a child process."""
    code = (
        "import sys, time, sqlite_utils; from db.round_robins import rebuild_round_robins;"
        "db = sqlite_utils.Database(sys.argv[1]); rebuild_round_robins(db)"
    )
    wall, cpu, _ = _timed([sys.executable, "-c", code, str(db_path)])
    return wall, cpu


def run(work: Path, n: int, jobs: int | None = None, log=print) -> dict:
    jobs = jobs or os.cpu_count() or 1
    root = work / f"bulk-{n}"
    root.mkdir(parents=True, exist_ok=True)
    warc, db, pages = root / "bench.warc.gz", root / "foi.db", root / "pages.db"
    for path in (db, pages):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not warc.exists() or not (root / "warc.ok").exists():
        log(f"  writing a WARC of {n} pages")
        write_warc(warc, n)
        (root / "warc.ok").write_text(str(n))
    foilog = str(Path(sys.executable).parent / "foilog")
    where = ["--db", str(db), "--pages-db", str(pages), "--jobs", str(jobs)]

    log(f"  import-warc of {n} pages, --jobs {jobs}")
    import_wall, import_cpu, _ = _timed([foilog, "import-warc", str(warc), *where], log)
    conn = sqlite3.connect(db)
    loaded, chars = conn.execute(
        "SELECT count(*), avg(length(body_text) + length(request_text)) FROM responses"
    ).fetchone()
    # as after a parser fix: every page parsed and rewritten
    conn.execute("UPDATE responses SET parser_version = 'bench-old'")
    conn.commit()
    conn.close()
    rr_wall, rr_cpu = _round_robin_time(db)  # the grouping step both commands end with

    log(f"  reparse of {loaded} pages, --jobs {jobs}")
    reparse_wall, reparse_cpu, out = _timed([foilog, "reparse", *where, "--json"], log)
    summary = json.loads(out or "{}")
    parsed = summary.get("parsed", 0)
    out = {
        "bulk_n_pages": n,
        "bulk_jobs": jobs,
        "bulk_mean_text_chars": round(chars or 0),
        "import_warc_pages": loaded,
        "import_warc_pages_per_s": round(loaded / import_wall, 1),
        "import_warc_pages_per_s_without_round_robins": round(
            loaded / max(import_wall - rr_wall, 1e-9), 1
        ),
        "import_warc_cpu_ms_per_page": round(import_cpu * 1000 / max(loaded, 1), 2),
        "reparse_pages": parsed,
        "reparse_changed": summary.get("changed"),
        "reparse_pages_per_s": round(parsed / reparse_wall, 1),
        "reparse_pages_per_s_without_round_robins": round(
            parsed / max(reparse_wall - rr_wall, 1e-9), 1
        ),
        "reparse_cpu_ms_per_page": round(reparse_cpu * 1000 / max(parsed, 1), 2),
        "bulk_round_robin_rebuild_s": round(rr_wall, 1),
        "bulk_round_robin_rebuild_cpu_ms_per_page": round(rr_cpu * 1000 / max(loaded, 1), 2),
        "bulk_load_average": round(os.getloadavg()[0], 1),
    }
    log(
        f"    import-warc {out['import_warc_pages_per_s']}/s "
        f"({out['import_warc_cpu_ms_per_page']} CPU ms/page), reparse "
        f"{out['reparse_pages_per_s']}/s ({out['reparse_cpu_ms_per_page']} CPU ms/page), "
        f"round robins {rr_wall:.1f} s"
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "work")
    args = ap.parse_args()
    print(json.dumps(run(args.work, args.pages, args.jobs), indent=1))


if __name__ == "__main__":
    main()
