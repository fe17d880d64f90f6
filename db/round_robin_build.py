"""Round robins for the whole archive at once: `foilog reparse`, a large import, and the
first update after an upgrade (db/round_robins.py decides when).

1. Every response's request and questions are read in rowid order, in chunks, and
   sketched (normalised, shingles hashed, MinHash signature, LSH band keys) in a
   process pool on every core: that is most of the work.
2. The answers are placed in date order, in memory, by db/round_robin_rules.py: from
   each band bucket the `CAP` latest answers before it are candidates (all the buckets'
   entries are sorted once by key, so those are the entries just before its own).
3. The index, the band buckets (in key order: appended, not inserted at random) and the
   round robins are written in one transaction.

The result is what placing the pages one by one in date order would give, so a rebuild
is deterministic and a page added later (db/round_robins.py) finds the same groups.
"""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np
import sqlite_utils

from db.load import transaction
from db.round_robin_candidates import candidates
from db.round_robin_rules import Answer, Group, answer_day, choose, decisive
from db.similarity import (
    NUM_PERM,
    THRESHOLD,
    band_key_matrix,
    comparable,
    jaccard_hashes,
    request_text,
    shingle_hashes,
    shingles,
    signatures_of_hashes,
    verdict,
)

CHUNK = 2000
IN_PROCESS_BELOW = 4000  # fewer responses: a pool's start-up costs more than it saves


@dataclass
class Sketches:
    """One chunk's sketches, as arrays (cheap to send back from a worker)."""

    rowids: np.ndarray  # int64 (n,)
    sigs: np.ndarray  # uint32 (n, NUM_PERM); zeros when not comparable
    ok: np.ndarray  # bool (n,): enough text to compare
    hashes: np.ndarray  # uint32, every response's sorted shingle hashes end to end
    ends: np.ndarray  # int64 (n,): where each response's hashes end


def sketch_chunk(rows: list[tuple[int, str]]) -> Sketches:
    """(rowid, request text) -> their sketches (runs in the pool's workers)."""
    sigs = np.zeros((len(rows), NUM_PERM), dtype=np.uint32)
    ok = np.zeros(len(rows), dtype=bool)
    parts = []
    for n, (_rowid, text) in enumerate(rows):
        sh = shingles(text)
        parts.append(shingle_hashes(sh))
        ok[n] = comparable(sh)
    comparables = np.flatnonzero(ok)
    sigs[comparables] = signatures_of_hashes([parts[i] for i in comparables])
    lengths = np.array([len(p) for p in parts], dtype=np.int64)
    return Sketches(
        np.array([r for r, _ in rows], dtype=np.int64),
        sigs,
        ok,
        np.concatenate(parts) if parts else np.zeros(0, dtype=np.uint32),
        np.cumsum(lengths),
    )


def rebuild(db: sqlite_utils.Database, jobs: int | None = None) -> dict:
    """Forget every grouping and place every response again; returns {"indexed",
    "round_robins", "cpu_s", "wall_s"} (the last two by step, see `_Clock`)."""
    clock = _Clock()
    meta = _read(db)
    sketches = _sketch_all(db, [m.rowid for m in meta], jobs)
    clock.lap("sketch")
    placed = _place_all(meta, sketches)
    clock.lap("place")
    with transaction(db):
        _write(db, meta, sketches, placed, clock)
    count = db.conn.execute("SELECT count(*) FROM round_robins").fetchone()[0]
    return {"indexed": len(meta), "round_robins": count, "cpu_s": clock.cpu, "wall_s": clock.wall}


class _Clock:
    """CPU (this process; the pool's workers under "sketch_workers") and wall seconds of
    each step, for bench/round_robin_bench.py."""

    def __init__(self):
        self.cpu: dict[str, float] = {}
        self.wall: dict[str, float] = {}
        self._at = (time.process_time(), time.perf_counter(), _children_cpu())

    def lap(self, step: str) -> None:
        now = (time.process_time(), time.perf_counter(), _children_cpu())
        self.cpu[step] = round(now[0] - self._at[0], 2)
        self.wall[step] = round(now[1] - self._at[1], 2)
        if now[2] > self._at[2]:
            self.cpu[f"{step}_workers"] = round(now[2] - self._at[2], 2)
        self._at = now


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Meta:
    rowid: int
    id: str
    force: str | None
    language: str
    day: int
    record_sha256: str | None


