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
    assert {
        "exemptions._RELIANCE_CUE",
        "exemptions._CONDITIONAL",
        "outcome._PARTIAL",
        "outcome._FULL",
    } <= {n for n, _ in TWINNED}


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
        "we have decided to disclose some of the information",
        "a part disclosure",
        "apart disclosure",
        "I have decided to provide the information in full",
        "disclosed, in full.",
        "undisclosed in full",
        "we decided to release all information to you.",
        "INFORMATION IS PROVIDED IN FULL",
        "dısclosed ın full",
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


_LINE_STARTS = st.sampled_from(
    [*"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "Th", "We", "Wi", "Tu", "I ",
     "If", "In", "It", "Al", "At", "An", "As", "A1", "Pl", "Pa", "Po", "Re", "Q1", "ıt", "İn",
     "\u212a", "ſ", "“", "1", "(", " | ", "?", ".", ")", " "]
)  # fmt: skip
_LINE_RESTS = st.text(
    alphabet=st.sampled_from(list("1a.)(: -–|?nstuirolehQ2\u0131\u0130")), max_size=10
)


@settings(max_examples=4000, database=None, deadline=None)
@given(st.lists(_LINE_STARTS | _LINE_RESTS, min_size=1, max_size=5).map("".join))
def test_prose_lines_are_no_marker_to_any_reader(line: str) -> None:
    from parsers import answers
    from parsers.answer_ranges import read_range
    from parsers.numbering import read_label

    if not answers._is_prose(line):
        return
    order = [str(n) for n in range(1, 13)]
    assert answers.TABLE_SPLIT not in line and not line.endswith("?")
    assert read_label(line) is None, line
    assert read_range(line, order) is None, line
    assert answers._answer_label(line, order) is None, line
    assert answers._answer_in_sentence(line, order) is None, line
    assert answers.RANGE_HEADING.match(line) is None, line
    assert _read_label_trying_every_pattern(line) is None, line
    assert answers._ANSWER_LABEL.match(line) is None, line
    assert answers._ANSWER_SENTENCE.match(line) is None, line


def test_prose_is_told_from_markers() -> None:
    from parsers.answers import _is_prose

    assert _is_prose("The MPS holds no information.")
    assert _is_prose("I have today decided to disclose")
    for marker in ("Turning to question 2", "With regards to Q3", "In response to Q1", "B.",
                   "Answer 1: 45", "A1 - yes", "Q1 - 45", "Part 2", "It is held | 45", "Why?",
                   "x", ""):  # fmt: skip
        assert not _is_prose(marker), marker


def _sentence_spans_of_every_boundary(text: str, citations: list) -> list[tuple[int, int]]:
    """`exemptions._sentence_spans` as it was: every sentence, then those with a citation."""
    from parsers.exemptions import _STOP_THEN_SPACE

    if not citations:
        return []
    if len(text) < 40:
        return [(0, len(text))]
    spans, start = [], 0
    for boundary in _STOP_THEN_SPACE.finditer(text):
        spans.append((start, boundary.start() + 1))
        start = boundary.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if any(a <= c.start < b for c in citations)]


_CITING_TEXT = st.lists(
    st.sampled_from(
        ["Section 31(1)(a)", "S40(2)", " and 24(2)", "s.23", ". ", "! ", "? ", ".", " ", "The ",
         "Data Protection Act ", "Freedom of Information Act 2000 ", "under the ", "of the Act",
         "Terrorism Act ", "schedule ", "GDPR", "DPA ", "ſchedule ", "searched under ", "İ",
         "x" * 30, "Act 2018 ", ", 30(3)", "\u212a", "fact ", "1998 act ", "Police Act 1996",
         "the Act ", "Protection ", "ACT 20", "18 ", "DPA.", "data protectıon act "]
    ),
    max_size=14,
).map("".join)  # fmt: skip


@settings(max_examples=3000, database=None, deadline=None)
@given(_CITING_TEXT)
def test_sentence_spans_are_those_of_every_boundary(text: str) -> None:
    from parsers.citations import find_citations
    from parsers.exemptions import _sentence_spans

    citations = find_citations(text)
    assert _sentence_spans(text, citations) == _sentence_spans_of_every_boundary(text, citations)


def _is_other_act_reading_the_whole_window(text: str, start: int, end: int, section: int) -> bool:
    """`citations._is_other_act` as it was: `_OTHER_BEFORE` searched over all 120 characters."""
    from parsers import citations as c

    if c._FOIA_AFTER.match(text, end):
        return False
    if section == 44 and c._UNDER_ANOTHER_ACT.match(text, end):
        return False
    if c._OTHER_AFTER.match(text, end) or c._OF_OTHER_DOCUMENT.match(text, end):
        return True
    window = text[max(0, start - 120) : start]
    lowered = window.lower()
    if (
        "act" in lowered or "dpa" in lowered or "gdpr" in lowered or "schedule" in lowered
    ) and c._OTHER_BEFORE.search(c._FOIA_NAME.sub(" FOIA ", window)):
        return True
    tail = lowered[-60:].rstrip()
    return tail.endswith(c._POWER_TAILS) and c._POWER_BEFORE.search(window[-60:]) is not None


@settings(max_examples=3000, database=None, deadline=None)
@given(_CITING_TEXT, st.sampled_from(["Section 31", "S40(2)", "section 44(1)", "s 24"]),
       st.sampled_from(["", " of the Act", " of the Terrorism Act", " under the", ".", " powers"]))  # fmt: skip
def test_other_act_reads_the_last_sentence_as_the_whole_window(
    before: str, cited: str, after: str
) -> None:
    from parsers.citations import _is_other_act

    text = before + cited + after
    start, end = len(before), len(before) + len(cited)
    section = int("".join(ch for ch in cited.split("(")[0] if ch.isdigit()))
    assert _is_other_act(text, start, end, section) == _is_other_act_reading_the_whole_window(
        text, start, end, section
    ), text
