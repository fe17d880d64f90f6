"""Crawl: a full `foilog refresh` of a synthetic mirror on loopback, against bare httpx.

Every refresh is a fresh child process (`foilog refresh ... --json --rate 0
--concurrency 4`) against the real fixture server, itself in another child: wall time,
the child's own peak RSS (wait4 rusage), its JSON summary, and the requests the server
saw. The baseline (`bench.raw_fetch`) GETs the same detail URLs at the same concurrency.
"""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path

from bench.procs import Mirror, foilog_argv, run_child
from bench.synth_site import ensure_mirror

CONCURRENCY = 4
NOOP_FORCES = 1  # the synthetic mirror is one force's site
# A 10,000-page refresh takes ~80 s on two idle cores; at a load average of ~19 it took
# more than 600 s (killed). Generous: a run that slow is reported, not lost.
REFRESH_TIMEOUT_S = 2400


def refresh(base_url: str, workdir: Path, fresh: bool) -> dict:
    workdir = Path(workdir)
    if fresh and workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    argv = foilog_argv() + [
        "refresh",
        "--site",
        base_url,
        "--db",
        str(workdir / "foi.db"),
        "--pages-db",
        str(workdir / "pages.db"),
        "--json",
        "--rate",
        "0",
        "--concurrency",
        str(CONCURRENCY),
    ]
    child = run_child(argv, timeout=REFRESH_TIMEOUT_S)
    if child.wall_s >= REFRESH_TIMEOUT_S and child.returncode < 0:
        raise RuntimeError(f"foilog refresh killed after {REFRESH_TIMEOUT_S} s (machine too busy?)")
    if child.returncode not in (0, 1) or child.json is None:
        raise RuntimeError(
            f"foilog refresh exited {child.returncode}: {child.stderr.strip()[-800:] or child.stdout[-800:]}"
        )
    return {
        "summary": child.json,
        "wall_s": child.wall_s,
        "maxrss_mb": child.maxrss_mb,
        "maxrss_single_mb": child.maxrss_single_mb,
        "cpu_s": child.cpu_s,
        "returncode": child.returncode,
    }


def raw_fetch(base_url: str, manifest: dict, workdir: Path) -> dict:
    urls = [base_url + entry["url_path"] for entry in manifest["responses"]]
    url_file = Path(workdir) / "urls.txt"
    url_file.parent.mkdir(parents=True, exist_ok=True)
    url_file.write_text("\n".join(urls))
    child = run_child(
        [
            sys.executable,
            "-m",
            "bench.raw_fetch",
            "--urls",
            str(url_file),
            "--concurrency",
            str(CONCURRENCY),
        ]
    )
    if child.returncode != 0 or child.json is None:
        raise RuntimeError(f"raw fetch exited {child.returncode}: {child.stderr.strip()[-800:]}")
    return {"wall_s": child.wall_s, "cpu_s": child.cpu_s, **child.json}


class PartlyMeasured(RuntimeError):
    """A step failed after others were measured: their figures travel with the error."""

    def __init__(self, figures: dict, cause: Exception):
        super().__init__(f"{type(cause).__name__}: {cause}")
        self.figures = figures


def run(work: Path, n_small: int, n_rate: int, n_noop: int, log=print) -> dict:
    """Peak RSS at n_small and n_rate, crawl rate at n_rate, no-change refresh at n_noop.

    Each step's figures are kept when a later step fails (raised as PartlyMeasured).
    """
    out: dict = {}
    for step in (
        lambda: memory_and_rate(work, n_small, n_rate, log),
        lambda: no_change_refresh(work, n_noop, log),
    ):
        try:
            out.update(step())
        except Exception as exc:
            if not out:
                raise
            raise PartlyMeasured(out, exc) from exc
    return out


