"""The whole-archive build's candidates: for every answer, in date order, the answers
placed before it that it must be compared with, best first (db/round_robin_build.py).

Which answers those are does not depend on how earlier answers were grouped, only on
the band keys, dates and signatures, so they are found for thousands of answers at a
time with array operations instead of a few small ones per answer: every band entry of
every comparable answer is sorted once by (key, position); an answer's candidates are
the (at most `CAP`) entries just before its own in each of its buckets, within
`SPAN_DAYS`, whose estimated similarity is not surely below `THRESHOLD`, ordered by
estimate (highest first) then rowid. Only the grouping itself (db/round_robin_rules.py
`choose`) is left to run answer by answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from db.round_robin_rules import CAP, SPAN_DAYS
from db.similarity import MARGIN, NUM_PERM, THRESHOLD

ROWS_A_BLOCK = 4096  # answers whose candidates are found at once (<= 1,152 entries each)
PAIRS_A_STEP = 32768  # signature pairs compared at once (2 x 14 MB gathered)


@dataclass
class Candidates:
    """One answer's candidates, best first."""

    pos: int  # the answer's position (date order)
    cands: np.ndarray  # int64 positions of the candidates
    est: np.ndarray  # float64 estimated similarity of each


class Buckets:
    """Every band entry of every comparable answer, sorted by (key, position): the
    entries just before an answer's own in its bucket are the answers placed before it."""

    def __init__(self, keys: np.ndarray, positions: np.ndarray):
        self.positions = positions
        self.bands = keys.shape[1]
        flat_keys = keys[positions].ravel()
        by_key = np.argsort(flat_keys, kind="stable")
        sorted_keys = flat_keys[by_key]
        self.pos = np.repeat(positions, self.bands)[by_key]
        new = np.r_[True, sorted_keys[1:] != sorted_keys[:-1]] if len(by_key) else np.zeros(0, bool)
        bucket_start = np.flatnonzero(new)[np.cumsum(new) - 1]
        where = np.empty(len(by_key), dtype=np.int64)
        where[by_key] = np.arange(len(by_key))
        self.at = where.reshape(len(positions), self.bands)
        self.since = np.maximum(bucket_start[where].reshape(self.at.shape), self.at - CAP)

    def pairs(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """(answer, candidate) positions for the comparable answers first..last-1 (their
        rows), each pair once, sorted by answer then candidate: the (at most CAP per
        band) latest answers sharing a band with it."""
        since, at = self.since[first:last].ravel(), self.at[first:last].ravel()
        lengths = at - since
        total = int(lengths.sum())
        # entry j of a run starting at `since` is self.pos[since + j]
        run_start = np.cumsum(lengths) - lengths
        index = np.arange(total, dtype=np.int64) + np.repeat(since - run_start, lengths)
        cand = self.pos[index]
        doc = np.repeat(np.repeat(self.positions[first:last], self.bands), lengths)
        n = np.int64(max(int(self.positions[-1]) + 1, 1)) if len(self.positions) else np.int64(1)
        code = np.sort(doc * n + cand)
        if len(code):  # each pair once (np.unique hashes first: slower here)
            code = code[np.r_[True, code[1:] != code[:-1]]]
        return code // n, code % n


def candidates(
    keys: np.ndarray,
    ok: np.ndarray,
    sigs: np.ndarray,
    days: np.ndarray,
    rowids: np.ndarray,
    who: np.ndarray,
) -> Iterator[Candidates]:
    """Every comparable answer that has candidates, in position (date) order.

    `who` codes each answer's force and language (Answer.who): a candidate with the
    answer's own is left out, as `choose` could never join its group (the group holds
    that answerer already, and the answer's side of the comparison only gains
    answerers), so leaving it out changes no grouping; in a force's crowd of template
    requests it is most of the candidates."""
    buckets = Buckets(keys, np.flatnonzero(ok))
    for first in range(0, len(buckets.positions), ROWS_A_BLOCK):
        last = min(first + ROWS_A_BLOCK, len(buckets.positions))
        doc, cand = buckets.pairs(first, last)
        near = (days[cand] >= days[doc] - SPAN_DAYS) & (who[cand] != who[doc])
        doc, cand = doc[near], cand[near]
        est = _estimates(sigs, doc, cand)
        keep = est >= THRESHOLD - MARGIN  # the others are surely not the same request
        doc, cand, est = doc[keep], cand[keep], est[keep]
        best = np.lexsort((rowids[cand], -est, doc))
        doc, cand, est = doc[best], cand[best], est[best]
        if not len(doc):
            continue
        bounds = np.flatnonzero(np.r_[True, doc[1:] != doc[:-1], True]).tolist()
        for a, b in zip(bounds[:-1], bounds[1:]):
            yield Candidates(int(doc[a]), cand[a:b], est[a:b])


def _estimates(sigs: np.ndarray, doc: np.ndarray, cand: np.ndarray) -> np.ndarray:
    """Each pair's share of equal signature values (as db.similarity.estimate)."""
    same = np.empty(len(doc), dtype=np.int64)
    for start in range(0, len(doc), PAIRS_A_STEP):
        part = slice(start, start + PAIRS_A_STEP)
        same[part] = np.count_nonzero(sigs[doc[part]] == sigs[cand[part]], axis=1)
    return same / NUM_PERM
