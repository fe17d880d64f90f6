"""`citations.keyword_at` (two searches, each led by one literal letter) finds what the
one `_KEYWORD` search finds, from any position: the leftmost keyword, with its groups."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers.citations import _ACT_NAMED, _KEYWORD, keyword_at

# Texts dense in what the keyword reads: its letters, digits, stops, spaces and the
# characters its look-arounds test, so keywords overlap and abut each other.
_PIECES = st.sampled_from(
    ["S", "s", "Section", "sections", "SECTIONS", "Sect.", "sec", "ss.", "S.", "sS.", "ECT"]
    + ["A", "a", "1", "31", "402", "7", ".", ",", " ", "\u00a0", "\n", "'", "’", "x", "(", "٣"]
)
_TEXTS = st.lists(_PIECES, max_size=30).map("".join)
_SETTINGS = settings(
    max_examples=3000, database=None, deadline=None, suppress_health_check=list(HealthCheck)
)


def _same(a, b) -> bool:  # type: ignore[no-untyped-def]
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groups() == b.groups()


@_SETTINGS
@given(_TEXTS, st.integers(min_value=0, max_value=40))
def test_keyword_at_is_the_keyword_search(text: str, pos: int) -> None:
    assert _same(keyword_at(text, pos), _KEYWORD.search(text, pos))


def test_keyword_at_can_tell_them_apart() -> None:
    # The test above can fail: a wrong scan disagrees on these.
    assert _same(keyword_at("x S31 s40"), _KEYWORD.search("x S31 s40"))
    assert keyword_at("s.40 then Section 31").start() == 0
    assert keyword_at("Section 31 then s.40").group(1) == "31"
    assert keyword_at("is 31") is None


_ACT_NAMED_PLAIN = re.compile(r"(?:protection|terrorism|\d\d) act|act \d{4}")
_ACT_TEXTS = st.lists(
    st.sampled_from(["act", "protection", "terrorism", " ", "2018", "9", "x", "a", "ct", "٣"]),
    max_size=14,
).map("".join)


@_SETTINGS
@given(_ACT_TEXTS)
def test_act_named_finds_what_the_plain_pattern_finds(low: str) -> None:
    assert (_ACT_NAMED.search(low) is None) == (_ACT_NAMED_PLAIN.search(low) is None)


def test_act_named_can_tell_them_apart() -> None:
    assert _ACT_NAMED.search("the data protection act") is not None
    assert _ACT_NAMED.search("the act 2000") is not None
    assert _ACT_NAMED.search("the 18 act") is not None
    assert _ACT_NAMED.search("the act") is None
    assert _ACT_NAMED.search("protection acts 200") is not None  # as the plain one
