"""The national benchmark archive: built on every core, complete, cached by its inputs."""

from __future__ import annotations

import sqlite3

import pytest

from bench import national
from bench.synth import load_sources

N = 150  # more than the 42 forces: every force gets one


@pytest.fixture(scope="module")
def sources():
    return load_sources()


@pytest.fixture(scope="module")
def built(tmp_path_factory, sources):
    path = tmp_path_factory.mktemp("national") / "foi.db"
    info = national.ensure_national(path, sources, N, log=lambda _: None)
    return path, info


def test_every_clone_is_loaded_over_every_force_with_full_length_text(built):
    path, info = built
    assert info["responses"] == N and info["forces"] == len(national.force_slugs()) >= 40
    conn = sqlite3.connect(path)
    lengths = sorted(n for (n,) in conn.execute("SELECT length(body_text) FROM responses"))
    assert lengths[len(lengths) // 2] >= 5_000 and lengths[-1] <= 20_000
    # rows as load_response writes them: a version, an event each; children loaded
    for table in ("language_versions", "response_events"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == N
    assert conn.execute("SELECT count(*) FROM questions").fetchone()[0] > N
    assert conn.execute("SELECT count(DISTINCT outcome) FROM responses").fetchone()[0] > 2


def test_fts_is_complete_and_its_triggers_are_back(built):
    path, _ = built
    conn = sqlite3.connect(path)
    for table in ("responses", "questions", "answers", "attachments"):
        conn.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('integrity-check')")
    triggers = {t for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert {"responses_ai", "questions_ai", "answers_ai", "attachments_ai"} <= triggers
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    word = conn.execute("SELECT title FROM responses LIMIT 1").fetchone()[0].split()[0]
    hits = conn.execute(
        "SELECT count(*) FROM responses_fts WHERE responses_fts MATCH ?", (f'"{word}"',)
    ).fetchone()[0]
    assert hits >= 1


def test_a_second_run_reuses_it_and_other_inputs_rebuild(built, sources):
    path, _ = built
    assert national.ensure_national(path, sources, N) == {"reused": True}
    stamp = national.national_stamp(N, national.DEFAULT_SEED, sources)
    assert national.national_stamp(N, national.DEFAULT_SEED, sources[1:]) != stamp
    assert national.national_stamp(N + 1, national.DEFAULT_SEED, sources) != stamp
