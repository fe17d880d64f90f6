"""`make bench`'s table: every figure of issue 17 has a row, a target and a verdict, and
the READMEs' performance tables are the ones bench/results.json generates.

The benchmarks are not tests (speed targets live in `make bench`); this checks the
harness that reports them, on a results dict holding every key.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import report, run

REPO = Path(__file__).resolve().parent.parent

# Issue 17's "Done when" keys, as the issue names them.
ISSUE_17 = (
    "scale_responses",
    "scale_forces",
    "search_p50_ms",
    "search_p95_ms",
    "response_page_p95_ms",
    "facet_p95_ms",
    "reparse_pages_per_s",
    "import_warc_pages_per_s",
    "parse_full_length_pages_per_s",
    "parse_ratio_vs_lexbor_floor",
    "refresh_noop_lister_requests",
    "crawl_peak_rss_mb_1k",
    "crawl_peak_rss_mb_5k",
    "round_robin_build_s",
    "round_robin_incremental_ms_p50",
)


def meeting_every_target() -> dict:
    """A full cold run of every part in which every figure meets its target."""
    return {
        "results_layout": report.LAYOUT,
        "mode": "full",
        "parts": list(report.PARTS),
        "bench_cache": "cold",
        "bench_total_s": 2100.0,
        "scale_responses": 500_000,
        "scale_forces": 42,
        "search_p50_ms": 12.0,
        "search_p95_ms": 45.0,
        "response_page_p95_ms": 9.0,
        "facet_p95_ms": 150.0,
        "reparse_pages": 50_000,
        "reparse_pages_per_s": 1100.0,
        "reparse_cpu_ms_per_page": 1.6,
        "import_warc_pages": 50_000,
        "import_warc_pages_per_s": 1050.0,
        "import_warc_cpu_ms_per_page": 1.8,
        "parse_full_length_n_pages": 500,
        "parse_full_length_pages_per_s": 1200.0,
        "parse_ratio_vs_lexbor_floor": 0.3,
        "parse_n_pages": 2000,
        "parse_pages_per_s": 2500.0,
        "parse_ratio_vs_bs4": 25.0,
        "parse_mixed_ratio_vs_lexbor_floor": 0.6,
        "refresh_noop_n": 10_000,
        "refresh_noop_lister_requests": 1,
        "refresh_noop_requests": 329,
        "refresh_noop_s": 1.6,
        "crawl_n_small": 1000,
        "crawl_n": 5000,
        "crawl_peak_rss_mb_1k": 120.0,
        "crawl_peak_rss_mb_5k": 125.0,
        "crawl_pages_per_s": 700.0,
        "crawl_ratio_vs_raw_fetch": 0.85,
        "round_robin_build_s": 300.0,
        "round_robin_incremental_ms_p50": 20.0,
    }


def test_every_key_the_issue_names_has_a_row_with_a_target():
    for key in ISSUE_17:
        assert key in report.ISSUE_KEYS, key
        row = next(r for r in report.ROWS if r.key == key)
        assert row.check is not None and row.target != "—", key
    assert "bench_total_s" in report.ISSUE_KEYS  # the 40-minute budget


def test_a_run_meeting_every_target_passes_every_row():
    results = meeting_every_target()
    marks = report.verdicts(results)
    assert {marks[k] for k in report.ISSUE_KEYS} == {"PASS"}
    table = report.markdown_table(results)
    assert len(table.splitlines()) == 2 + len(report.ROWS)
    assert report.summary_line(results) == (
        f"issue 17: {len(report.ISSUE_KEYS)} of {len(report.ISSUE_KEYS)} targets met"
    )


@pytest.mark.parametrize(
    "change, key",
    [
        ({"search_p95_ms": 51.0}, "search_p95_ms"),
        ({"facet_p95_ms": 201.0}, "facet_p95_ms"),
        ({"parse_ratio_vs_lexbor_floor": 0.24}, "parse_ratio_vs_lexbor_floor"),
        ({"refresh_noop_lister_requests": 4}, "refresh_noop_lister_requests"),
        ({"crawl_peak_rss_mb_5k": 140.0}, "crawl_peak_rss_mb_5k"),  # > +15%: not flat
        ({"import_warc_pages": 10_000}, "import_warc_pages_per_s"),  # not the issue's WARC
        ({"scale_responses": 100_000}, "search_p95_ms"),  # fast on a smaller archive
        ({"bench_cache": "cached: national archive"}, "bench_total_s"),
        ({"parts": ["parse", "crawl"]}, "bench_total_s"),
        ({"mode": "quick"}, "bench_total_s"),
        ({"bench_total_s": 2500.0}, "bench_total_s"),
    ],
)
def test_a_missed_target_is_a_miss(change, key):
    results = {**meeting_every_target(), **change}
    marks = report.verdicts(results)
    assert marks[key] == "MISS"
    assert key in report.summary_line(results).split("missed: ")[1]


def test_a_figure_not_measured_is_said_so_and_fails_the_run(capsys):
    results = meeting_every_target()
    del results["round_robin_build_s"]
    assert report.verdicts(results)["round_robin_build_s"] == "not run"
    assert "not measured: round_robin_build_s" in report.summary_line(results)
    assert run.exit_code(results, {}, list(report.PARTS), strict=False) == 1
    assert "not measured: round_robin_build_s" in capsys.readouterr().err


def test_a_failed_part_fails_the_run_and_a_miss_only_with_strict(capsys):
    results = meeting_every_target()
    assert run.exit_code(results, {}, list(report.PARTS), strict=True) == 0
    assert run.exit_code(results, {"bulk": "RuntimeError: boom"}, ["bulk"], strict=False) == 1
    assert "part bulk failed: RuntimeError: boom" in capsys.readouterr().err
    results["facet_p95_ms"] = 900.0
    assert run.exit_code(results, {}, list(report.PARTS), strict=False) == 0
    assert run.exit_code(results, {}, list(report.PARTS), strict=True) == 1


def test_a_partial_run_never_overwrites_the_full_results():
    assert run.default_out("full", None) == REPO / "bench" / "results.json"
    for mode, only in (("quick", None), ("full", ["parse"]), ("quick", ["scale", "bulk"])):
        assert run.default_out(mode, only).parent == REPO / "bench" / "work"


def test_results_of_the_older_layout_keep_their_meaning():
    """Before issue 17 `parse_ratio_vs_lexbor_floor` was on the mixed pages."""
    old = {"parse_ratio_vs_lexbor_floor": 0.138, "parse_full_length_ratio_vs_lexbor_floor": 0.083}
    new = report.normalise(old)
    assert new["parse_mixed_ratio_vs_lexbor_floor"] == 0.138
    assert new["parse_ratio_vs_lexbor_floor"] == 0.083
    assert report.normalise(new) == new


@pytest.mark.parametrize("readme", sorted(report.READMES, key=str))
def test_the_readme_tables_are_generated_from_results_json(readme):
    results = json.loads((REPO / "bench" / "results.json").read_text())
    text = readme.read_text()
    block = text.split(report.START, 1)[1].split(report.END, 1)[0].strip("\n")
    assert block == report.READMES[readme](results), (
        f"{readme.relative_to(REPO)} is not generated from bench/results.json: "
        "run `python -m bench.report --update-readme`"
    )
    for row in report.ROWS:
        if row.issue:
            assert f"| {row.label} |" in block, row.key


def test_replacing_the_block_keeps_the_rest_of_the_file():
    text = f"before\n{report.START}\nold\n{report.END}\nafter\n"
    assert (
        report.replace_block(text, "new") == f"before\n{report.START}\nnew\n{report.END}\nafter\n"
    )
    with pytest.raises(ValueError):
        report.replace_block("no markers", "new")


def test_a_part_that_fails_still_leaves_the_others_figures(tmp_path, monkeypatch, capsys):
    def broken(*args, **kwargs):
        raise RuntimeError("the mirror did not start")

    monkeypatch.setattr(run.parse_bench, "run", lambda *a, **k: {"parse_pages_per_s": 1234.5})
    monkeypatch.setattr(run.crawl_bench, "run", broken)
    out = tmp_path / "results.json"
    code = run.main(["--only", "parse", "--only", "crawl", "--out", str(out)])
    assert code == 1
    results = json.loads(out.read_text())
    assert results["parse_pages_per_s"] == 1234.5 and results["complete"]
    assert results["errors"] == {"crawl": "RuntimeError: the mirror did not start"}
    assert set(results["bench_parts_s"]) == {"parse", "crawl"}
    captured = capsys.readouterr()
    assert "part crawl failed: RuntimeError: the mirror did not start" in captured.err
    assert "| parse |" in captured.out  # elapsed per part, printed


def test_round_robins_are_their_own_part_measured_once(monkeypatch):
    calls = []

    def fake(work, sources, n, log=print):
        calls.append(n)
        return {"round_robin_build_s": 1.0}

    monkeypatch.setattr(run.round_robin_bench, "run", fake)
    assert run.round_robins({"scale": 1234}, [], {}) == {"round_robin_build_s": 1.0}
    assert calls == [1234]
    rows = [r for r in report.ROWS if r.key.startswith("round_robin_")]
    assert rows and {r.part for r in rows} == {"round_robins"}


def test_figures_measured_before_a_step_failed_are_kept(tmp_path, monkeypatch):
    from bench import crawl_bench

    def noop_killed(*args, **kwargs):
        raise crawl_bench.PartlyMeasured(
            {"crawl_peak_rss_mb_small": 120.0, "crawl_peak_rss_mb_big": 125.0},
            RuntimeError("foilog refresh killed after 2400 s (machine too busy?)"),
        )

    monkeypatch.setattr(crawl_bench, "run", noop_killed)
    out = tmp_path / "results.json"
    assert run.main(["--only", "crawl", "--out", str(out)]) == 1
    results = json.loads(out.read_text())
    assert results["crawl_peak_rss_mb_1k"] == 120.0 and results["crawl_peak_rss_mb_5k"] == 125.0
    assert "killed after 2400 s" in results["errors"]["crawl"]
    assert results["verdicts"]["crawl_peak_rss_mb_5k"] == "PASS"
