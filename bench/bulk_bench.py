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
children (less disturbed by other load on the machine than wall time), split into the
writer (the command's own process: reading, SQLite, round robins) and the parser
processes. `reparse` runs twice: once with every record changed (as by a parser fix
that reads each title differently: each row and its title's index rewritten, its child
rows the same) and once as after a parser fix that reads every record the same (the
common case: counted, only the row's parser version rewritten). The `*_1ms_parser` figures
project the rate with a parser of 1 CPU ms a page: the writer's CPU and the workers'
CPU beyond parsing stay, the parse time is replaced, over the cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bench.warc_import_bench import parse_cpu_per_page, write_warc

# Runs foilog and writes, at exit, the CPU of its own process (the writer) and of its
# children (the parser pool, joined before exit) to the file named by $BULK_RUSAGE.
_WITH_RUSAGE = """
import atexit, json, os, resource, sys
def _out():
    me, kids = (resource.getrusage(w) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    with open(os.environ["BULK_RUSAGE"], "w") as fh:
        json.dump({"writer": me.ru_utime + me.ru_stime, "workers": kids.ru_utime + kids.ru_stime}, fh)
atexit.register(_out)
from foilog.cli import cli
sys.argv[0] = "foilog"
cli()
"""


@dataclass
class Timed:
    wall: float
    cpu: float  # the command and its children
    writer: float  # the command's own process
    workers: float  # its parser processes
    stdout: str


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _timed(command: list[str], log=print) -> Timed:
    cpu, started = _child_cpu(), time.perf_counter()
    with tempfile.NamedTemporaryFile(suffix=".json") as usage:
        env = {**os.environ, "BULK_RUSAGE": usage.name}
        result = subprocess.run(command, capture_output=True, text=True, env=env)
        split = json.loads(Path(usage.name).read_text() or "{}")
    wall, cpu = time.perf_counter() - started, _child_cpu() - cpu
    if result.returncode not in (0, 1):  # 1: some pages failed, still a figure
        raise RuntimeError(f"{command[1:4]} exit {result.returncode}: {result.stderr[-2000:]}")
    return Timed(wall, cpu, split.get("writer", cpu), split.get("workers", 0.0), result.stdout)


def _foilog(*args: str) -> list[str]:
    return [sys.executable, "-c", _WITH_RUSAGE, *args]


def _round_robin_time(db_path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of `rebuild_round_robins` alone, in a child process."""
    code = (
        "import sys, time, sqlite_utils; from db.round_robins import rebuild_round_robins;"
        "db = sqlite_utils.Database(sys.argv[1]); rebuild_round_robins(db)"
    )
    timed = _timed([sys.executable, "-c", code, str(db_path)])
    return timed.wall, timed.cpu


def run(work: Path, n: int, jobs: int | None = None, log=print, reparse: bool = True) -> dict:
    jobs = jobs or os.cpu_count() or 1
    root = work / f"bulk-{n}"
    root.mkdir(parents=True, exist_ok=True)
    warc, db, pages = root / "bench.warc.gz", root / "foi.db", root / "pages.db"
    for path in (db, pages):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    if not warc.exists() or not (root / "warc.ok").exists():
        log(f"  writing a WARC of {n} pages")
        started = time.perf_counter()
        write_warc(warc, n)
        (root / "warc.ok").write_text(str(n))
        log(
            f"    written in {time.perf_counter() - started:.0f} s ({warc.stat().st_size / 1e6:.0f} MB)"
        )
    where = ["--db", str(db), "--pages-db", str(pages), "--jobs", str(jobs)]
    parse_ms = parse_cpu_per_page(min(n, 300)) * 1000

    log(f"  import-warc of {n} pages, --jobs {jobs}")
    imported = _timed(_foilog("import-warc", str(warc), *where), log)
    conn = sqlite3.connect(db)
    loaded, chars = conn.execute(
        "SELECT count(*), avg(length(body_text) + length(request_text)) FROM responses"
    ).fetchone()
    conn.close()
    rr_wall, rr_cpu = _round_robin_time(db)  # the grouping step both commands end with

    out: dict = {
        "bulk_n_pages": n,
        "bulk_jobs": jobs,
        "bulk_mean_text_chars": round(chars or 0),
        "bulk_parse_cpu_ms_per_page": round(parse_ms, 2),
        "import_warc_pages": loaded,
        **_figures("import_warc", imported, loaded, rr_wall, rr_cpu, parse_ms, jobs),
    }
    if reparse:
        out.update(_reparse_figures(db, where, loaded, rr_wall, rr_cpu, parse_ms, jobs, log))
    out["bulk_round_robin_rebuild_s"] = round(rr_wall, 1)
    out["bulk_round_robin_rebuild_cpu_ms_per_page"] = round(rr_cpu * 1000 / max(loaded, 1), 2)
    out["bulk_load_average"] = round(os.getloadavg()[0], 1)
    for key in ("import_warc", "reparse_changed", "reparse"):
        if f"{key}_pages_per_s" not in out:
            continue
        log(
            f"    {key}: {out[f'{key}_pages_per_s']}/s wall "
            f"({out[f'{key}_pages_per_s_without_round_robins']}/s without round robins); CPU ms/page "
            f"{out[f'{key}_cpu_ms_per_page']} = writer {out[f'{key}_writer_cpu_ms_per_page']} "
            f"+ workers {out[f'{key}_worker_cpu_ms_per_page']}; projected with a 1 ms parser "
            f"{out[f'{key}_pages_per_s_1ms_parser']}/s"
        )
    return out


def _reparse_figures(
    db: Path, where: list[str], loaded: int, rr_wall, rr_cpu, parse_ms, jobs, log
) -> dict:
    def timed_reparse(key: str, what: str) -> dict:
        log(f"  reparse of {loaded} pages ({what}), --jobs {jobs}")
        run = _timed(_foilog("reparse", *where, "--json"), log)
        summary = json.loads(run.stdout or "{}")
        grouped = _regrouped(summary, loaded)
        parsed = summary.get("parsed", 0)
        figures = _figures(key, run, parsed, rr_wall * grouped, rr_cpu * grouped, parse_ms, jobs)
        return {"summary": summary, **figures}

    # every record changed, as by a parser fix that reads each title differently: each
    # row and its title's index rewritten (child rows the same, so not rewritten)
    _make_old(db, "parser_version = 'bench-old', record_sha256 = 'bench-old', title = title || '.'")
    _make_old(db, "record_sha256 = 'bench-old'", "round_robin_index")  # grouped as read then
    changed = timed_reparse("reparse_changed", "every record changed")
    # as after a parser fix that reads every record the same
    _make_old(db, "parser_version = 'bench-old'")
    same = timed_reparse("reparse", "new parser, same records")
    changed_summary, same_summary = changed.pop("summary"), same.pop("summary")
    return {
        "reparse_changed": changed_summary.get("changed"),
        **changed,
        "reparse_unchanged": same_summary.get("unchanged"),
        "reparse_pages": same_summary.get("parsed", 0),  # the N bench/report.py checks
        "reparse_regrouped": same_summary.get("regrouped"),
        **same,
    }


def _regrouped(summary: dict, loaded: int) -> float:
    """The share of the round-robin build a reparse did: it regroups only the records
    it changed (none when the parser read them the same), all of them by the build."""
    return min(summary.get("regrouped", loaded) / max(loaded, 1), 1.0)


def _make_old(db: Path, assignments: str, table: str = "responses") -> None:
    conn = sqlite3.connect(db)
    conn.execute(f"UPDATE {table} SET {assignments}")
    conn.commit()
    conn.close()


def _figures(
    key: str, t: Timed, pages: int, rr_wall: float, rr_cpu: float, parse_ms: float, jobs: int
) -> dict:
    """Rates and CPU per page; the writer's CPU is given without the round-robin step
    too (it runs in the writer, timed alone on the same archive)."""
    per = 1000 / max(pages, 1)
    writer_ms, workers_ms = t.writer * per, t.workers * per
    writer_no_rr = max(writer_ms - rr_cpu * per, 0.0)
    # a 1 ms parser: the workers' other work stays (decompressing, digests, pickling)
    workers_1ms = max(workers_ms - parse_ms, 0.0) + 1.0

    def projected(writer: float) -> float:
        return round(1000 / max(writer, (writer + workers_1ms) / jobs), 1)

    return {
        f"{key}_pages_per_s": round(pages / t.wall, 1),
        # None when the round robins alone took longer (wall time under other load)
        f"{key}_pages_per_s_without_round_robins": (
            round(pages / (t.wall - rr_wall), 1) if t.wall > rr_wall else None
        ),
        f"{key}_cpu_ms_per_page": round(t.cpu * per, 2),
        f"{key}_writer_cpu_ms_per_page": round(writer_ms, 2),
        f"{key}_writer_cpu_ms_per_page_without_round_robins": round(writer_no_rr, 2),
        f"{key}_worker_cpu_ms_per_page": round(workers_ms, 2),
        f"{key}_pages_per_s_1ms_parser": projected(writer_ms),
        f"{key}_pages_per_s_1ms_parser_without_round_robins": projected(writer_no_rr),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=3000)
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--no-reparse", action="store_true", help="import-warc only")
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "work")
    args = ap.parse_args()
    print(json.dumps(run(args.work, args.pages, args.jobs, reparse=not args.no_reparse), indent=1))


if __name__ == "__main__":
    main()
