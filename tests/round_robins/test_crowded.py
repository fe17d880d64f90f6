"""A crowded archive: thousands of near-identical template requests over years and
forces are not one giant round robin, a real round robin of 30 forces is still found,
and a page added to a crowded band bucket looks at a capped number of candidates."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

import pytest
import sqlite_utils

import db.round_robins as round_robins
from db.round_robin_rules import CAP, SPAN_DAYS
from db.round_robins import REFRESH_REBUILD_FROM, rebuild_round_robins, update_round_robins
from db.schema import ensure_schema

FORCES = [f"force-{i:02d}" for i in range(40)]
# The same annual question from many requesters: one text, a figure or a year apart.
TEMPLATE = (
    "Please confirm whether you hold information on the number of stop and search "
    "encounters recorded in {year} where body worn video was switched on, broken down "
    "by ethnicity and by the outcome of the search, and the policy on retention."
)
ROUND_ROBIN = (
    "1. How many drones does your force operate and what did each cost to buy? "
    "2. How many deployments of those drones were made to protests and to missing "
    "person searches? 3. Please provide the drone operating procedure and the data "
    "protection impact assessment for the drone unit."
)


def insert(db: sqlite_utils.Database, rid: str, force: str, day: date, text: str) -> None:
    db.conn.execute(
        "INSERT INTO responses (id, url, force, language, title, request_text, published, "
        "month, first_seen, last_seen, last_changed, record_sha256, outcome) "
        "VALUES (?, ?, ?, 'en', ?, ?, ?, ?, '2026-01-01', '2026-01-01', '2026-01-01', ?, 'full')",
        (
            rid,
            f"https://example.invalid/foi-ai/{rid}/",
            force,
            rid,
            text,
            day.isoformat(),
            day.isoformat()[:7],
            hashlib.sha256(text.encode()).hexdigest(),
        ),
    )


def crowded(path, templates: int = 2000) -> tuple[sqlite_utils.Database, set[str]]:
    """`templates` copies of one request over 6 years and 40 forces, and among them a
    real round robin: one request answered by 30 forces within two months."""
    rng = random.Random(17)
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    start = date(2020, 1, 1)
    rows = [
        (f"{rng.choice(FORCES)}/t/{n:05d}", start + timedelta(days=rng.randrange(6 * 365)))
        for n in range(templates)
    ]
    real = {f"{force}/rr/drones" for force in rng.sample(FORCES, 30)}
    rows += [(rid, date(2023, 3, 1) + timedelta(days=rng.randrange(60))) for rid in real]
    rng.shuffle(rows)
    for rid, day in rows:
        text = ROUND_ROBIN if "/rr/" in rid else TEMPLATE.format(year=day.year - 1)
        insert(db, rid, rid.split("/")[0], day, text)
    db.conn.commit()
    return db, real


def clusters(db: sqlite_utils.Database) -> dict[int, list[tuple[str, str, int]]]:
    out: dict[int, list] = {}
    for cluster, rid, force, day in db.conn.execute(
        "SELECT m.cluster_id, m.response_id, m.force, i.day FROM round_robin_members m "
        "JOIN round_robin_index i ON i.response_id = m.response_id"
    ):
        out.setdefault(cluster, []).append((rid, force, day))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    db, real = crowded(tmp_path_factory.mktemp("crowd") / "foi.db")
    rebuild_round_robins(db)
    return db, real


def test_near_identical_templates_are_not_one_giant_round_robin(built):
    db, _ = built
    found = clusters(db)
    assert len(found) > 10  # the template's answers fall into many groups ...
    for members in found.values():
        forces = [force for _, force, _ in members]
        assert len(forces) == len(set(forces))  # ... each with one answer per force
        days = [day for _, _, day in members]
        assert max(days) - min(days) <= SPAN_DAYS  # ... from one time frame


def test_a_real_round_robin_of_30_forces_is_found(built):
    db, real = built
    found = [{rid for rid, _, _ in members} for members in clusters(db).values()]
    assert real in found


def test_the_build_and_page_by_page_give_the_same_round_robins(built, tmp_path):
    db, _ = built
    again, _ = crowded(tmp_path / "again.db", templates=2000)
    # As the nightly refresh groups: page by page, though 2,030 pending call for the build
    done = update_round_robins(again, rebuild_from=REFRESH_REBUILD_FROM)
    assert done["indexed"] == 2030 and "cpu_s" not in done  # (the build reports its CPU)

    def groups(d):
        return sorted(
            d.conn.execute("SELECT cluster_id, response_id FROM round_robin_members").fetchall()
        )

    assert groups(again) == groups(db)


def test_a_page_in_a_crowded_bucket_looks_at_a_capped_number_of_answers(built, monkeypatch):
    db, real = built
    looked: list[int] = []
    real_choose = round_robins.choose

    def counting(doc, candidates, group, same):
        candidates = list(candidates)
        looked.append(len(candidates))
        return real_choose(doc, candidates, group, same)

    monkeypatch.setattr(round_robins, "choose", counting)
    insert(db, "force-39/t/late", "force-39", date(2023, 6, 1), TEMPLATE.format(year=2022))
    late_rr = next(f for f in FORCES if f"{f}/rr/drones" not in real)
    insert(db, f"{late_rr}/rr/late", late_rr, date(2023, 5, 20), ROUND_ROBIN)
    db.conn.commit()
    update_round_robins(db, ["force-39/t/late", f"{late_rr}/rr/late"])
    # 2,000 identical copies share every band: only the CAP nearest each side are looked at.
    assert looked and max(looked) <= 2 * CAP
    row = db.conn.execute(
        "SELECT rr.forces FROM round_robin_members m JOIN round_robins rr "
        "ON rr.id = m.cluster_id WHERE m.response_id = ?",
        (f"{late_rr}/rr/late",),
    ).fetchone()
    assert row == (31,)  # the late force joined the real round robin


def test_an_older_archive_is_regrouped_under_the_new_rule(tmp_path, monkeypatch):
    import db.schema as schema

    older = {v: m for v, m in schema.MIGRATIONS.items() if v != 12}
    monkeypatch.setattr(schema, "MIGRATIONS", older)
    db, real = crowded(tmp_path / "old.db", templates=50)
    db.conn.execute("INSERT INTO round_robins (id, forces, responses) VALUES (1, 40, 50)")
    db.conn.commit()
    monkeypatch.undo()
    ensure_schema(db)  # migration 12: the old grouping is dropped, to be redone
    assert db["round_robins"].count == 0 and db["round_robin_index"].count == 0
    update_round_robins(db)
    assert real in [{rid for rid, _, _ in m} for m in clusters(db).values()]
