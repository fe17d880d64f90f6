"""Round robins in the archive: one request text answered by several forces.

Every response gets a row in `round_robin_index` (its MinHash signature, see
db/similarity.py, its publication day and the group it belongs to) and, with enough
request text, one row per LSH band in `round_robin_bands`. A new or changed response
looks up the answers sharing a band (at most `CAP` a band and side, nearest in date),
keeps those whose request really reaches `THRESHOLD`, and joins (or merges) their
groups as far as db/round_robin_rules.py allows: one answer per force, one time frame.
A group answered by two or more forces is a round robin: a `round_robins` row (id = the
group id) and its `round_robin_members`. Nothing here compares all pairs, and the whole
archive is grouped at once by db/round_robin_build.py (reparse, large imports).

Two pages of one force in different languages (a Welsh page and its English twin) are
translations: they are never linked, and a Welsh page is not counted as an answer when
the same force's English page is in the round robin. Group ids are the smallest
`responses.rowid` of the group, so `foilog reparse` (a rebuild) gives the same ids.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sqlite_utils

from db.load import transaction
from db.round_robin_rules import (
    CAP,
    SPAN_DAYS,
    Answer,
    Group,
    answer_day,
    choose,
    decisive,
)
from db.similarity import (
    MARGIN,
    THRESHOLD,
    band_keys,
    comparable,
    jaccard_hashes,
    request_text,
    shingle_hashes,
    shingles,
    signature_of_hashes,
    verdict,
)

SCHEMA = """
CREATE TABLE round_robins (
    id INTEGER PRIMARY KEY,
    title TEXT,
    request_text TEXT,
    first_seen TEXT,
    last_joined TEXT,
    forces INTEGER NOT NULL,
    responses INTEGER NOT NULL,
    force_list TEXT,
    outcomes TEXT,
    majority TEXT,
    differing INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX idx_round_robins_last_joined ON round_robins(last_joined);
CREATE TABLE round_robin_members (
    cluster_id INTEGER NOT NULL REFERENCES round_robins(id) ON DELETE CASCADE,
    response_id TEXT NOT NULL REFERENCES responses(id) ON DELETE CASCADE,
    similarity REAL,
    force TEXT,
    answer TEXT,
    differs TEXT,
    PRIMARY KEY (cluster_id, response_id)
);
CREATE INDEX idx_round_robin_members_response_id ON round_robin_members(response_id);
CREATE TABLE round_robin_index (
    response_id TEXT PRIMARY KEY REFERENCES responses(id) ON DELETE CASCADE,
    record_sha256 TEXT,
    grp INTEGER,
    signature BLOB
);
CREATE INDEX idx_round_robin_index_grp ON round_robin_index(grp);
CREATE TABLE round_robin_bands (
    key INTEGER NOT NULL,
    response_rowid INTEGER NOT NULL,
    PRIMARY KEY (key, response_rowid)
) WITHOUT ROWID
"""

# Migration 12: buckets keyed by day too (candidates nearest in date, capped); in the
# index what the rule and the comparison need without reading `responses` (whose force
# and language follow the long body text): day, rowid, force, language and the sorted
# shingle hashes; everything grouped again under the new rule by the next update (an
# empty index is rebuilt at once, db/round_robin_build.py; until then none is shown).
MIGRATION_12 = """
DROP TABLE round_robin_bands;
CREATE TABLE round_robin_bands (
    key INTEGER NOT NULL,
    day INTEGER NOT NULL,
    response_rowid INTEGER NOT NULL,
    PRIMARY KEY (key, day, response_rowid)
) WITHOUT ROWID;
ALTER TABLE round_robin_index ADD COLUMN day INTEGER;
ALTER TABLE round_robin_index ADD COLUMN response_rowid INTEGER;
ALTER TABLE round_robin_index ADD COLUMN force TEXT;
ALTER TABLE round_robin_index ADD COLUMN language TEXT;
ALTER TABLE round_robin_index ADD COLUMN shingles BLOB;
CREATE INDEX idx_round_robin_index_rowid ON round_robin_index(response_rowid);
DELETE FROM round_robin_index;
DELETE FROM round_robin_members;
DELETE FROM round_robins
"""

# What a force did with the request, for spotting the answers that differ.
ANSWER_KINDS = {
    "full": "disclosed",
    "partial": "disclosed",
    "refused": "refused",
    "cost_limit": "refused",
    "vexatious": "refused",
    "ncnd": "ncnd",
    "not_held": "not held",
}
_INDEX_BATCH = 500
# This many pending and at least half the archive (an upgrade, a first import): the
# whole archive is grouped at once on every core (db/round_robin_build.py).
_REBUILD_FROM = 2000
# The nightly refresh groups what it loaded page by page, 500 to a transaction: memory
# stays flat however many pages a first crawl brings (the whole-archive build holds
# every sketch and band entry at once: +54 MB at 5,000 pages, and a process per core).
# Page by page costs ~1.3 CPU ms a page at 5,000 against the build's ~0.8, so only a
# night that has most of a large archive to group (after an upgrade that empties the
# index) still takes the build, on every core.
REFRESH_REBUILD_FROM = 50_000


@dataclass(frozen=True)
class Doc:
    answer: Answer
    hashes: np.ndarray  # its request's shingle hashes, sorted
    sig: bytes | None  # None: too little text to compare


def update_round_robins(
    db: sqlite_utils.Database,
    response_ids: Iterable[str] | None = None,
    rebuild_from: int | None = None,
) -> dict:
    """Bring round robins up to date after loading; returns {"indexed", "round_robins"}.

    `response_ids=None` takes every response not indexed yet or changed since (so a
    resumed refresh or an import needs no list: one call at the end of the run); given
    ids, only those of them that are new or changed are looked at. Pages are placed in
    date order, as the whole-archive build places them (the same groups). With
    `rebuild_from` (default `_REBUILD_FROM`) or more pending, half the archive or more,
    the whole archive is grouped at once instead.
    """
    ids = _pending(db, None if response_ids is None else list(response_ids))
    rebuild_from = _REBUILD_FROM if rebuild_from is None else rebuild_from
    if response_ids is None and len(ids) >= rebuild_from:
        total = db.conn.execute("SELECT count(*) FROM responses").fetchone()[0]
        if 2 * len(ids) >= total:
            return rebuild_round_robins(db)
    touched: set[int] = set()
    for start in range(0, len(ids), _INDEX_BATCH):
        with transaction(db):
            for rid in ids[start : start + _INDEX_BATCH]:
                touched |= _reindex(db, rid)
    with transaction(db):
        for grp in sorted(touched):
            materialise(db, grp)
    count = db.conn.execute("SELECT count(*) FROM round_robins").fetchone()[0]
    return {"indexed": len(ids), "round_robins": count}


def rebuild_round_robins(db: sqlite_utils.Database, jobs: int | None = None) -> dict:
    """Forget every grouping and build it again from the archive (`foilog reparse`)."""
    from db.round_robin_build import rebuild

    return rebuild(db, jobs)


def _pending(db: sqlite_utils.Database, among: list[str] | None) -> list[str]:
    """New or changed responses, in date order (then rowid)."""
    sql = (
        "SELECT r.id, r.rowid, r.published, r.month, r.first_seen FROM responses r "
        "LEFT JOIN round_robin_index i ON i.response_id = r.id "
        "WHERE (i.response_id IS NULL OR i.record_sha256 IS NOT r.record_sha256)"
    )
    if among is None:
        found = db.conn.execute(sql).fetchall()
    else:
        found = []
        for start in range(0, len(among), 500):
            chunk = among[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            found += db.conn.execute(f"{sql} AND r.id IN ({marks})", chunk).fetchall()
    found.sort(key=lambda r: (answer_day(r[2], r[3], r[4]), r[1]))
    return [r[0] for r in found]


def _doc(db: sqlite_utils.Database, rid: str) -> Doc | None:
    row = db.conn.execute(
        "SELECT rowid, id, force, language, published, month, first_seen, request_text "
        "FROM responses WHERE id = ?",
        (rid,),
    ).fetchone()
    if row is None:
        return None
    answer = Answer(row[0], row[2], row[3] or "en", answer_day(row[4], row[5], row[6]), row[1])
    hashes, sig = _sketch(request_text(row[7], _questions(db, rid)))
    return Doc(answer, hashes, sig)


def _questions(db: sqlite_utils.Database, rid: str) -> list[str]:
    return [
        q
        for (q,) in db.conn.execute(
            "SELECT text FROM questions WHERE response_id = ? ORDER BY position", (rid,)
        )
    ]


@lru_cache(maxsize=2048)
def _sketch(text: str) -> tuple[np.ndarray, bytes | None]:
    """Hashes and signature by text: a page near the threshold is compared again with
    each new page that shares a band with it, and normalising the text (regexes) is
    most of the cost."""
    sh = shingles(text)
    hashes = shingle_hashes(sh)
    return hashes, signature_of_hashes(hashes) if comparable(sh) else None


def _hashes_of(db: sqlite_utils.Database, rowid: int) -> np.ndarray:
    """An indexed answer's shingle hashes, as stored (no text read or normalised)."""
    row = db.conn.execute(
        "SELECT shingles FROM round_robin_index WHERE response_rowid = ?", (rowid,)
    ).fetchone()
    return np.frombuffer(row[0] if row and row[0] else b"", dtype="<u4")


def _blob(hashes: np.ndarray) -> bytes:
    return hashes.astype("<u4").tobytes()


def _reindex(db: sqlite_utils.Database, rid: str) -> set[int]:
    """(Re)place one response; returns the groups whose round robin must be redone."""
    conn = db.conn
    touched: set[int] = set()
    old = conn.execute(
        "SELECT i.grp, i.signature, r.rowid, i.day FROM round_robin_index i "
        "LEFT JOIN responses r ON r.id = i.response_id WHERE i.response_id = ?",
        (rid,),
    ).fetchone()
    regroup: list[str] = []
    if old is not None:
        if old[1] is not None and old[2] is not None:
            conn.executemany(
                "DELETE FROM round_robin_bands WHERE key = ? AND day = ? AND response_rowid = ?",
                [(key, old[3], old[2]) for key in band_keys(old[1])],
            )
        conn.execute("DELETE FROM round_robin_index WHERE response_id = ?", (rid,))
        if old[0] is not None:
            # Its text changed: the rest of its group may fall apart without it, so the
            # others are placed again (each finds its own matches), in date order.
            touched.add(old[0])
            regroup = [
                r
                for (r,) in conn.execute(
                    "SELECT response_id FROM round_robin_index WHERE grp = ? "
                    "ORDER BY day, response_rowid",
                    (old[0],),
                )
            ]
            conn.execute("UPDATE round_robin_index SET grp = NULL WHERE grp = ?", (old[0],))
    doc = _doc(db, rid)
    if doc is None:
        return touched
    record = conn.execute("SELECT record_sha256 FROM responses WHERE id = ?", (rid,)).fetchone()
    a = doc.answer
    conn.execute(
        "INSERT INTO round_robin_index (response_id, record_sha256, signature, day, "
        "response_rowid, force, language, shingles) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (rid, record[0], doc.sig, a.day, a.rowid, a.force, a.language, _blob(doc.hashes)),
    )
    touched |= _place(db, doc)
    if doc.sig is not None:
        conn.executemany(
            "INSERT OR IGNORE INTO round_robin_bands (key, day, response_rowid) VALUES (?, ?, ?)",
            [(key, doc.answer.day, doc.answer.rowid) for key in band_keys(doc.sig)],
        )
    for other in regroup:
        other_doc = _doc(db, other)
        if other_doc is not None and other_doc.sig is not None:
            touched |= _place(db, other_doc)
    return touched


_BEFORE = (
    "SELECT response_rowid FROM round_robin_bands WHERE key = ? AND day BETWEEN ? AND ? "
    "ORDER BY day DESC, response_rowid DESC LIMIT ?"
)
_AFTER = (
    "SELECT response_rowid FROM round_robin_bands WHERE key = ? AND day > ? AND day <= ? "
    "ORDER BY day, response_rowid LIMIT ?"
)


def _place(db: sqlite_utils.Database, doc: Doc) -> set[int]:
    """Join doc to the groups the rule lets it join; returns the groups changed."""
    if doc.sig is None:
        return set()
    conn = db.conn
    day = doc.answer.day
    near: set[int] = set()
    for key in band_keys(doc.sig):
        near.update(r for (r,) in conn.execute(_BEFORE, (key, day - SPAN_DAYS, day, CAP)))
        near.update(r for (r,) in conn.execute(_AFTER, (key, day, day + SPAN_DAYS, CAP)))
    near.discard(doc.answer.rowid)
    if not near:
        return set()
    marks = ", ".join("?" for _ in near)
    rows = conn.execute(
        "SELECT response_rowid, response_id, force, language, day, signature, grp "
        f"FROM round_robin_index WHERE response_rowid IN ({marks}) AND signature IS NOT NULL",
        list(near),
    ).fetchall()
    if not rows:
        return set()
    mine = np.frombuffer(doc.sig, dtype="<u4")
    est = (np.stack([np.frombuffer(r[5], dtype="<u4") for r in rows]) == mine).mean(axis=1)
    grp = {r[0]: r[6] for r in rows}
    ranked = sorted(
        (
            (-e, r[0], Answer(r[0], r[2], r[3] or "en", r[4], r[1]))
            for e, r in zip(est.tolist(), rows)
            if e >= THRESHOLD - MARGIN  # the others are surely not the same request
        ),
        key=lambda t: (t[0], t[1]),
    )

    def same(answer: Answer, estimate: float) -> bool:
        said = verdict(estimate)
        if said is not None:
            return said
        return jaccard_hashes(doc.hashes, _hashes_of(db, answer.rowid)) >= THRESHOLD

    def group(key: int) -> Group:
        if key < 0:
            alone = next(a for _, r, a in ranked if r == -key)
            return Group({alone.who}, alone.day, alone.day)
        return Group.of(
            Answer(0, force, language or "en", d, rid)
            for force, language, d, rid in conn.execute(
                "SELECT force, language, day, response_id FROM round_robin_index WHERE grp = ?",
                (key,),
            )
        )

    keys = [grp[r] if grp[r] is not None else -r for _, r, _ in ranked]
    estimates = [-e for e, _, _ in ranked]
    needed = decisive(keys, estimates)
    joined = choose(
        doc.answer,
        [(a, e, k) for (_, _, a), e, k, n in zip(ranked, estimates, keys, needed) if n],
        group,
        same,
    )
    return _join(db, doc, joined)


def _join(db: sqlite_utils.Database, doc: Doc, joined: list[int]) -> set[int]:
    """Put doc and the joined groups (ids; -rowid for an answer alone) in one group,
    whose id is the smallest rowid in it; returns the group ids concerned."""
    if not joined:
        return set()
    conn = db.conn
    groups = {k for k in joined if k > 0}
    alone = [-k for k in joined if k < 0]
    own = conn.execute(
        "SELECT grp FROM round_robin_index WHERE response_id = ?", (doc.answer.id,)
    ).fetchone()
    if own is not None and own[0] is not None:
        groups.add(own[0])
    target = min(groups | set(alone) | {doc.answer.rowid})
    conn.execute(
        "UPDATE round_robin_index SET grp = ? WHERE response_id = ?", (target, doc.answer.id)
    )
    if alone:
        marks = ", ".join("?" for _ in alone)
        conn.execute(
            f"UPDATE round_robin_index SET grp = ? WHERE response_rowid IN ({marks})",
            [target, *alone],
        )
    if groups - {target}:
        old = ", ".join("?" for _ in groups - {target})
        conn.execute(
            f"UPDATE round_robin_index SET grp = ? WHERE grp IN ({old})",
            [target, *(groups - {target})],
        )
    return groups | {target}


def materialise(db: sqlite_utils.Database, grp: int) -> None:
    """Write (or remove) the round robin of one group from its members."""
    conn = db.conn
    conn.execute("DELETE FROM round_robin_members WHERE cluster_id = ?", (grp,))
    conn.execute("DELETE FROM round_robins WHERE id = ?", (grp,))
    rows = conn.execute(
        "SELECT r.rowid, r.id, r.force, r.language, r.first_seen, r.title, r.request_text, "
        "r.outcome, r.ncnd, i.signature FROM round_robin_index i "
        "JOIN responses r ON r.id = i.response_id "
        "WHERE i.grp = ? ORDER BY r.first_seen, r.rowid",
        (grp,),
    ).fetchall()
    english = {row[2] for row in rows if row[3] == "en"}
    # A Welsh page whose force's English page is here is that page's translation.
    members = [row for row in rows if row[3] == "en" or row[2] not in english]
    forces = {row[2] or row[1] for row in members}
    if len(forces) < 2:
        return
    similarity = _similarities(members)
    kinds = {row[1]: answer_kind(row[7], row[8]) for row in members}
    majority = _majority(kinds.values())
    first_seen = _became_round_robin(members)
    lead = members[0]
    conn.execute(
        "INSERT INTO round_robins (id, title, request_text, first_seen, last_joined, forces, "
        "responses, force_list, outcomes, majority, differing) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            grp,
            lead[5],
            lead[6],
            first_seen,
            max(row[4] for row in members),
            len(forces),
            len(members),
            json.dumps(sorted(forces)),
            json.dumps(dict(Counter(kinds.values()).most_common())),
            majority,
            sum(1 for rid in kinds if differs(kinds[rid], majority)),
        ),
    )
    conn.executemany(
        "INSERT INTO round_robin_members (cluster_id, response_id, similarity, force, answer, "
        "differs) VALUES (?, ?, ?, ?, ?, ?)",
        [
            (
                grp,
                row[1],
                similarity[row[1]],
                row[2],
                kinds[row[1]],
                differs(kinds[row[1]], majority),
            )
            for row in members
        ],
    )


