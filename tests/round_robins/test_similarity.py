"""The pure text rules: what makes two copies of a request the same."""

from __future__ import annotations

import numpy as np

from db.datasketch_minhash import sha1_hash32
from db.similarity import (
    THRESHOLD,
    band_keys,
    comparable,
    estimate,
    jaccard,
    normalise,
    shingle_hashes,
    shingles,
    signature,
    signature_of_hashes,
    signatures_of_hashes,
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


def test_shingle_hashes_are_datasketchs_sha1_hash32():
    sh = shingles(MPS) | {"déjà vu here", "x"}
    expected = sorted({sha1_hash32(s.encode()) for s in sh})
    assert shingle_hashes(sh).tolist() == expected and shingle_hashes(sh).dtype == np.uint32
    assert shingle_hashes([]).tolist() == []


def test_many_signatures_at_once_are_datasketchs_one_by_one():
    # The build signs thousands of sets in a few array operations; each must be the
    # MinHash datasketch makes (stored signatures and band keys depend on it), whatever
    # the set's size: empty, one hash, and more than one step of the batch.
    rng = np.random.default_rng(7)
    sizes = [0, 1, 5, 0, 40, 9000, 3, 20000, 2, 0]
    parts = [np.unique(rng.integers(0, 2**32, size, dtype=np.uint32)) for size in sizes]
    parts.append(shingle_hashes(shingles(MPS)))
    at_once = signatures_of_hashes(parts)
    assert at_once.dtype == np.uint32 and at_once.shape == (len(parts), 108)
    for hashes, sig in zip(parts, at_once):
        assert sig.astype("<u4").tobytes() == signature_of_hashes(hashes)
    assert signatures_of_hashes([]).shape == (0, 108)
