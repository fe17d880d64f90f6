"""Targets, the Markdown table and the machine description."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# (key, label, unit, target text, check(results) -> bool | None)
ROWS = (
    (
        "parse_pages_per_s",
        "Parse, pages/s (1 core)",
        "",
        "≥ 1,000",
        lambda r: r["parse_pages_per_s"] >= 1000,
    ),
    (
        "parse_ratio_vs_bs4",
        "Parse vs BeautifulSoup+lxml get_text",
        "×",
        "≥ 20×",
        lambda r: r["parse_ratio_vs_bs4"] >= 20,
    ),
    (
        "parse_ratio_vs_lexbor_floor",
        "Parse vs lexbor parse + main text (floor)",
        "×",
        "≥ 0.5× (within 2×)",
        lambda r: r["parse_ratio_vs_lexbor_floor"] >= 0.5,
    ),
    ("crawl_pages_per_s", "Crawl, full refresh, pages/s (c=4, loopback)", "", "—", None),
    (
        "crawl_ratio_vs_raw_fetch",
        "Crawl vs bare httpx GETs (c=4)",
        "×",
        "≥ 0.8×",
        lambda r: r["crawl_ratio_vs_raw_fetch"] >= 0.8,
    ),
    (
        "crawl_peak_rss_mb_1k",
        "Crawl peak RSS, small mirror",
        " MB",
        "≤ 150 MB",
        lambda r: r["crawl_peak_rss_mb_1k"] <= 150,
    ),
    (
        "crawl_peak_rss_mb_5k",
        "Crawl peak RSS, large mirror",
        " MB",
        "≤ 150 MB, flat (≤ +15%)",
        lambda r: (
            r["crawl_peak_rss_mb_5k"] <= 150
            and r["crawl_peak_rss_mb_5k"] <= 1.15 * r["crawl_peak_rss_mb_1k"]
        ),
    ),
    (
        "refresh_noop_requests",
        "No-change refresh, requests (lister)",
        "",
        "≤ 3 lister requests",
        lambda r: r["refresh_noop_lister_requests"] <= 3,
    ),
    ("refresh_noop_s", "No-change refresh, seconds", " s", "—", None),
    ("fts_p50_ms", "Search p50 (/search.json)", " ms", "—", None),
    (
        "fts_p95_ms",
        "Search p95 (/search.json)",
        " ms",
        "≤ 50 ms",
        lambda r: r["fts_p95_ms"] <= 50,
    ),
    ("fts_filtered_p95_ms", "Search p95 with a filter or page 2", " ms", "—", None),
    ("row_p95_ms", "Response page p95", " ms", "—", None),
    # National scale (issue 17): the national synthetic archive, figures from one run.
    ("scale_responses", "National archive, responses", "", "500,000", None),
    ("scale_forces", "National archive, forces", "", "≥ 40", lambda r: r["scale_forces"] >= 40),
    ("search_p50_ms", "/search p50 (national)", " ms", "—", None),
    (
        "search_p95_ms",
        "/search p95 (national)",
        " ms",
        "≤ 50 ms",
        lambda r: r["search_p95_ms"] <= 50,
    ),
    (
        "response_page_p95_ms",
        "/response/<id> p95 (national)",
        " ms",
        "≤ 50 ms",
        lambda r: r["response_page_p95_ms"] <= 50,
    ),
    (
        "facet_p95_ms",
        "Table facets p95 (national)",
        " ms",
        "≤ 200 ms",
        lambda r: r["facet_p95_ms"] <= 200,
    ),
    (
        "parse_full_length_pages_per_s",
        "Parse, full-length pages/s (1 core)",
        "",
        "≥ 1,000",
        lambda r: r["parse_full_length_pages_per_s"] >= 1000,
    ),
    (
        "reparse_pages_per_s",
        "Reparse, pages/s (all cores)",
        "",
        "≥ 1,000",
        lambda r: r["reparse_pages_per_s"] >= 1000,
    ),
    (
        "import_warc_pages_per_s",
        "import-warc, pages/s",
        "",
        "≥ 1,000",
        lambda r: r["import_warc_pages_per_s"] >= 1000,
    ),
    ("round_robin_build_s", "Round robins, whole-archive build", " s", "—", None),
    ("round_robin_incremental_ms_p50", "Round robins, per page added (p50)", " ms", "—", None),
    # CPU per page: what the wall-time rates above become on an idle machine
    ("reparse_cpu_ms_per_page", "Reparse, CPU ms/page (all processes)", " ms", "—", None),
    ("import_warc_cpu_ms_per_page", "import-warc, CPU ms/page (all processes)", " ms", "—", None),
)

RESULT_KEYS = tuple(row[0] for row in ROWS)


def verdicts(results: dict) -> dict[str, str]:
    out = {}
    for key, _label, _unit, _target, check in ROWS:
        if results.get(key) is None:
            out[key] = "not run"
        elif check is None:
            out[key] = "—"
        else:
            try:
                out[key] = "PASS" if check(results) else "MISS"
            except (KeyError, TypeError):
                out[key] = "not run"
    return out


def markdown_table(results: dict) -> str:
    marks = verdicts(results)
    lines = ["| measure | N | result | target | |", "|---|---:|---:|---|---|"]
    for key, label, unit, target, _check in ROWS:
        value = results.get(key)
        shown = "—" if value is None else f"{_format(value)}{unit}"
        if key == "refresh_noop_requests" and value is not None:
            shown = f"{value} ({results.get('refresh_noop_lister_requests')})"
        lines.append(f"| {label} | {_n_for(key, results)} | {shown} | {target} | {marks[key]} |")
    return "\n".join(lines)


def _format(value) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        return f"{value:.2f}" if value < 10 else f"{value:.1f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _n_for(key: str, r: dict) -> str:
    n = {
        "parse": r.get("parse_n_pages"),
        "crawl_peak_rss_mb_1k": r.get("crawl_n_small"),
        "crawl": r.get("crawl_n"),
        "refresh": r.get("refresh_noop_n"),
        "fts": r.get("fts_n"),
        "row": r.get("fts_n"),
    }
    for prefix in ("crawl_peak_rss_mb_1k", "parse", "crawl", "refresh", "fts", "row"):
        if key.startswith(prefix) and n[prefix]:
            return f"{n[prefix]:,}"
    return ""


def machine_info() -> dict:
    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "sqlite": sqlite3.sqlite_version,
        # Other work on the machine moves wall-clock figures: say how busy it was.
        "loadavg_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    for package in ("selectolax", "lxml", "beautifulsoup4", "httpx", "datasette", "sqlite-utils"):
        try:
            info[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            info[package] = None
    try:
        info["git_commit"] = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        info["git_commit"] = None
    return info


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def results_block(results: dict) -> str:
    """The table and a line on the run, for bench/README.md's "Latest results"."""
    m = results["machine"]
    return (
        markdown_table(results)
        + f"\n\n{results['mode']} run of {results['started_at']} (commit {m['git_commit']}), "
        f"{results['total_s']:.0f} s, {m['cpus']} CPUs ({m['cpu_model']}), Python {m['python']}, "
        f"SQLite {m['sqlite']}, selectolax {m['selectolax']}, load average at start "
        f"{m.get('loadavg_at_start')}. Wall-clock figures (crawl above all) move with other work "
        f"on the machine; CPU time per page is steadier: refresh {results.get('crawl_cpu_ms_per_page')} ms "
        f"against {results.get('crawl_raw_fetch_cpu_ms_per_page')} ms for a bare httpx GET. Parse on the "
        f"mirror's full-length pages: {results.get('parse_full_length_pages_per_s')} pages/s "
        f"({results.get('parse_full_length_ratio_vs_bs4')}× bs4, "
        f"{results.get('parse_full_length_ratio_vs_lexbor_floor')}× the floor). Peak RSS while building the "
        f"{results.get('refresh_noop_n') or 0:,}-response archive: {results.get('crawl_peak_rss_mb_noop_build')} MB. "
        f"No-change refresh requests: {results.get('refresh_noop_request_kinds')}. Search with "
        f"bench/proposed_search.sql: p50 {results.get('fts_p50_ms_proposed_sql')} ms, "
        f"p95 {results.get('fts_p95_ms_proposed_sql')} ms."
    )


def main() -> None:
    """Print the table of a results file; `--update-readme` rewrites bench/README.md's block.

    python -m bench.report [bench/results.json] [--update-readme]
    """
    import json
    import re
    import sys

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    path = Path(args[0]) if args else REPO / "bench" / "results.json"
    results = json.loads(path.read_text())
    if "--update-readme" not in sys.argv:
        print(markdown_table(results))
        return
    readme = REPO / "bench" / "README.md"
    block = "<!-- results:start -->\n" + results_block(results) + "\n<!-- results:end -->"
    text = re.sub(
        r"<!-- results:start -->.*?<!-- results:end -->",
        lambda _: block,
        readme.read_text(),
        flags=re.S,
    )
    readme.write_text(text)
    print(block)


if __name__ == "__main__":
    main()