def answer_kind(outcome: str | None, ncnd: int | bool) -> str:
    """disclosed / refused / ncnd / not held / other, from the outcome and NCND flag."""
    kind = ANSWER_KINDS.get(outcome or "", "other")
    if ncnd and kind != "disclosed":
        return "ncnd"
    return kind


def _majority(kinds: Iterable[str]) -> str | None:
    # An outcome the parser could not read ("other") neither votes nor stands out.
    counts = Counter(k for k in kinds if k != "other").most_common()
    if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
        return None  # no majority: nothing differs from it
    return counts[0][0]


def differs(kind: str, majority: str | None) -> str | None:
    """Why an answer stands out from the others, or None."""
    if majority is None or kind in (majority, "other"):
        return None
    if kind == "refused" and majority == "disclosed":
        return "refused where most disclosed"
    if kind == "ncnd" and majority in ("disclosed", "refused", "not held"):
        return "NCND where most answered"
    return f"{kind} where most {majority}"


def _became_round_robin(members: list) -> str:
    """When the second force's answer arrived (members are in first_seen order)."""
    seen: set[str] = set()
    for row in members:
        seen.add(row[2] or row[1])
        if len(seen) == 2:
            return row[4]
    return members[-1][4]


def _similarities(members: list, most: int = 500) -> dict[str, float]:
    """Each answer's closest other force's copy of the request: the Jaccard similarity
    estimated from the stored signatures (no text is read; about +-0.05), against the
    first `most` answers, every pair of a block of answers in one array operation."""
    sigs = np.stack([np.frombuffer(row[9], dtype="<u4") for row in members])
    codes: dict[str, int] = {}
    force = np.array([codes.setdefault(row[2] or row[1], len(codes)) for row in members])
    ref, ref_force = sigs[:most], force[:most]
    best: list[float] = []
    for start in range(0, len(members), _SIMILARITY_BLOCK):
        block = slice(start, start + _SIMILARITY_BLOCK)
        same = (sigs[block, None, :] == ref[None, :, :]).sum(axis=2) / sigs.shape[1]
        same[force[block, None] == ref_force[None, :]] = 0.0  # its own force's copies
        best += same.max(axis=1).tolist()
    return {row[1]: round(b, 2) for row, b in zip(members, best)}


_SIMILARITY_BLOCK = 64  # answers compared with up to `most` others at once (<= 3.5 MB)
