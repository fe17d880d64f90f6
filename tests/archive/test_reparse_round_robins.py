"""`foilog reparse` regroups round robins only for the records it changed: none when the
new parser reads every record the same, page by page when a few changed, and the
groups end as a whole-archive build makes them."""

from __future__ import annotations

import shutil

import pytest
import sqlite_utils

import db.reparse as reparse_module
import db.round_robin_build as round_robin_build
from db.pages import PageStore
from db.reparse import reparse
from db.round_robins import rebuild_round_robins
from db.schema import ensure_schema
from tests.round_robins.mirror_archive import SITE, host_of, mirror_items

FETCHED = "2026-10-01T01:00:00+00:00"
TASER_WARWICKS = (
    "warwickshire-police/foi-disclosure-2025/march-2025/foi-301-2025--mar-2025--taser-purchases"
)
GROUPING = ("round_robins", "round_robin_members", "round_robin_index", "round_robin_bands")


@pytest.fixture(scope="module")
def reparsed(tmp_path_factory):
    """Every mirror page in a raw store, reparsed into an empty archive (whose round
    robins the whole-archive build made)."""
    root = tmp_path_factory.mktemp("reparse-rr")
    pages = PageStore(root / "pages.db")
    for item in mirror_items():
        url = f"https://{host_of(item['url_path'])}{item['url_path']}"
        pages.store(url, 200, {}, (SITE / item["path"]).read_bytes(), FETCHED)
    pages.close()
    archive = sqlite_utils.Database(root / "foi.db")
    ensure_schema(archive)
    with PageStore(root / "pages.db") as store:
        assert reparse(archive, store)["round_robins"] > 0
    archive.close()
    return root


@pytest.fixture
def stores(reparsed, tmp_path):
    for name in ("foi.db", "pages.db"):
        shutil.copy(reparsed / name, tmp_path / name)
    archive = sqlite_utils.Database(tmp_path / "foi.db")
    with PageStore(tmp_path / "pages.db") as pages:
        yield archive, pages, tmp_path
    archive.close()


def _dump(db: sqlite_utils.Database, table: str) -> list:
    return sorted(db.conn.execute(f"SELECT * FROM {table}").fetchall())


def _rebuilt(tmp_path, archive: sqlite_utils.Database) -> sqlite_utils.Database:
    """The same archive with its round robins built again from scratch."""
    archive.conn.commit()
    copy = sqlite_utils.Database(tmp_path / "rebuilt.db")
    archive.conn.backup(copy.conn)
    rebuild_round_robins(copy)
    return copy


def test_a_parser_that_reads_every_record_the_same_regroups_nothing(stores, monkeypatch):
    archive, pages, tmp_path = stores
    before = {table: _dump(archive, table) for table in GROUPING}
    archive.execute("UPDATE responses SET parser_version = 'old'")
    archive.conn.commit()

    def no_build(*args, **kwargs):
        raise AssertionError("the whole-archive build ran")

    monkeypatch.setattr(round_robin_build, "rebuild", no_build)
    counts = reparse(archive, pages)
    assert counts["unchanged"] == counts["parsed"] > 100
    assert counts["round_robins"] == len(before["round_robins"]) > 0
    for table in GROUPING:
        assert _dump(archive, table) == before[table], table
    monkeypatch.undo()
    rebuilt = _rebuilt(tmp_path, archive)
    for table in GROUPING:
        assert _dump(archive, table) == _dump(rebuilt, table), table


def test_a_few_changed_records_are_placed_again_as_the_build_places_them(stores, monkeypatch):
    """An older parser read one round robin's answer as another request (so it was
    grouped alone); the new parser reads it right and it joins its round robin."""
    archive, pages, tmp_path = stores
    joined = archive.conn.execute(
        "SELECT cluster_id FROM round_robin_members WHERE response_id = ?", (TASER_WARWICKS,)
    ).fetchone()
    assert joined is not None
    archive.execute(
        "UPDATE responses SET request_text = 'How many police horses do you keep?', "
        "record_sha256 = 'old' WHERE id = ?",
        (TASER_WARWICKS,),
    )
    archive.execute("DELETE FROM questions WHERE response_id = ?", (TASER_WARWICKS,))
    archive.conn.commit()
    from db.round_robins import update_round_robins

    update_round_robins(archive)  # as the old parser's reparse left them
    assert (TASER_WARWICKS,) not in archive.conn.execute(
        "SELECT response_id FROM round_robin_members"
    ).fetchall()

    def no_build(*args, **kwargs):
        raise AssertionError("the whole-archive build ran")

    monkeypatch.setattr(reparse_module, "REBUILD_SHARE", 1)  # 1 of 116: page by page
    monkeypatch.setattr(round_robin_build, "rebuild", no_build)
    counts = reparse(archive, pages)
    assert counts["changed"] == 1
    monkeypatch.undo()
    assert (
        archive.conn.execute(
            "SELECT cluster_id FROM round_robin_members WHERE response_id = ?", (TASER_WARWICKS,)
        ).fetchone()
        == joined
    )
    rebuilt = _rebuilt(tmp_path, archive)
    for table in ("round_robins", "round_robin_members"):
        assert _dump(archive, table) == _dump(rebuilt, table), table


def test_many_changed_records_are_grouped_by_the_whole_archive_build(stores, monkeypatch):
    archive, pages, _ = stores
    # every record read otherwise by the old parser, and grouped as it read them
    archive.execute("UPDATE responses SET record_sha256 = 'old', title = title || '.'")
    archive.execute("UPDATE round_robin_index SET record_sha256 = 'old'")
    archive.conn.commit()
    built: list[int] = []
    real = round_robin_build.rebuild

    def counting(db, jobs=None):
        built.append(1)
        return real(db, jobs)

    monkeypatch.setattr(round_robin_build, "rebuild", counting)
    counts = reparse(archive, pages)
    assert counts["changed"] > 100 and built == [1]
    assert not archive.conn.execute("SELECT 1 FROM round_robins WHERE title LIKE '%.'").fetchall()