def _read(db: sqlite_utils.Database) -> list[Meta]:
    rows = db.conn.execute(
        "SELECT rowid, id, force, language, published, month, first_seen, record_sha256 "
        "FROM responses ORDER BY rowid"
    ).fetchall()
    meta = [Meta(r[0], r[1], r[2], r[3] or "en", answer_day(r[4], r[5], r[6]), r[7]) for r in rows]
    return meta


def _texts(db: sqlite_utils.Database, rowids: list[int]) -> Iterator[list[tuple[int, str]]]:
    """(rowid, request + questions) in chunks, read as the pool needs them."""
    conn = db.conn
    for start in range(0, len(rowids), CHUNK):
        first, last = rowids[start], rowids[min(start + CHUNK, len(rowids)) - 1]
        heads = conn.execute(
            "SELECT rowid, id, request_text FROM responses WHERE rowid BETWEEN ? AND ? "
            "ORDER BY rowid",
            (first, last),
        ).fetchall()
        questions: dict[str, list[str]] = {}
        for rid, text in conn.execute(
            "SELECT q.response_id, q.text FROM responses r JOIN questions q "
            "ON q.response_id = r.id WHERE r.rowid BETWEEN ? AND ? "
            "ORDER BY q.response_id, q.position",
            (first, last),
        ):
            questions.setdefault(rid, []).append(text)
        yield [(rowid, request_text(req, questions.get(rid, ()))) for rowid, rid, req in heads]


def _sketch_all(db: sqlite_utils.Database, rowids: list[int], jobs: int | None) -> Sketches:
    jobs = jobs or os.cpu_count() or 1
    done = None
    if jobs > 1 and len(rowids) >= IN_PROCESS_BELOW:
        try:
            done = list(_in_pool(_texts(db, rowids), jobs))
        except BrokenProcessPool:
            # A worker died (killed, or a script's __main__ a spawned child cannot
            # import): the same sketches are made here, only slower.
            done = None
    if done is None:
        done = [sketch_chunk(chunk) for chunk in _texts(db, rowids)]
    if not done:
        done = [sketch_chunk([])]
    offsets = np.cumsum([0] + [len(d.hashes) for d in done[:-1]])
    return Sketches(
        np.concatenate([d.rowids for d in done]),
        np.concatenate([d.sigs for d in done]),
        np.concatenate([d.ok for d in done]),
        np.concatenate([d.hashes for d in done]),
        np.concatenate([d.ends + off for d, off in zip(done, offsets)]),
    )


def _in_pool(chunks: Iterator[list[tuple[int, str]]], jobs: int) -> Iterator[Sketches]:
    """Sketches in chunk order, at most two chunks a worker in flight (bounded memory)."""
    with ProcessPoolExecutor(jobs, mp_context=get_context("spawn")) as pool:
        pending: list[Future] = []
        for chunk in chunks:
            pending.append(pool.submit(sketch_chunk, chunk))
            if len(pending) >= 2 * jobs:
                yield pending.pop(0).result()
        for future in pending:
            yield future.result()


@dataclass
class Placed:
    order: np.ndarray  # positions (date order) -> index in meta
    keys: np.ndarray  # (n, BANDS) int64 band keys, by position
    grp: list[int | None]  # by position: the group id (smallest rowid), None if alone
    groups: list[list[int]]  # positions of each group of two or more


def _place_all(meta: list[Meta], sk: Sketches) -> Placed:
    order = np.lexsort(
        (np.array([m.rowid for m in meta]), np.array([m.day for m in meta], dtype=np.int64))
    )
    answers = [
        Answer(meta[i].rowid, meta[i].force, meta[i].language, meta[i].day, meta[i].id)
        for i in order
    ]
    pos_of = {a.rowid: pos for pos, a in enumerate(answers)}
    sigs, ok = sk.sigs[order], sk.ok[order]
    ends = sk.ends[order]
    starts = (sk.ends - np.diff(sk.ends, prepend=0))[order]
    hashes = sk.hashes
    keys = band_key_matrix(sigs)
    days = np.array([a.day for a in answers], dtype=np.int64)
    state = _Groups(answers)

    def same_as(pos: int):
        mine = hashes[starts[pos] : ends[pos]]

        def same(answer: Answer, estimate: float) -> bool:
            said = verdict(estimate)
            if said is not None:
                return said
            other = pos_of[answer.rowid]
            return jaccard_hashes(mine, hashes[starts[other] : ends[other]]) >= THRESHOLD

        return same

    rowids = np.array([a.rowid for a in answers], dtype=np.int64)
    who = _codes([a.who for a in answers])
    for found in candidates(keys, ok, sigs, days, rowids, who):
        cands = found.cands.tolist()
        est = found.est.tolist()
        groups = state.root[found.cands].tolist()
        needed = decisive(groups, est)
        joined = choose(
            answers[found.pos],
            [(answers[c], e, g) for c, e, g, n in zip(cands, est, groups, needed) if n],
            state.group,
            same_as(found.pos),
        )
        if joined:
            state.merge(found.pos, joined)
    return Placed(order, keys, *state.result())


