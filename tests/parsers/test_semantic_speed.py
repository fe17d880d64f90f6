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


def _read_label_trying_every_pattern(line: str):
    """`numbering.read_label` as it was: every pattern tried in turn (the reference)."""
    from parsers import numbering as n

    line = line.lstrip("“”\"‘’'«")
    if len(line) > 1 and line[0].isalpha() and line[0] not in n._LABEL_INITIALS:
        if line[1] not in ".)":
            return None
    m = n._PREFIXED.match(line)
    if m and not (line[:1] in "Qq" and n._YEAR_AFTER_Q.match(m.group(6))):
        sub = int(m.group(2)) if m.group(2) else None
        letter = (m.group(3) or m.group(4) or "").lower() or None
        return n.Label("prefixed", int(m.group(1)), sub, letter, m.group(5), m.group(6).strip())
    m = n._WORD_NUMBER.match(line)
    if m:
        return n.Label("prefixed", n._WORD_VALUES[m.group(1).lower()], text=m.group(2).strip())
    m = n._NUMBER_LETTER.match(line)
    if m:
        return n.Label("numbered", int(m.group(1)), letter=m.group(2), text=m.group(3).strip())
    m = n._DOTTED.match(line)
    if m:
        return n.Label("dotted", int(m.group(1)), int(m.group(2)), text=m.group(3).strip())
    m = n._NUMBERED.match(line)
    if m:
        letter = m.group(2) or m.group(3)
        return n.Label("numbered", int(m.group(1)), letter=letter, text=m.group(4).strip())
    m = n._ROMAN.match(line)
    if m:
        return n.Label("roman", roman=m.group(1), text=m.group(2).strip())
    m = n._LETTER.match(line)
    if m:
        return n.Label("letter", letter=m.group(1).lower(), text=m.group(2).strip())
    m = n._BULLET.match(line)
    if m:
        return n.Label("bullet", text=m.group(1).strip())
    return None


_LABEL_STARTS = st.sampled_from(
    ["Q", "q", "Question ", "Request", "Part ", "Item", "ıtem", "İtem", "(", "((", "1", "12", "٣",
     "²", "a", "A", "iv", "x", "ſ", ".", ")", "-", "– ", "•", "*", " ", "“", "'", "2.1", "1a",
     "One", "Q Two", "Qs", "é", "_", ""]
)  # fmt: skip
_LABEL_RESTS = st.text(alphabet=st.sampled_from(list("1a.)(: -–/•ivxQ2020é\u0131")), max_size=8)


@settings(max_examples=3000, database=None, deadline=None)
@given(st.lists(_LABEL_STARTS | _LABEL_RESTS, max_size=4).map("".join))
def test_read_label_is_the_label_every_pattern_gives(line: str) -> None:
    from parsers.numbering import read_label

    assert read_label(line) == _read_label_trying_every_pattern(line), line
