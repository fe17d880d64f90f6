"""`make bench`: every figure of issue 17 from one run; a Markdown table and bench/results.json.

    python -m bench.run            # full run (cold: ~30 minutes on 2 cores; less when cached)
    python -m bench.run --quick    # every part with small N, writes bench/work/results-quick.json
    python -m bench.run --only parse --only bulk   # some parts, bench/work/results-parse-bulk.json

Parts, in order: parse (one core, CPU time), crawl (refreshes of synthetic mirrors on
loopback: peak RSS, rate, the no-change refresh), scale (the national archive, built or
reused, and its readers over `foilog serve`), round_robins (over that archive: the
whole-archive build, then page by page), bulk (import-warc of a WARC, then reparse).
`serve` (the older 100,000-response MPS archive: `fts_*`, `row_*`) is superseded by the
national readers and runs only when named with --only.

Synthetic mirrors, the national archive and the WARC are cached under bench/work/ and
rebuilt only when what they are made from changes. Each part's elapsed time is printed
and kept (`bench_parts_s`); results are written after every part, so a failing or
interrupted run still leaves what it measured. Exit 1 when a part failed or (full run)
one of issue 17's figures was not measured; with --strict also when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench import bulk_bench, crawl_bench, parse_bench, round_robin_bench, scale_bench, serve_bench
from bench.report import (
    ISSUE_KEYS,
    LAYOUT,
    PARTS,
    RESULT_KEYS,
    ROWS,
    machine_info,
    markdown_table,
    summary_line,
    verdicts,
)
from bench.synth import DEFAULT_SITE_ROOT, load_sources

BENCH = Path(__file__).resolve().parent
WORK = BENCH / "work"

SUPERSEDED = ("serve",)  # only with --only serve

SIZES = {
    "full": {
        "parse": 2000,
        "bs4": 200,
        "full_length": 400,  # synthetic full-length pages, besides the real ones
        "small": 1000,
        "rate": 5000,
        "noop": 10000,
        "scale": 500_000,
        "bulk": 50_000,  # the issue's 50,000-page WARC
        "fts": 100_000,
    },
    "quick": {
        "parse": 300,
        "bs4": 50,
        "full_length": 40,
        "small": 200,
        "rate": 1000,
        "noop": 1000,
        "scale": 5000,
        "bulk": 300,
        "fts": 5000,
    },
}

# Seconds each part may take in a cold full run for the whole to fit 40 minutes on two
# cores: the national build <= 12 min and bulk at >= 1,000 pages/s assumed (issue 17).
# Scale: build 720 + readers 120; round robins 600 (their target); bulk: the WARC ~80,
# import-warc and reparse ~50 each at 1,000 pages/s plus a round-robin rebuild after each
# and one alone (~75 each at 50,000). 38 minutes in all, 2 for start-up.
BUDGET_S = {
    "parse": 60,
    "crawl": 300,
    "scale": 840,
    "round_robins": 600,
    "bulk": 480,
    "serve": 600,
}
SCALE_BUDGET_S = {"national_build": 720, "readers_and_rest": 120}

_STARTED = time.perf_counter()


def log(message: str) -> None:
    elapsed = time.perf_counter() - _STARTED
    print(f"[{elapsed / 60:5.1f} min] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="every part with small N")
    ap.add_argument("--only", action="append", choices=PARTS + SUPERSEDED)
    ap.add_argument("--scale-n", type=int, help="responses in the national archive")
    ap.add_argument("--bulk-n", type=int, help="pages in the import-warc/reparse WARC")
    ap.add_argument("--out", type=Path, help="results file (default bench/results.json)")
    ap.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = ap.parse_args(argv)
    global _STARTED
    _STARTED = time.perf_counter()
    mode = "quick" if args.quick else "full"
    sizes = dict(SIZES[mode])
    sizes["scale"] = args.scale_n or sizes["scale"]
    sizes["bulk"] = args.bulk_n or sizes["bulk"]
    parts = list(dict.fromkeys(args.only)) if args.only else list(PARTS)
    out = args.out or default_out(mode, args.only)
    WORK.mkdir(parents=True, exist_ok=True)

    results: dict = {
        "results_layout": LAYOUT,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": mode,
        "parts": parts,
        "sizes": sizes,
        "complete": False,
        "machine": machine_info(),
        "bench_cache": cache_state(sizes),
    }
    errors: dict[str, str] = {}
    sources = load_sources(DEFAULT_SITE_ROOT)
    results["synthetic_sources"] = len(sources)
    log(
        f"bench: {mode}, parts {parts}, {len(sources)} real pages as sources, {results['bench_cache']}"
    )

    steps = {
        "parse": lambda: parse_bench.run(
            sources, sizes["parse"], sizes["bs4"], n_full_length=sizes["full_length"]
        ),
        "crawl": lambda: crawl(sizes),
        "scale": lambda: scale(sizes, sources),
        "round_robins": lambda: round_robins(sizes, sources, results),
        "bulk": lambda: bulk_bench.run(WORK, sizes["bulk"], log=log),
        "serve": lambda: serve_bench.run(WORK, sources, sizes["fts"], log=log),
    }
    timings: dict[str, float] = {}
    for part in parts:
        log(f"[{part}] (budget in a cold full run: {BUDGET_S[part]} s)")
        part_started = time.perf_counter()
        try:
            results.update(steps[part]())
        except Exception as exc:  # one broken part must not hide the other figures
            results.update(getattr(exc, "figures", {}))  # what it measured before failing
            errors[part] = f"{type(exc).__name__}: {exc}"
            log(traceback.format_exc())
            log(f"[{part}] FAILED: {errors[part]}")
        timings[part] = round(time.perf_counter() - part_started, 1)
        results[f"{part}_bench_s"] = timings[part]
        results["bench_parts_s"] = timings
        log(f"[{part}] {timings[part]:.0f} s")
        write(out, results, errors)

    results["bench_total_s"] = round(time.perf_counter() - _STARTED, 1)
    results["loadavg_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["complete"] = True
    write(out, results, errors)

    print(markdown_table(results))
    print("\n" + part_times(timings, mode, results.get("scale_split_s")))
    print(
        f"\n{mode} run, {results['bench_total_s']:.0f} s ({results['bench_cache']}) on "
        f"{results['machine']['cpus']} CPUs ({results['machine']['cpu_model']}); "
        f"details in {display(out)}"
    )
    print(summary_line(results))
    if mode == "full" and results["bench_total_s"] > sum(BUDGET_S[p] for p in parts) + 120:
        print(
            f"bench: {results['bench_total_s'] / 60:.0f} minutes, over the budget of these "
            f"parts ({results['bench_cache']}, load average {results['loadavg_at_end']})",
            file=sys.stderr,
        )
    return exit_code(results, errors, parts, args.strict)


def default_out(mode: str, only: list[str] | None) -> Path:
    """bench/results.json only for a full run of every part: the issue's "same run"."""
    if only:
        return (
            WORK
            / f"results-{'-'.join(dict.fromkeys(only))}{'-quick' if mode == 'quick' else ''}.json"
        )
    return WORK / "results-quick.json" if mode == "quick" else BENCH / "results.json"