def memory_and_rate(work: Path, n_small: int, n_rate: int, log=print) -> dict:
    """Peak RSS at n_small and n_rate (fresh archives), crawl rate at n_rate."""
    work = Path(work)
    out: dict = {"crawl_concurrency": CONCURRENCY}

    small = ensure_mirror(work / f"site-{n_small}", n_small)
    with Mirror(work / f"site-{n_small}") as mirror:
        run_small = refresh(mirror.base_url, work / f"crawl-{n_small}", fresh=True)
        seen = mirror.count()
    _check_complete(run_small, small["count"], log)
    out.update(
        {
            "crawl_n_small": n_small,
            "crawl_peak_rss_mb_small": round(run_small["maxrss_mb"], 1),
            "crawl_peak_rss_mb_largest_process_small": round(run_small["maxrss_single_mb"], 1),
            "crawl_small_requests": seen["requests"],
        }
    )
    log(
        f"  refresh {n_small}: {run_small['wall_s']:.1f}s, peak RSS {run_small['maxrss_mb']:.0f} MB"
    )

    big = ensure_mirror(work / f"site-{n_rate}", n_rate)
    with Mirror(work / f"site-{n_rate}") as mirror:
        # The baseline runs before and after the refresh and the two are averaged, so
        # a change in other load on the machine weighs on both sides alike.
        server_cpu = mirror.cpu_s()
        raw = raw_fetch(mirror.base_url, big, work / f"crawl-{n_rate}-raw")
        raw["server_cpu_s"] = mirror.cpu_s() - server_cpu
        mirror.count()
        server_cpu = mirror.cpu_s()
        run_big = refresh(mirror.base_url, work / f"crawl-{n_rate}", fresh=True)
        run_big["server_cpu_s"] = mirror.cpu_s() - server_cpu
        seen = mirror.count()
        raw_after = raw_fetch(mirror.base_url, big, work / f"crawl-{n_rate}-raw")
        mirror.count()
    raw_walls = [raw["wall_s"], raw_after["wall_s"]]
    raw["wall_s"] = sum(raw_walls) / 2
    raw["cpu_s"] = (raw["cpu_s"] + raw_after["cpu_s"]) / 2
    _check_complete(run_big, big["count"], log)
    crawl_rate = big["count"] / run_big["wall_s"]
    raw_rate = big["count"] / raw["wall_s"]
    out.update(
        {
            "crawl_n": n_rate,
            "crawl_pages_per_s": round(crawl_rate, 1),
            "crawl_raw_fetch_pages_per_s": round(raw_rate, 1),
            "crawl_ratio_vs_raw_fetch": round(crawl_rate / raw_rate, 3),
            "crawl_wall_s": round(run_big["wall_s"], 2),
            "crawl_raw_fetch_wall_s": round(raw["wall_s"], 2),
            "crawl_raw_fetch_wall_s_before_after": [round(w, 2) for w in raw_walls],
            "crawl_peak_rss_mb_big": round(run_big["maxrss_mb"], 1),
            "crawl_peak_rss_mb_largest_process_big": round(run_big["maxrss_single_mb"], 1),
            # CPU time per page: less disturbed than wall time by other load on the machine.
            "crawl_cpu_ms_per_page": round(1000 * run_big["cpu_s"] / big["count"], 2),
            "crawl_raw_fetch_cpu_ms_per_page": round(1000 * raw["cpu_s"] / big["count"], 2),
            # The fixture server's own CPU per request: with two cores it caps both clients.
            "crawl_server_cpu_ms_per_request_raw": round(
                1000 * raw["server_cpu_s"] / big["count"], 2
            ),
            "crawl_server_cpu_ms_per_request_refresh": round(
                1000 * run_big["server_cpu_s"] / seen["requests"], 2
            ),
            "crawl_requests": seen["requests"],
            "crawl_summary": run_big["summary"],
        }
    )
    log(
        f"  refresh {n_rate}: {run_big['wall_s']:.1f}s ({crawl_rate:.0f}/s), raw httpx {raw['wall_s']:.1f}s "
        f"({raw_rate:.0f}/s), peak RSS {run_big['maxrss_mb']:.0f} MB, {seen['requests']} requests"
    )
    return out


