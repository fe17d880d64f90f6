"""Round robins in the archive: template variants joined, same topic kept apart,
translations not counted, incremental join, rebuild by reparse, and the labelled set."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from db.round_robins import rebuild_round_robins, update_round_robins
from db.schema import ensure_schema
from db.similarity import THRESHOLD, jaccard, shingles
from plugins.app import load_metadata
from tests.round_robins.mirror_archive import build, load_item, mirror_items

LABELLED = Path(__file__).with_name("labelled_pairs.json")
TASER_SWP = "south-wales-police/disclosure-log/2025/march/foi-12325"
TASER_SWP_CY = "cy-GB/foi-ai/heddlu-de-cymru/disclosure-log/2025/mawrth/foi-12325"
TASER_WARWICKS = (
    "warwickshire-police/foi-disclosure-2025/march-2025/foi-301-2025--mar-2025--taser-purchases"
)
TASER_NEGATIVE = "west-mercia-police/2025/april/foi-271144"
DRONE_NEGATIVE = "cleveland-police/disclosure/2025/march/foi-27725-drone-complaints"
DRONE_NCND = "northamptonshire-police/disclosure-logs/2025/march/foi-10233-25-drone-fleet"


def members(db: sqlite_utils.Database) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for title, rid in db.conn.execute(
        "select rr.title, m.response_id from round_robins rr "
        "join round_robin_members m on m.cluster_id = rr.id"
    ):
        out.setdefault(title, set()).add(rid)
    return out


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    db = build(tmp_path_factory.mktemp("rr") / "foi.db", mirror_items())
    update_round_robins(db)
    return db


def test_template_variants_are_joined(archive):
    groups = members(archive)
    taser = groups["Taser purchase costs 2022-2025"]
    assert len(taser) == 5 and TASER_SWP in taser and TASER_WARWICKS in taser
    drones = groups["Drone fleet and deployments 2024"]
    assert len(drones) == 5 and DRONE_NCND in drones
    assert len({rid.split("/")[0] for rid in taser}) == 5  # five forces


def test_same_topic_different_request_kept_apart(archive):
    grouped = set().union(*members(archive).values())
    assert TASER_NEGATIVE not in grouped
    assert DRONE_NEGATIVE not in grouped
    # the MPS's own older drone and taser requests are other requests too
    assert not any("inventory-drones" in rid or "taser-deployments" in rid for rid in grouped)


def test_translation_is_not_another_answer(archive):
    grouped = set().union(*members(archive).values())
    assert TASER_SWP in grouped and TASER_SWP_CY not in grouped
    forces = archive.conn.execute(
        "select forces, responses from round_robins where title like 'Taser%'"
    ).fetchone()
    assert forces == (5, 5)


def test_welsh_and_english_twins_alone_are_no_round_robin(tmp_path):
    items = [i for i in mirror_items("round_robins") if "foi-12325" in i["url_path"]]
    assert len(items) == 2
    db = build(tmp_path / "twins.db", items)
    update_round_robins(db)
    assert db["round_robins"].count == 0


def test_answers_differing_from_the_majority_are_marked(archive):
    marks = dict(archive.conn.execute("select response_id, differs from round_robin_members"))
    assert marks[TASER_WARWICKS] == "refused where most disclosed"
    assert marks[TASER_SWP] is None
    assert marks[DRONE_NCND] == "NCND where most answered"


def test_a_new_force_joins_the_existing_round_robin(tmp_path):
    items = mirror_items("round_robins")
    late = next(i for i in items if "warwickshire" in i["url_path"])
    db = build(tmp_path / "inc.db", [i for i in items if i is not late])
    update_round_robins(db)
    before = dict(db.conn.execute("select title, id from round_robins"))
    rid = load_item(db, late, now="2026-11-02T02:00:00+00:00")
    result = update_round_robins(db, [rid])
    assert result["indexed"] == 1  # only the new page was looked at
    after = dict(db.conn.execute("select title, id from round_robins"))
    assert after == before  # same round robin, same id
    row = db.conn.execute(
        "select rr.forces, rr.last_joined from round_robin_members m "
        "join round_robins rr on rr.id = m.cluster_id where m.response_id = ?",
        (rid,),
    ).fetchone()
    assert row == (5, "2026-11-02T02:00:00+00:00")
    # a second update with nothing new does nothing
    assert update_round_robins(db)["indexed"] == 0


def test_rebuild_gives_the_same_round_robins(archive):
    before = sorted(archive.conn.execute("select cluster_id, response_id from round_robin_members"))
    rebuild_round_robins(archive)
    after = sorted(archive.conn.execute("select cluster_id, response_id from round_robin_members"))
    assert before == after and before


def test_a_changed_request_leaves_its_round_robin(tmp_path):
    items = [i for i in mirror_items("round_robins") if "taser-a" in i["file"]]
    db = build(tmp_path / "chg.db", items)
    update_round_robins(db)
    db.conn.execute(
        "update responses set request_text = 'How many police horses do you have and what are "
        "their names and ages and stables?', record_sha256 = 'x' where id = ?",
        (TASER_WARWICKS,),
    )
    db.conn.execute("delete from questions where response_id = ?", (TASER_WARWICKS,))
    db.conn.commit()
    update_round_robins(db)
    grouped = set().union(*members(db).values())
    assert TASER_WARWICKS not in grouped and TASER_SWP in grouped


def test_labelled_set_precision_and_recall_at_the_threshold():
    data = json.loads(LABELLED.read_text(encoding="utf-8"))
    sh = {k: shingles(t) for k, t in data["texts"].items()}
    said = [jaccard(sh[p["a"]], sh[p["b"]]) >= THRESHOLD for p in data["pairs"]]
    truth = [p["same"] for p in data["pairs"]]
    tp = sum(s and t for s, t in zip(said, truth))
    assert sum(truth) >= 100 and sum(p["kind"] == "hard" for p in data["pairs"]) >= 50
    assert tp / sum(said) >= 0.95 and tp / sum(truth) >= 0.9


def test_every_round_robin_table_is_described(tmp_path):
    db = sqlite_utils.Database(tmp_path / "empty.db")
    ensure_schema(db)
    described = load_metadata()["databases"]["foi"]["tables"]
    for name in ("round_robins", "round_robin_members", "round_robin_index", "round_robin_bands"):
        assert described[name].get("description"), name
        missing = set(db[name].columns_dict) - set(described[name].get("columns", {}))
        assert not missing, f"{name}: undescribed columns {missing}"
