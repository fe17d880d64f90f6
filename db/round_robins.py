"""Round robins in the archive: one request text answered by several forces.

Every response with enough request text gets a row in `round_robin_index` (its LSH band
keys, see db/similarity.py, and the group it belongs to) and one row per band in
`round_robin_bands`. A new or changed response looks up the responses sharing a band,
keeps those whose shingle sets really reach `THRESHOLD`, and joins (or merges) their
groups. A group answered by two or more forces is a round robin: a `round_robins` row
(id = the group id) and its `round_robin_members`. Nothing here compares all pairs.

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
from db.similarity import (
    THRESHOLD,
    band_keys,
    comparable,
    jaccard,
    request_text,
    shingles,
    signature,
    surely,
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


@dataclass(frozen=True)
class Doc:
    rowid: int
    id: str
    force: str | None
    language: str
    first_seen: str
    sh: frozenset[str]
    sig: bytes | None = None


def update_round_robins(
    db: sqlite_utils.Database, response_ids: Iterable[str] | None = None
) -> dict:
    """Bring round robins up to date after loading; returns {"indexed", "round_robins"}.

    `response_ids=None` takes every response not indexed yet or changed since (so a
    resumed refresh or an import needs no list: one call at the end of the run); given
    ids, only those of them that are new or changed are looked at.
    """
    ids = set(_pending(db, None if response_ids is None else list(response_ids)))
    touched: set[int] = set()
    ordered = sorted(ids)
    for start in range(0, len(ordered), _INDEX_BATCH):
        with transaction(db):
            for rid in ordered[start : start + _INDEX_BATCH]:
                touched |= _reindex(db, rid)
    with transaction(db):
        for grp in sorted(touched):
            _materialise(db, grp)
    count = db.conn.execute("SELECT count(*) FROM round_robins").fetchone()[0]
    return {"indexed": len(ids), "round_robins": count}


def rebuild_round_robins(db: sqlite_utils.Database) -> dict:
    """Forget every grouping and build it again from the archive (`foilog reparse`)."""
    with transaction(db):
        for table in ("round_robin_members", "round_robins", "round_robin_bands"):
            db.conn.execute(f"DELETE FROM {table}")
        db.conn.execute("DELETE FROM round_robin_index")
    return update_round_robins(db)


def _pending(db: sqlite_utils.Database, among: list[str] | None) -> list[str]:
    sql = (
        "SELECT r.id FROM responses r LEFT JOIN round_robin_index i ON i.response_id = r.id "
        "WHERE (i.response_id IS NULL OR i.record_sha256 IS NOT r.record_sha256)"
    )
    if among is None:
        return [rid for (rid,) in db.conn.execute(sql)]
    found = []
    for start in range(0, len(among), 500):
        chunk = among[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        found += [rid for (rid,) in db.conn.execute(f"{sql} AND r.id IN ({marks})", chunk)]
    return found


def _doc(db: sqlite_utils.Database, rid: str | None = None, rowid: int | None = None) -> Doc | None:
    column, value = ("id", rid) if rid is not None else ("rowid", rowid)
    row = db.conn.execute(
        f"SELECT rowid, id, force, language, first_seen, request_text FROM responses "
        f"WHERE {column} = ?",
        (value,),
    ).fetchone()
    if row is None:
        return None
    questions = [
        q
        for (q,) in db.conn.execute(
            "SELECT text FROM questions WHERE response_id = ? ORDER BY position", (row[1],)
        )
    ]
    sh = _shingles(request_text(row[5], questions))
    return Doc(row[0], row[1], row[2], row[3] or "en", row[4], sh)


@lru_cache(maxsize=2048)
def _shingles(text: str) -> frozenset[str]:
    """Shingles by text: a page near the threshold is compared again with each new page
    that shares a band with it, and normalising the text (regexes) is most of a
    rebuild's time (measured: 4.4 `_doc` calls per page on a 2,000-page import)."""
    return shingles(text)


def _reindex(db: sqlite_utils.Database, rid: str) -> set[int]:
    """(Re)place one response; returns the groups whose round robin must be redone."""
    conn = db.conn
    touched: set[int] = set()
    old = conn.execute(
        "SELECT i.grp, i.signature, r.rowid FROM round_robin_index i "
        "LEFT JOIN responses r ON r.id = i.response_id WHERE i.response_id = ?",
        (rid,),
    ).fetchone()
    regroup: list[str] = []
    if old is not None:
        if old[1] is not None and old[2] is not None:
            conn.executemany(
                "DELETE FROM round_robin_bands WHERE key = ? AND response_rowid = ?",
                [(key, old[2]) for key in band_keys(old[1])],
            )
        conn.execute("DELETE FROM round_robin_index WHERE response_id = ?", (rid,))
        if old[0] is not None:
            # Its text changed: the rest of its group may fall apart without it, so the
            # others are placed again (each finds its own matches).
            touched.add(old[0])
            regroup = [
                r
                for (r,) in conn.execute(
                    "SELECT response_id FROM round_robin_index WHERE grp = ?", (old[0],)
                )
            ]
            conn.execute("UPDATE round_robin_index SET grp = NULL WHERE grp = ?", (old[0],))
    doc = _doc(db, rid)
    if doc is None:
        return touched
    touched |= _place(db, doc)
    for other in regroup:
        other_doc = _doc(db, other)
        if other_doc is not None and comparable(other_doc.sh):
            touched |= _join(db, other_doc, _matches(db, other_doc, signature(other_doc.sh)))
    return touched


