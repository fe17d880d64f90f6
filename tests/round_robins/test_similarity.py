"""The pure text rules: what makes two copies of a request the same."""

from __future__ import annotations

from db.similarity import (
    THRESHOLD,
    band_keys,
    comparable,
    estimate,
    jaccard,
    normalise,
    shingles,
    signature,
)

MPS = (
    "1. How many officers of the Metropolitan Police Service were dismissed for gross "
    "misconduct between 1 January 2019 and 31 December 2023, broken down by year?\n"
    "2. Please provide the rank of each officer and whether PC John Smith's case was heard "
    "in public.\n3. How many appeals were made to the Police Appeals Tribunal by the MPS?"
)
DYFED = (
    "Q1. How many officers of Dyfed-Powys Police were dismissed for gross misconduct between "
    "1st April 2020 and 31st March 2024, broken down by year?\nQ2. Please provide the rank "
    "of each officer and whether Sergeant Jane Evans's case was heard in public.\nQ3. How "
    "many appeals were made to the Police Appeals Tribunal by your force?"
)
OTHER = (
    "1. How many officers were dismissed for gross misconduct in 2023?\n2. How many police "
    "horses does the force own, and what does it cost to stable them each year?\n3. Please "
    "provide the force's policy on retiring police horses."
)


def test_forces_names_dates_and_figures_do_not_count():
    assert normalise(MPS) == normalise(DYFED)
    assert "force" in normalise(MPS) and "name" in normalise(MPS)
    assert not any(w.isdigit() or w in ("january", "april") for w in normalise(DYFED))


def test_template_variants_are_the_same_request():
    assert jaccard(shingles(MPS), shingles(DYFED)) == 1.0


def test_same_topic_different_questions_is_not():
    assert jaccard(shingles(MPS), shingles(OTHER)) < THRESHOLD


def test_lsh_finds_the_copy_and_not_the_stranger():
    a, b, c = (signature(shingles(t)) for t in (MPS, DYFED, OTHER))
    assert set(band_keys(a)) & set(band_keys(b))
    assert not set(band_keys(a)) & set(band_keys(c))
    assert estimate(a, b) == 1.0 and estimate(a, c) < THRESHOLD


def test_signatures_are_stable_across_runs():
    # Band keys are stored in the archive: the same text must give the same keys after an
    # upgrade (of datasketch too), or new pages would miss old ones until `foilog reparse`.
    keys = band_keys(signature(shingles(MPS)))
    assert keys[:2] == [7934250125476408606, 5244115475451863630]
    assert len(keys) == len(set(keys)) == 36


def test_too_little_text_is_not_compared():
    assert not comparable(shingles("Taser"))
    assert not comparable(shingles(""))
    assert comparable(shingles(MPS))
