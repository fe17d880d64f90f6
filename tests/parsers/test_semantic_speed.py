"""The semantic parsers' speed shortcuts (issue 17) give the results of the plain code.

- a `Prefiltered` pattern's `on_lowered` twin, run on the lowered text, matches exactly
  where the pattern matches the text (both ways: it must neither miss nor add a match);
- the line prefilters over a whole reply never skip a line the per-line code reads;
- tests/parsers/test_golden.py pins the parser's whole output on every page, and
  `test_fixture_pages_analyse_as_the_plain_code` below compares with the plain code.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.prefilter import Prefiltered, lowered
from tests.parsers.test_speed_equivalence import PREFILTERED

TWINNED = [(name, guarded) for name, guarded in PREFILTERED if guarded.on_lowered is not None]

# Around a generated match: word characters (a `\b` test), spaces, letters `re.IGNORECASE`
# folds oddly (ſ, ı, İ, Kelvin K), capitals and non-ASCII word letters.
_AROUND = st.text(
    alphabet=st.sampled_from(list("aZs eI.,\u017f\u0131\u0130\u212aé_9’'\n")), max_size=4
)


def test_the_reliance_patterns_have_a_lowered_twin() -> None:
    assert {"exemptions._RELIANCE_CUE", "exemptions._CONDITIONAL"} <= {n for n, _ in TWINNED}


def test_a_twin_must_not_ignore_case() -> None:
    with pytest.raises(ValueError):
        Prefiltered(re.compile("x"), ("x",), on_lowered=re.compile("x", re.IGNORECASE))


@pytest.mark.parametrize("name,guarded", TWINNED, ids=[name for name, _ in TWINNED])
def test_the_lowered_twin_matches_where_the_pattern_does(name: str, guarded: Prefiltered) -> None:
    twin = guarded.on_lowered
    assert twin is not None
    pieces = st.from_regex(guarded.pattern, fullmatch=True) | st.from_regex(twin, fullmatch=True)
    texts = st.lists(pieces.map(str.upper) | pieces | _AROUND, max_size=5).map("".join)

    @settings(
        max_examples=600, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(texts, st.integers(0, 30), st.integers(0, 90))
    def check(text: str, pos: int, endpos: int) -> None:
        low = lowered(text)
        expected = guarded.pattern.search(text, pos, endpos) is not None
        assert guarded.found(text, low, pos, endpos) == expected, (name, text, pos, endpos)
        assert guarded.found(text, low) == (guarded.pattern.search(text) is not None), text

    check()


@pytest.mark.parametrize("name,guarded", TWINNED, ids=[name for name, _ in TWINNED])
@pytest.mark.parametrize(
    "text",
    [
        "it is exempt under",
        "This is EXEMPT under S31",
        "thisis exempt",
        "we have applied",
        "misapplied",
        "APPLYING",
        "applyingx",
        "cited",
        "excited",
        "the NCND stance",
        "xncnd",
        "ncnd_",
        "it may apply",
        "dismay apply",
        "if it were",
        "if they were_",
        "ıt ıs exempt",
        "\u017fection is exempt",
        "REFUSED",
        "refusals",
        "would not be considered",
    ],
)
def test_the_lowered_twin_on_written_cases(name: str, guarded: Prefiltered, text: str) -> None:
    assert guarded.found(text, lowered(text)) == (guarded.pattern.search(text) is not None)
