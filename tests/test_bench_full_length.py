"""The parse benchmark's full-length pages: the live site's lengths, real markup, parseable.

`parse_full_length_pages_per_s` and `parse_ratio_vs_lexbor_floor` (issue 17) are measured
on these; this checks they are what the figures claim, not how fast they parse.
"""

from __future__ import annotations

import pytest

from bench.full_length_pages import (
    MAX_CHARS,
    MIN_CHARS,
    iter_full_length,
    real_full_length,
    text_length,
)
from bench.synth import DEFAULT_SITE_ROOT, load_sources
from parsers import parse_response

N = 30


@pytest.fixture(scope="module")
def sources():
    return load_sources(DEFAULT_SITE_ROOT)


@pytest.fixture(scope="module")
def pages(sources):
    return list(iter_full_length(sources, N))


def test_pages_are_in_the_live_range_of_lengths(pages):
    for page in pages:
        # the body's text (the last paragraph added may pass the drawn length a little)
        assert MIN_CHARS <= page.text_chars <= MAX_CHARS + 1_000, page.url
        assert text_length(page.html) > page.text_chars  # and the chrome's around it
    lengths = sorted(p.text_chars for p in pages)
    assert lengths[0] < 8_000 < lengths[-1]  # a spread, not one length


def test_pages_are_deterministic_and_unique(sources, pages):
    again = list(iter_full_length(sources, N))
    assert [p.html for p in again] == [p.html for p in pages]
    assert len({p.html for p in pages}) == N
    assert len({p.url for p in pages}) == N


def test_pages_keep_real_chrome_and_parse_to_their_long_body(sources, pages):
    by_path = {s.url_path: s for s in sources}
    for page in pages[:10]:
        source = by_path[page.source]
        assert page.html.startswith(source.head) and page.html.endswith(source.tail)
        record = parse_response(page.html, page.url)
        assert record.reference == source.reference
        assert 0.9 * page.text_chars <= len(record.body_text) <= 1.1 * page.text_chars, page.url


def test_the_real_whole_pages_are_kept(sources):
    real = real_full_length(sources)
    assert len(real) >= 4
    assert all(p.text_chars >= 8_000 for p in real)


def test_the_stage_diagnostic_times_live_stages_on_the_bench_set(sources):
    """`bench.parse_stages --full-length` is how the parser's misses are explained: every
    stage it names must exist (a renamed one would drop out of the table unnoticed), it
    must parse the set the bench times, and it must put the parser back as it was."""
    from bench import parse_stages
    from bench.parse_bench import full_length_set
    from parsers import response

    before = response.text_lines
    total, spent, missing, parsed = parse_stages.measure(10, full_length=True)
    assert missing == []
    assert parsed == len(full_length_set(sources, 10))
    assert {"exemptions", "lexbor parse (C)", "DOM -> text lines (Python walk)"} <= set(spent)
    assert 0 < sum(spent.values()) <= total
    assert response.text_lines is before
