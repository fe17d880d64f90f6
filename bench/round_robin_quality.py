"""Round robins: how good the grouping is, and what it costs at scale.

    .venv/bin/python -m bench.round_robin_quality              # quality + 50k build
    .venv/bin/python -m bench.round_robin_quality --n 100000   # a larger synthetic archive
    .venv/bin/python -m bench.round_robin_quality --quality-only

Quality: precision and recall of "same request" on the labelled pairs in
tests/round_robins/labelled_pairs.json (see make_labelled.py there), at THRESHOLD and
for a sweep of thresholds, by exact Jaccard and through the real pipeline (LSH bands ->
signature estimate -> exact Jaccard near the threshold). Scale: a synthetic archive of N
responses (requests made of real request words, 1-40 forces each, with the forces'
template variations) is grouped from scratch (`rebuild_round_robins`), then pages are
added one at a time (`update_round_robins([id])`). Figures go to
bench/round_robin_quality.json under keys `bench/results.json` can take as they are.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import sqlite_utils

from db.round_robins import rebuild_round_robins, update_round_robins
from db.schema import ensure_schema
from db.similarity import THRESHOLD, band_keys, jaccard, shingles, signature, surely

BENCH = Path(__file__).resolve().parent
LABELLED = BENCH.parent / "tests" / "round_robins" / "labelled_pairs.json"
FORCES = [f"force-{i:02d}" for i in range(44)]
NAMES = ["Kent Police", "the MPS", "Dyfed-Powys Police", "your force", "Essex Police"]


def scores(pairs: list[dict], texts: dict[str, str]) -> list[tuple[bool, float, bool]]:
    """(labelled same, exact Jaccard, pipeline says same) for every labelled pair."""
    sh = {k: shingles(t) for k, t in texts.items()}
    sig = {k: signature(s) for k, s in sh.items() if s}
    out = []
    for pair in pairs:
        a, b = pair["a"], pair["b"]
        exact = jaccard(sh[a], sh[b])
        candidate = a in sig and b in sig and bool(set(band_keys(sig[a])) & set(band_keys(sig[b])))
        verdict = surely(sig[a], sig[b]) if candidate else False
        pipeline = candidate and (exact >= THRESHOLD if verdict is None else verdict)
        out.append((pair["same"], exact, pipeline))
    return out


def precision_recall(labels: list[bool], said: list[bool]) -> dict:
    tp = sum(1 for y, p in zip(labels, said) if y and p)
    fp = sum(1 for y, p in zip(labels, said) if p and not y)
    fn = sum(1 for y, p in zip(labels, said) if y and not p)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def quality() -> dict:
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    rows = scores(data["pairs"], data["texts"])
    labels = [y for y, _, _ in rows]
    sweep = {
        f"{t:.2f}": precision_recall(labels, [j >= t for _, j, _ in rows])
        for t in (0.2, 0.3, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8)
    }
    hard = [(y, j) for (y, j, _), p in zip(rows, data["pairs"]) if p["kind"] == "hard"]
    at = precision_recall(labels, [p for _, _, p in rows])
    return {
        "round_robin_threshold": THRESHOLD,
        "round_robin_pairs": len(rows),
        "round_robin_pairs_same": sum(labels),
        "round_robin_hard_negatives": len(hard),
        "round_robin_hard_negative_max_jaccard": round(max(j for _, j in hard), 3),
        "round_robin_precision": at["precision"],
        "round_robin_recall": at["recall"],
        "round_robin_confusion": at,
        "round_robin_sweep": sweep,
    }


def synthetic_text(rng: random.Random, words: list[str], template: list[str], force: str) -> str:
    """One force's copy of a template: its name in, years and figures varied."""
    out = []
    for token in template:
        if token == "{force}":
            out.append(force)
        elif token == "{year}":
            out.append(str(rng.randint(2015, 2025)))
        elif token == "{n}":
            out.append(str(rng.randint(1, 999)))
        else:
            out.append(token)
    return " ".join(out)


def make_templates(rng: random.Random, words: list[str], count: int) -> list[list[str]]:
    templates = []
    for _ in range(count):
        body = rng.sample(words, rng.randint(25, 90))
        for slot in ("{force}", "{year}", "{year}", "{n}"):
            body.insert(rng.randrange(len(body)), slot)
        templates.append(body)
    return templates


def synthetic_archive(path: Path, n: int, rng: random.Random) -> list[tuple]:
    """n responses: about a third answers to round robins, the rest one-offs."""
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    words = sorted({w for t in data["texts"].values() for w in t.split() if w.isalpha()})
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    templates = make_templates(rng, words, n // 10)
    rows, i = [], 0
    while len(rows) < n:
        template = templates[i % len(templates)] if i % 3 == 0 else None
        i += 1
        if template is None:
            template = make_templates(rng, words, 1)[0]
            forces = [rng.choice(FORCES)]
        else:
            forces = rng.sample(FORCES, rng.randint(2, 40) // 4 + 1)
        for force in forces:
            rid = f"{force}/synthetic/{len(rows):07d}"
            text = synthetic_text(rng, words, template, rng.choice(NAMES))
            rows.append((rid, f"https://example.invalid/foi-ai/{rid}/", force, text))
    return rows[:n]


def insert(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO responses (id, url, force, language, title, request_text, first_seen, "
        "last_seen, last_changed, record_sha256, outcome) "
        "VALUES (?, ?, ?, 'en', ?, ?, '2026-01-01', '2026-01-01', '2026-01-01', ?, 'full')",
        [
            (rid, url, force, rid, text, hashlib.sha256(text.encode()).hexdigest())
            for rid, url, force, text in rows
        ],
    )
    conn.commit()


def scale(n: int, incremental: int = 200) -> dict:
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "rr.db"
        rows = synthetic_archive(path, n + incremental, rng)
        db = sqlite_utils.Database(path)
        insert(db.conn, rows[:n])
        started = time.perf_counter()
        built = rebuild_round_robins(db)
        build_s = time.perf_counter() - started
        timings = []
        for row in rows[n:]:
            insert(db.conn, [row])  # one page loaded, then grouped, as a refresh does
            started = time.perf_counter()
            update_round_robins(db, [row[0]])
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        size = path.stat().st_size + Path(str(path) + "-wal").stat().st_size
        bands = db.conn.execute("SELECT count(*) FROM round_robin_bands").fetchone()[0]
        return {
            "round_robin_scale_n": n,
            "round_robin_build_s": round(build_s, 1),
            "round_robin_build_pages_per_s": round(n / build_s),
            "round_robin_found": built["round_robins"],
            "round_robin_incremental_ms_p50": round(timings[len(timings) // 2], 2),
            "round_robin_incremental_ms_p95": round(timings[int(len(timings) * 0.95)], 2),
            "round_robin_band_rows": bands,
            "round_robin_archive_mb": round(size / 1e6, 1),
        }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=50_000, help="synthetic responses (default 50,000)")
    ap.add_argument("--quality-only", action="store_true")
    ap.add_argument("--out", type=Path, default=BENCH / "round_robin_quality.json")
    args = ap.parse_args(argv)
    results = quality()
    if not args.quality_only:
        results.update(scale(args.n))
    args.out.write_text(json.dumps(results, indent=1) + "\n")
    print(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