def _place(db: sqlite_utils.Database, doc: Doc) -> set[int]:
    record = db.conn.execute(
        "SELECT record_sha256 FROM responses WHERE id = ?", (doc.id,)
    ).fetchone()[0]
    if not comparable(doc.sh):
        db.conn.execute(
            "INSERT INTO round_robin_index (response_id, record_sha256) VALUES (?, ?)",
            (doc.id, record),
        )
        return set()
    sig = signature(doc.sh)
    matches = _matches(db, doc, sig)
    db.conn.execute(
        "INSERT INTO round_robin_index (response_id, record_sha256, signature) VALUES (?, ?, ?)",
        (doc.id, record, sig),
    )
    db.conn.executemany(
        "INSERT OR IGNORE INTO round_robin_bands (key, response_rowid) VALUES (?, ?)",
        [(key, doc.rowid) for key in band_keys(sig)],
    )
    return _join(db, doc, matches)


def _matches(db: sqlite_utils.Database, doc: Doc, sig: bytes) -> list[Doc]:
    """Indexed responses sharing a band with doc whose text really is the same request.

    The signatures decide when they are clearly alike or clearly not; only the pairs
    near the threshold have their texts compared.
    """
    keys = band_keys(sig)
    marks = ", ".join("?" for _ in keys)
    candidates = db.conn.execute(
        "SELECT r.rowid, r.id, r.force, r.language, r.first_seen, i.signature, i.grp "
        "FROM responses r JOIN round_robin_index i ON i.response_id = r.id "
        f"WHERE r.rowid IN (SELECT response_rowid FROM round_robin_bands WHERE key IN ({marks}))",
        keys,
    ).fetchall()
    found = []
    joined: set[int] = set()  # one match in a group is enough to join all of it
    for rowid, rid, force, language, first_seen, other_sig, grp in candidates:
        other = Doc(rowid, rid, force, language or "en", first_seen, frozenset(), other_sig)
        if rowid == doc.rowid or other_sig is None or _translations(doc, other):
            continue
        if grp is not None and grp in joined:
            continue
        verdict = surely(sig, other_sig)
        if verdict is None:
            full = _doc(db, rid)
            verdict = full is not None and jaccard(doc.sh, full.sh) >= THRESHOLD
        if verdict:
            found.append(other)
            if grp is not None:
                joined.add(grp)
    return found


def _translations(a: Doc, b: Doc) -> bool:
    return a.force is not None and a.force == b.force and a.language != b.language


def _join(db: sqlite_utils.Database, doc: Doc, matches: list[Doc]) -> set[int]:
    """Put doc and its matches in one group (merging groups); returns the group ids."""
    if not matches:
        return set()
    conn = db.conn
    ids = [doc.id] + [m.id for m in matches]
    marks = ", ".join("?" for _ in ids)
    groups = {
        g
        for (g,) in conn.execute(
            f"SELECT grp FROM round_robin_index WHERE response_id IN ({marks}) AND grp IS NOT NULL",
            ids,
        )
    }
    target = min(groups | {doc.rowid} | {m.rowid for m in matches})
    conn.execute(
        f"UPDATE round_robin_index SET grp = ? WHERE response_id IN ({marks})", [target, *ids]
    )
    if groups - {target}:
        old = ", ".join("?" for _ in groups - {target})
        conn.execute(
            f"UPDATE round_robin_index SET grp = ? WHERE grp IN ({old})",
            [target, *(groups - {target})],
        )
    return groups | {target}


def _materialise(db: sqlite_utils.Database, grp: int) -> None:
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
    estimated from the stored signatures (no text is read; about +-0.05)."""
    sigs = np.stack([np.frombuffer(row[9], dtype="<u4") for row in members[:most]])
    forces = np.array([row[2] or row[1] for row in members[:most]], dtype=object)
    out = {}
    for row in members:
        mine = np.frombuffer(row[9], dtype="<u4")
        others = forces != (row[2] or row[1])
        same = (sigs[others] == mine).mean(axis=1) if others.any() else np.zeros(1)
        out[row[1]] = round(float(same.max()), 2)
    return out
