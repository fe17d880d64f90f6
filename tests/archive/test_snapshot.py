"""Snapshots for /foi.db: reused while the archive is unchanged, renewed after a write."""

from __future__ import annotations

import sqlite_utils

from db.load import Provenance, load_response
from db.schema import ensure_schema
from plugins.snapshot import SnapshotCache
from tests.archive.records import make_response


def test_snapshot_follows_writes(tmp_path):
    db = sqlite_utils.Database(tmp_path / "foi.db")
    ensure_schema(db)
    first = make_response("first")
    load_response(db, first, Provenance(first.url, "2026-01-01T00:00:00+00:00", "a"))
    cache = SnapshotCache()
    snapshot = cache.latest(tmp_path / "foi.db")
    inode = snapshot.stat().st_ino
    assert sqlite_utils.Database(snapshot)["responses"].count == 1
    assert cache.latest(tmp_path / "foi.db").stat().st_ino == inode  # reused

    second = make_response("second")
    load_response(db, second, Provenance(second.url, "2026-01-02T00:00:00+00:00", "b"))
    renewed = cache.latest(tmp_path / "foi.db")
    assert sqlite_utils.Database(renewed)["responses"].count == 2