def _codes(values: list[str]) -> np.ndarray:
    """One integer per distinct value (equal values, equal codes)."""
    seen: dict[str, int] = {}
    return np.array([seen.setdefault(v, len(seen)) for v in values], dtype=np.int64)


class _Groups:
    """Groups of positions; a group's key is the position of one of its members."""

    def __init__(self, answers: list[Answer]):
        self.answers = answers
        self.root = np.arange(len(answers))
        self.members: dict[int, list[int]] = {}
        self.spans: dict[int, Group] = {}

    def group(self, key: int) -> Group:
        found = self.spans.get(key)
        if found is None:
            a = self.answers[key]
            return Group({a.who}, a.day, a.day)
        return found

    def merge(self, pos: int, keys: list[int]) -> None:
        everyone = [pos] + [m for k in keys for m in self.members.get(k, [k])]
        span = self.group(pos)
        for k in keys:
            span.absorb(self.group(k))
            self.members.pop(k, None)
            self.spans.pop(k, None)
        self.root[everyone] = pos
        self.members[pos] = everyone
        self.spans[pos] = span

    def result(self) -> tuple[list[int | None], list[list[int]]]:
        grp: list[int | None] = [None] * len(self.answers)
        for everyone in self.members.values():
            gid = min(self.answers[p].rowid for p in everyone)
            for p in everyone:
                grp[p] = gid
        return grp, list(self.members.values())


def _write(
    db: sqlite_utils.Database, meta: list[Meta], sk: Sketches, placed: Placed, clock: _Clock
) -> None:
    from db.round_robins import materialise

    conn = db.conn
    for table in ("round_robin_members", "round_robins", "round_robin_bands", "round_robin_index"):
        conn.execute(f"DELETE FROM {table}")
    ok = sk.ok[placed.order]
    # Each row's blobs sliced from two byte strings (no numpy call per row).
    sigs = sk.sigs[placed.order].astype("<u4").tobytes()
    width = NUM_PERM * 4
    hashes = sk.hashes.astype("<u4").tobytes()
    ends = sk.ends.tolist()
    starts = [0, *ends[:-1]]
    comparable = ok.tolist()
    conn.executemany(
        "INSERT INTO round_robin_index (response_id, record_sha256, grp, signature, day, "
        "response_rowid, force, language, shingles) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                m.id,
                m.record_sha256,
                placed.grp[pos],
                sigs[pos * width : (pos + 1) * width] if comparable[pos] else None,
                m.day,
                m.rowid,
                m.force,
                m.language,
                hashes[starts[i] * 4 : ends[i] * 4],
            )
            for pos, (i, m) in enumerate((i, meta[i]) for i in placed.order.tolist())
        ),
    )
    positions = np.flatnonzero(ok)
    rowids = np.array([meta[i].rowid for i in placed.order], dtype=np.int64)
    days = np.array([meta[i].day for i in placed.order], dtype=np.int64)
    keys = placed.keys[positions].ravel()
    pos = np.repeat(positions, placed.keys.shape[1])
    by = np.lexsort((rowids[pos], days[pos], keys))  # the table's order: appended, not inserted
    clock.lap("write_index")
    conn.executemany(
        "INSERT OR IGNORE INTO round_robin_bands (key, day, response_rowid) VALUES (?, ?, ?)",
        zip(keys[by].tolist(), days[pos][by].tolist(), rowids[pos][by].tolist()),
    )
    clock.lap("write_bands")
    for everyone in placed.groups:
        materialise(db, min(int(rowids[p]) for p in everyone))
    clock.lap("write_round_robins")
