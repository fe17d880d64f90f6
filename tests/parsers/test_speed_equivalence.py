"""The parser's speed shortcuts never change a result.

Each shortcut skips work only when the skipped work could not have found anything:
- a `Prefiltered` regex is skipped when none of its needles occurs in the text, so every
  string the regex matches must contain a needle (checked on strings generated from each
  pattern itself, and on the letters `re.IGNORECASE` folds oddly: ſ, ı, İ, K); an
  anchored one is tried only where a needle starts, so its matches must start there;
- `answers._key` and `answers._words` without a regex are the regex key and words;
- the goldens (tests/parsers/test_golden.py) pin the parser's whole output on every page.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import parsers
from parsers.prefilter import Prefiltered, lowered


def _prefiltered() -> list[tuple[str, Prefiltered]]:
    found = []
    for info in pkgutil.iter_modules(parsers.__path__):
        module = importlib.import_module(f"parsers.{info.name}")
        for name, value in vars(module).items():
            if isinstance(value, Prefiltered):
                found.append((f"{info.name}.{name}", value))
    return found


PREFILTERED = _prefiltered()


def test_the_semantic_modules_use_prefiltered_patterns() -> None:
    assert {"refusal_wording.SPEAKS_OF_NCND", "exemptions._LIST_HEADER"} <= {
        name for name, _ in PREFILTERED
    }
    assert {name for name, guarded in PREFILTERED if guarded.anchored} >= {
        "refusal_wording.SPEAKS_OF_NCND",
        "exemptions._LIST_HEADER",
        "refusal_wording.NCND_SENTENCE",
        "refusal_wording.NCND_STATED",
    }


@pytest.mark.parametrize("name,guarded", PREFILTERED, ids=[name for name, _ in PREFILTERED])
def test_every_match_contains_a_needle(name: str, guarded: Prefiltered) -> None:
    @settings(
        max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.from_regex(guarded.pattern))
    def check(text: str) -> None:
        match = guarded.pattern.search(text)
        assert match is not None
        assert guarded.may_match(text), f"{name} would skip {text!r}, which it matches"
        assert guarded.occurs(text), f"{name} would miss {text!r}"
        low = lowered(text)
        if guarded.anchored and low is not None:
            assert any(low.startswith(needle, match.start()) for needle in guarded.needles), name

    check()


_FRAGMENTS = st.sampled_from(
    [
        "neither",
        "confirm",
        "nor",
        "deny",
        "NCND",
        "ncnd",
        "xNCND",
        "duty in Section 1(1)(a)",
        "duty",
        "confirmed or",
        "den",
        " ",
        "\n",
        "\t",
        ".",
        ":",
        "-",
        "I",
        "\u0131",
        "\u0130",
        "\u017f",
        "\u212a",
        "Neither  confirming\nnor denies",
        "following",
        "These",
        "below",
        " exemptions",
        " sections of the Act",
        " provision",
        "Exemptions applied",
        "by virtue of",
        " apply",
        "Section 31(1)",
        "duty to confirm or deny",
    ]
)


@pytest.mark.parametrize(
    "name,guarded",
    [p for p in PREFILTERED if p[1].anchored],
    ids=[n for n, g in PREFILTERED if g.anchored],
)
def test_anchored_search_is_search(name: str, guarded: Prefiltered) -> None:
    def found(match: re.Match | None) -> tuple | None:
        return None if match is None else (match.span(), match.groups())

    @settings(max_examples=500, database=None, deadline=None)
    @given(
        st.lists(_FRAGMENTS | st.text(max_size=5), max_size=12).map("".join),
        st.integers(0, 40),
        st.integers(0, 80),
    )
    def check(text: str, pos: int, endpos: int) -> None:
        assert found(guarded.search(text)) == found(guarded.pattern.search(text)), text
        assert found(guarded.search(text, pos)) == found(guarded.pattern.search(text, pos)), (
            text,
            pos,
        )
        spanned = guarded.search(text, pos, endpos)
        assert found(spanned) == found(guarded.pattern.search(text, pos, endpos)), (
            text,
            pos,
            endpos,
        )
        assert guarded.occurs(text) == (guarded.pattern.search(text) is not None), text

    check()


@pytest.mark.parametrize(
    "text",
    [
        "neıther confırm nor deny",
        "NEİTHER CONFİRM NOR DENY",
        "by vırtue of",
        "the following ſections:",
        "Exemptions applıed: Section 31",
        "\u212aNOWN: these sections apply:",
    ],
)
def test_letters_that_ignorecase_folds_oddly_are_never_skipped(text: str) -> None:
    for name, guarded in PREFILTERED:
        expected = guarded.pattern.search(text)
        got = guarded.search(text)
        assert (got and got.span()) == (expected and expected.span()), name


def test_lowered_refuses_text_with_odd_folds() -> None:
    assert lowered("Section 31") == "section 31"
    assert lowered("\u212a") == "k"  # Kelvin sign lowers to k: safe
    for odd in ("\u017f", "\u0131", "\u0130"):
        assert lowered(f"Section 31 {odd}") is None


def test_search_with_a_span_matches_the_pattern() -> None:
    pattern = Prefiltered(re.compile(r"exempt", re.IGNORECASE), ("exempt",))
    text = "not here. This is EXEMPT."
    assert (
        pattern.search(text, 10, len(text)).span()
        == pattern.pattern.search(text, 10, len(text)).span()
    )
    assert pattern.search(text, 0, 9) is None


def test_needles_must_be_lowercase() -> None:
    with pytest.raises(ValueError):
        Prefiltered(re.compile("x"), ("Exempt",))


_ODD_TEXT = st.text(
    alphabet=st.sampled_from(list("aZ09 ,.?-–’é\u212a\u017f\u0131\u0130ΣﬁⅠ²٣")) | st.characters(),
    max_size=200,
)


@settings(max_examples=500, database=None, deadline=None)
@given(_ODD_TEXT)
def test_answer_key_is_the_regex_key(text: str) -> None:
    from parsers.answers import _WORDS, _key

    assert _key(text) == "".join(_WORDS.findall(text.lower()))[:60]


@settings(max_examples=500, database=None, deadline=None)
@given(_ODD_TEXT)
def test_answer_words_are_the_regex_words(text: str) -> None:
    from parsers.answers import _WORDS, _words

    assert _words(text) == [w.encode("ascii") for w in _WORDS.findall(text.lower())]


def test_answer_words_cut_at_punctuation_and_non_ascii() -> None:
    from parsers.answers import _words

    assert _words("Don’t, K9-units!") == [b"don", b"t", b"k9", b"units"]


@settings(max_examples=500, database=None, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aA. !?\t\n.Z’")), max_size=60))
def test_sentence_boundaries_are_the_look_behind_ones(text: str) -> None:
    from parsers.exemptions import _SENTENCE_END, _STOP_THEN_SPACE

    expected = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)]
    assert [(m.start() + 1, m.end()) for m in _STOP_THEN_SPACE.finditer(text)] == expected


@settings(max_examples=500, database=None, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "following",
                "Following",
                "FOLLOWING",
                "below",
                "Below",
                "these",
                "The",
                "se",
                " ",
                "fol",
                "lowing",
            ]
        ),
        max_size=6,
    ).map("".join)
)
def test_list_words_are_found_without_the_regex(text: str) -> None:
    from parsers.exemptions import _LIST_WORDS, _has_list_word

    assert _has_list_word(text) == (_LIST_WORDS.search(text) is not None)


@settings(max_examples=2000, database=None, deadline=None)
@given(
    st.text(
        # Capital sigma's lower form depends on its neighbours (cased, case-ignorable);
        # the others are cased letters, case-ignorable marks and non-ASCII punctuation.
        alphabet=st.sampled_from(list("ΣσAa \n–’'.\u0301\u00adİK\u1e9e")),
        max_size=40,
    )
)
def test_lowering_line_by_line_is_lowering_the_text(text: str) -> None:
    from parsers.prefilter import _lowered_by_line

    assert _lowered_by_line(text) == text.lower()
    low = lowered(text)
    assert low is None or low == text.lower()


def test_lowering_line_by_line_keeps_the_final_sigma() -> None:
    from parsers.prefilter import _lowered_by_line

    assert _lowered_by_line("ΟΔΟΣ\nΟΔΟΣ x–") == "οδος\nοδος x–"
    assert _lowered_by_line("ΑΣ\n") == "ας\n"


_HEADER_PIECES = st.sampled_from(
    ["following", "FOLLOWING ", "below", "these", "These ", " ", "exemptions", "Exemption "]
    + ["sections", "section", "provisions", " of the Act", " apply", "applied", "by virtue of"]
    + ["By Virtue Of", ":", " :", "–", "x", ".", "ſections", "İ", "\u212a", "relied upon"]
)


@settings(max_examples=3000, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(st.lists(_HEADER_PIECES, max_size=10).map("".join), st.text(max_size=30)))
def test_list_header_is_the_header_search(line: str) -> None:
    from parsers.exemptions import _LIST_HEADER, _list_header

    got, expected = _list_header(line), _LIST_HEADER.pattern.search(line)
    assert (got and (got.span(), got.groups())) == (
        expected and (expected.span(), expected.groups())
    )


def test_list_header_finds_each_kind_of_header() -> None:
    from parsers.exemptions import _list_header

    for line in (
        "by virtue of the following exemptions:",
        "Exemptions applied: Section 31",
        "I have applied the following sections of the Act apply - Section 40(2)",
        "This information is withheld by virtue of",
    ):
        assert _list_header(line) is not None, line
    assert _list_header("The exemption is explained below. These are the sections") is None


@pytest.mark.parametrize("name", ["_CLOSING", "_DISCLOSURE"])
def test_marker_heads_hold_every_match(name: str) -> None:
    from parsers import sections

    pattern = getattr(sections, name)
    heads = sections._HEADS[pattern]

    @settings(
        max_examples=1500, database=None, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.from_regex(pattern))
    def check(line: str) -> None:
        if pattern.match(line) is not None and line[:2].isascii():
            assert line[:2] in heads, line

    check()


def test_marker_heads_skip_only_what_cannot_match() -> None:
    from parsers.sections import _CLOSING, _DISCLOSURE, _first

    lines = ["The request", "ſhould you have any further queries", "Disclosure", "Kind regards"]
    assert _first(lines, _CLOSING, 0) == 1  # long s: left to the pattern
    assert _first(lines, _DISCLOSURE, 0) == 2
    assert _first(["Thank you", "Yours sincerely"], _CLOSING, 0) == 1