def cache_state(sizes: dict) -> str:
    """'cold' when none of this run's cached inputs exists yet, else what is cached."""
    cached = [
        name
        for name, path in (
            ("national archive", WORK / f"national-{sizes['scale']}" / "foi.db.stamp"),
            ("WARC", WORK / f"bulk-{sizes['bulk']}" / "warc.ok"),
            ("mirrors", WORK / f"site-{sizes['noop']}"),
        )
        if path.exists()
    ]
    return "cached: " + ", ".join(cached) if cached else "cold"


def crawl(sizes: dict) -> dict:
    try:
        return _crawl_keys(
            crawl_bench.run(WORK, sizes["small"], sizes["rate"], sizes["noop"], log=log)
        )
    except crawl_bench.PartlyMeasured as exc:
        exc.figures = _crawl_keys(exc.figures)
        raise


def _crawl_keys(out: dict) -> dict:
    """crawl_bench's small/big mirrors under the issue's names (1k, 5k)."""
    renames = {
        "crawl_peak_rss_mb_small": "crawl_peak_rss_mb_1k",
        "crawl_peak_rss_mb_big": "crawl_peak_rss_mb_5k",
        "crawl_peak_rss_mb_largest_process_small": "crawl_peak_rss_mb_largest_process_1k",
        "crawl_peak_rss_mb_largest_process_big": "crawl_peak_rss_mb_largest_process_5k",
    }
    return {renames.get(k, k): v for k, v in out.items()}


def scale(sizes: dict, sources: list) -> dict:
    """The national archive (built or reused) and its readers."""
    started = time.perf_counter()
    out = scale_bench.run(WORK, sources, sizes["scale"], log=log)
    elapsed = time.perf_counter() - started
    build = out.get("scale_build") or {}
    # The part's own split, for the budget: the build (0 when reused) and the readers.
    build_s = 0.0 if build.get("reused") else float(build.get("build_s") or 0.0)
    out["scale_split_s"] = {
        "national_build": round(build_s, 1),
        "readers_and_rest": round(elapsed - build_s, 1),
    }
    log(f"  scale split: {out['scale_split_s']}")
    return out


def round_robins(sizes: dict, sources: list, so_far: dict) -> dict:
    """The national archive's round robins: the whole-archive build, then page by page."""
    return round_robin_bench.run(WORK, sources, sizes["scale"], log=log)


def part_times(timings: dict[str, float], mode: str, scale_split: dict | None = None) -> str:
    """Elapsed time of each part (and of the scale part's three steps) against its budget."""
    rows = []
    for part, seconds in timings.items():
        rows.append((part, seconds, BUDGET_S[part]))
        if part == "scale":
            for step, step_s in (scale_split or {}).items():
                rows.append((f"scale: {step.replace('_', ' ')}", step_s, SCALE_BUDGET_S[step]))
    lines = ["| part | elapsed | budget (cold full run) |", "|---|---:|---:|"]
    for name, seconds, budget in rows:
        over = " OVER" if mode == "full" and seconds > budget else ""
        lines.append(f"| {name} | {seconds:,.0f} s | {budget:,} s{over} |")
    return "\n".join(lines)


def write(out: Path, results: dict, errors: dict[str, str]) -> None:
    results["errors"] = errors
    results["verdicts"] = verdicts(results)
    for key in RESULT_KEYS:
        results.setdefault(key, None)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(results, indent=2, default=str) + "\n")
    tmp.replace(out)


def exit_code(results: dict, errors: dict[str, str], parts: list[str], strict: bool) -> int:
    """1, with a message on stderr, when the run is not what `make bench` promises."""
    problems = [f"part {part} failed: {message}" for part, message in errors.items()]
    ran = {row.key for row in ROWS if row.part in parts or row.part == "run"}
    absent = [k for k in ISSUE_KEYS if k in ran and results.get(k) is None]
    if absent:
        problems.append("not measured: " + ", ".join(absent))
    if strict:
        missed = [k for k, v in verdicts(results).items() if v == "MISS" and k in ISSUE_KEYS]
        if missed:
            problems.append("targets missed: " + ", ".join(missed))
    for problem in problems:
        print(f"bench: {problem}", file=sys.stderr)
    return 1 if problems else 0


def display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(BENCH.parent))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
