"""The answer readers' speed shortcuts (issue 17) give the results of the plain code.

Each test fails if a shortcut ever disagrees with the straightforward way:
- a pattern is tried only on lines whose first character it can start with: every
  string generated from the pattern starts with one of them, and so do the letters
  `re.IGNORECASE` folds oddly (ı, İ, ſ, Kelvin K) where the pattern takes them;
- tests/parsers/test_golden.py pins the parser's whole output on every page.
"""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import answer_ranges, answers, body_dates, exchanges
from parsers.numbering import read_label
from tests.parsers.test_semantic_speed import _read_label_trying_every_pattern

GATED = [
    ("answer_ranges._RANGE", answer_ranges._RANGE, answer_ranges.RANGE_FIRSTS),
    ("answers._ANSWER_LABEL", answers._ANSWER_LABEL, answers._ANSWER_LABEL_FIRSTS),
    ("answers._ANSWER_SENTENCE", answers._ANSWER_SENTENCE, answers._ANSWER_SENTENCE_FIRSTS),
    ("answers.RANGE_HEADING", answers.RANGE_HEADING, answers.RANGE_HEADING_FIRSTS),
    ("exchanges._ASKED", exchanges._ASKED, exchanges._ASKED_FIRSTS),
    ("body_dates._RESPONSE_DATE", body_dates._RESPONSE_DATE, body_dates.RESPONSE_DATE_FIRSTS),
]
_ODD_LETTERS = "ıİſ\u212aIiSsKkÿŸ"


def _examples(n: int):
    """Hypothesis settings of these tests: n examples, no saved database, no deadline,
    none of its health checks (`from_regex` of a long pattern trips them)."""
    return settings(
        max_examples=n, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )


@pytest.mark.parametrize("name,pattern,firsts", GATED, ids=[g[0] for g in GATED])
def test_a_gated_pattern_matches_only_lines_starting_with_its_firsts(
    name: str, pattern: re.Pattern, firsts: frozenset[str]
) -> None:
    @_examples(500)
    @given(st.from_regex(pattern))
    def check(text: str) -> None:
        assert pattern.match(text) is not None
        assert text[:1] in firsts, f"{name} matches {text!r}, which its gate turns away"

    check()


@pytest.mark.parametrize("name,pattern,firsts", GATED, ids=[g[0] for g in GATED])
def test_a_gate_knows_the_letters_ignorecase_folds(
    name: str, pattern: re.Pattern, firsts: frozenset[str]
) -> None:
    # Every line the pattern matches, with its first letter swapped for an odd fold of it.
    @_examples(300)
    @given(st.from_regex(pattern), st.sampled_from(_ODD_LETTERS))
    def check(text: str, letter: str) -> None:
        swapped = letter + text[1:]
        if pattern.match(swapped) is not None:
            assert letter in firsts, f"{name} matches {swapped!r}, which its gate turns away"

    check()


@pytest.mark.parametrize(
    "line",
    ["İn response to question 2, 45", "ın relation to Q3 the MPS", "Answer 1: 45", "A1 - yes",
     "Response to Q2 - none", "Questions 1 - 3: see below", "qs 1-3", "Q1-3: yes",
     "Regarding question 4 the MPS", "Turning to Q2, none", "With regards to Q3", "As for Q1 x",
     "REPLY 2: yes", "ſection 1", "\u212a1 - x"],
)  # fmt: skip
def test_the_gated_readers_read_what_their_patterns_match(line: str) -> None:
    order = [str(n) for n in range(1, 13)]
    for name, pattern, firsts in GATED:
        if pattern.match(line):
            assert line[:1] in firsts, (name, line)
    if answer_ranges._RANGE.match(line) is None:
        assert answer_ranges.read_range(line, order) is None
    if answers._ANSWER_LABEL.match(line):
        assert answers._answer_label(line, order) is not None, line
    if answers._ANSWER_SENTENCE.match(line):
        assert answers._answer_in_sentence(line, order) is not None, line


# Long lines of words, punctuation and letters lowercasing or the ASCII encoding treat
# oddly (İ lowers to two characters, Σ by its context, K to an ASCII k; ß, é are dropped).
_LONG_TEXT = st.lists(
    st.sampled_from(
        ["The", " ", "MPS", "holds", ", ", "no", "information", "1", "2023", "İ", "Σ", "ΣA",
         "\u212a", "ß", "é", "ﬁ", "’", "?", "-", "Q1", " | ", "x" * 30, "\n", "٣"]
    ),
    max_size=60,
).map("".join)  # fmt: skip


@_examples(1500)
@given(_LONG_TEXT)
def test_the_key_of_a_long_line_is_its_whole_key(text: str) -> None:
    whole = "".join(answers._WORDS.findall(text.lower()))[:60]
    assert answers._key(text) == whole


@_examples(1500)
@given(_LONG_TEXT, st.sampled_from([1, 2, 10, 41]))
def test_the_first_words_of_a_long_line_are_its_first_words(text: str, n: int) -> None:
    expected = [w.encode("ascii") for w in answers._WORDS.findall(text.lower())][:n]
    assert answers._first_words(text, n) == expected


# Label-shaped lines, every one of a small grammar: an opening, a prefix, a number, a
# second number or a letter, a separator, then words ("(12.3 Do", "1a) x", "Q1 2020",
# "(12.a) x", "Q.1/", "12. How"); the lookups that skip patterns read characters 2-6.
_LABEL_GRAMMAR = (
    ("", "(", "“"),
    ("", "Q", "Q ", "q.", "Question ", "Part "),
    ("1", "12", "٣"),
    ("", ".", ")", " "),
    ("", "1", "12", "a", "(a)", "iv"),
    ("", ".", ")", ":", " - ", "/", " "),
    ("", "Do", "2020", "/x", "\n"),
)


def test_read_label_on_label_shaped_lines_is_every_pattern_tried() -> None:
    for pieces in itertools.product(*_LABEL_GRAMMAR):
        line = "".join(pieces)
        assert read_label(line) == _read_label_trying_every_pattern(line), line


_LINE_PIECES = st.lists(
    st.sampled_from(
        [*"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", "Th", "We", "I ", "If", "In",
         "Al", "At", "An", "Pl", "Pe", "ıt", "İn", "\u212a", "ſ", "“", "1", "(", " | ", "?", ".",
         ")", " ", "\n", "é", "٣", "ﬁ", "x" * 12]
    ),
    min_size=0,
    max_size=5,
).map("".join)  # fmt: skip


@_examples(3000)
@given(_LINE_PIECES)
def test_prose_by_one_pattern_is_prose_by_the_starts(line: str) -> None:
    assert answers._is_prose(line) == _is_prose_by_starts(line), line


def _is_prose_by_starts(line: str) -> bool:
    """`answers._is_prose` read from `answers._PLAIN_STARTS` itself, one test at a time."""
    seconds = answers._PLAIN_STARTS.get(line[:1])
    return (
        seconds is not None
        and line[1:2] not in ".)"  # also an empty one: a line of one character
        and (not seconds or line[1] in seconds)
        and answers.TABLE_SPLIT not in line
        and not line.endswith("?")
    )


@_examples(3000)
@given(_LINE_PIECES.filter(lambda line: len(line) >= 2))
def test_a_key_start_is_the_start_of_the_key(line: str) -> None:
    assert answers._key_start(line) == answers._key(line)[:2], line


@_examples(500)
@given(st.from_regex(body_dates._DATE_ONLY))
def test_a_date_only_line_starts_with_a_decimal_digit(text: str) -> None:
    assert text[:1].isdecimal(), text
