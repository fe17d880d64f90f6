"""The mirror's released files: committed output matches the generator, stays small,
and the demo's search word occurs in exactly one file of the mirror."""

from __future__ import annotations

import io
import zipfile

from tests.attachments.conftest import MIRROR_FILES, REPO


def test_committed_files_match_the_generator(maker):
    for relative, make in maker.FILES.items():
        assert (MIRROR_FILES / relative).read_bytes() == make(), f"stale: {relative}"
        assert make() == make(), f"not deterministic: {relative}"


def test_files_are_small_and_exactly_the_listed_ones(maker):
    present = {
        p.relative_to(MIRROR_FILES).as_posix() for p in MIRROR_FILES.rglob("*") if p.is_file()
    }
    assert present == set(maker.FILES)
    for relative in present:
        assert 0 < (MIRROR_FILES / relative).stat().st_size < 50_000


def _texts(path) -> list[bytes]:
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return [data] + [z.read(n) for n in z.namelist()]
    except zipfile.BadZipFile:
        return [data]


def test_demo_search_word_is_only_in_the_stop_and_search_spreadsheet(maker):
    word = maker.DISTINCTIVE_WORD.encode()
    site = REPO / "fixtures" / "site"
    hits = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file()
        if any(word.lower() in t.lower() for t in _texts(p))
    ]
    assert hits == [
        "SysSiteAssets/foi-media/metropolitan-police/disclosure_2024/march_2024/"
        "stop-and-search-by-borough-2023.xlsx"
    ]
    content = REPO / "fixtures" / "content"
    assert not [
        p for p in content.rglob("*") if p.is_file() and word.lower() in p.read_bytes().lower()
    ]