def no_change_refresh(work: Path, n: int, log=print, after_build: bool = False) -> dict:
    """A nightly refresh when nothing changed, on an n-response archive in steady state.

    The archive is built by a real refresh. Straight after it every page is "first
    seen today", and the crawler's revisit plan re-checks pages first seen in the last
    90 days every night; an archive gathered over years is mostly older than that. So
    before the measured run the raw store's `urls.first_seen` is set to each page's
    listing date (2019-2025), as if each had been archived when it was published.
    With `after_build`, the run straight after the build is measured too (every page
    revisited: slow, so not in the default run).
    """
    site = ensure_mirror(work / f"site-{n}", n)
    workdir = work / f"noop-{n}"
    with Mirror(work / f"site-{n}") as mirror:
        build = refresh(mirror.base_url, workdir, fresh=True)
        mirror.count()
        _check_complete(build, site["count"], log)
        if after_build:
            first = refresh(mirror.base_url, workdir, fresh=False)
            first["requests"] = mirror.count()["requests"]
        backdated = _backdate_first_seen(workdir / "pages.db", mirror.base_url, site)
        noop = refresh(mirror.base_url, workdir, fresh=False)
        seen = mirror.count()
    kinds = _request_kinds(seen["paths"])
    out = {
        "refresh_noop_n": n,
        "refresh_noop_requests": seen["requests"],
        # Issue 17's figure is per force: one lister walk each. This mirror is one
        # force's site (the MPS), refreshed with --site.
        "refresh_noop_forces": NOOP_FORCES,
        "refresh_noop_lister_requests": _per_force(kinds["lister"], NOOP_FORCES),
        "refresh_noop_lister_requests_total": kinds["lister"],
        "refresh_noop_request_kinds": kinds,
        "refresh_noop_s": round(noop["wall_s"], 2),
        "refresh_noop_summary": noop["summary"],
        "refresh_noop_backdated_urls": backdated,
        "refresh_noop_build_s": round(build["wall_s"], 2),
        "refresh_noop_build_pages_per_s": round(site["count"] / build["wall_s"], 1),
        "crawl_peak_rss_mb_noop_build": round(build["maxrss_mb"], 1),
    }
    if after_build:
        out["refresh_noop_requests_after_build"] = first["requests"]
        out["refresh_noop_s_after_build"] = round(first["wall_s"], 2)
    log(
        f"  no-change refresh of {n}: {noop['wall_s']:.1f}s, {seen['requests']} requests {kinds}; "
        f"building it took {build['wall_s']:.1f}s, peak RSS {build['maxrss_mb']:.0f} MB"
    )
    return out


def _per_force(count: int, forces: int) -> int | float:
    return count // forces if count % forces == 0 else round(count / forces, 2)


def _backdate_first_seen(pages_db: Path, base_url: str, manifest: dict) -> int:
    listed = {
        base_url + e["url_path"]: e["listed"] + "T09:30:00+00:00" for e in manifest["responses"]
    }
    conn = sqlite3.connect(pages_db)
    with conn:
        changed = conn.executemany(
            "UPDATE urls SET first_seen = ? WHERE url = ?",
            [(when, url) for url, when in listed.items()],
        ).rowcount
    conn.close()
    return changed


def _request_kinds(paths: list[str]) -> dict[str, int]:
    kinds = {"lister": 0, "sitemap": 0, "robots": 0, "pages": 0}
    for path in paths:
        if "/published-items/" in path:
            kinds["lister"] += 1
        elif path.startswith("/sitemap"):
            kinds["sitemap"] += 1
        elif path.startswith("/robots.txt"):
            kinds["robots"] += 1
        else:
            kinds["pages"] += 1
    return kinds


def _check_complete(run: dict, expected: int, log) -> None:
    summary = run["summary"]
    archived = sum(int(summary.get(k) or 0) for k in ("new", "changed", "unchanged"))
    if archived != expected or summary.get("failed"):
        log(
            f"  WARNING: refresh archived {archived} of {expected} pages, failed={summary.get('failed')}"
        )
