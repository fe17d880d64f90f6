"""The national benchmark archive: built on every core, complete, cached by its inputs."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from bench import national, national_forces
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
    assert info["responses"] == N and info["forces"] == len(national_forces.force_slugs()) >= 40
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


def test_forces_with_pages_in_the_mirror_keep_their_notation_and_layout():
    own = national_forces.force_templates()
    assert len(own) >= 8 and "metropolitan-police" not in own
    gwent = next(r for r in own["gwent-police"] if r.reference == "2022/25222")
    assert national_forces.clone_reference(gwent, "gwent-police", 41, 2024, None) == "2022/00042"
    assert national_forces.clone_path(gwent, "gwent-police", 2024, "march", "x-41").startswith(
        "/foi-ai/gwent-police/disclosure2/2024/"
    )
    # a force not sampled gets the platform's layout; the MPS its own notation
    assert national_forces.clone_path(gwent, "kent-police", 2024, "march", "x").startswith(
        "/foi-ai/kent-police/disclosure-2024/march-2024/"
    )
    template = dataclasses.replace(gwent, reference="01.FOI.23.012345", force="metropolitan-police")
    mps = national_forces.clone_reference(template, "metropolitan-police", 41, 2024, None)
    assert mps.startswith("01.FOI.24.")


def test_the_archive_mixes_each_force_s_own_pages_in(built):
    path, _ = built
    conn = sqlite3.connect(path)
    own = national_forces.force_templates()
    styled = conn.execute(
        "SELECT count(*) FROM responses WHERE force = 'dyfed-powys-police' "
        "AND url LIKE 'https://www.dyfed-powys.police.uk/%'"
    ).fetchone()[0]
    assert styled >= 1 and "dyfed-powys-police" in own
    mps = conn.execute(
        "SELECT reference FROM responses WHERE force = 'metropolitan-police' LIMIT 5"
    ).fetchall()
    assert all(r.startswith("01.FOI.") for (r,) in mps)


def test_fts_settings_are_the_defaults_again(built):
    path, _ = built
    conn = sqlite3.connect(path)
    for table in ("responses", "questions", "answers", "attachments"):
        keys = {k for (k,) in conn.execute(f"SELECT k FROM {table}_fts_config")}
        assert keys == {"version"}


def test_the_national_forces_include_every_force_the_parsers_know():
    from parsers.sites import SITES

    known = {s.force for s in SITES.values() if getattr(s, "force", None)}
    forces = national_forces.force_slugs()
    assert known <= set(forces), sorted(known - set(forces))
    assert len(forces) == len(set(forces)) >= 40
