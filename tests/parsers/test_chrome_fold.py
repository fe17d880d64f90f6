"""`parsers.chrome.fold_quotes` (str.replace per curly quote present) is the
`str.translate` table it replaced, on generated text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.chrome import _QUOTES, fold_quotes, normalise_for_match, strip_chrome_text

_PIECES = st.sampled_from(
    ["\u2018", "\u2019", "\u201c", "\u201d", "\xa0", "'", '"', " ", "a", "\u00e9", "We", "cookies"]
    + ["\u2019s", "\u2028", "\U0001f600", "\u0130", "\u03a3"]
)


@settings(max_examples=2000, database=None, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=3), max_size=20).map("".join))
def test_fold_quotes_is_the_translation(text: str) -> None:
    assert fold_quotes(text) == text.translate(_QUOTES)


def _old_normalise(text: str) -> str:
    return " ".join(text.translate(_QUOTES).lower().split())


@settings(max_examples=500, database=None, deadline=None)
@given(st.lists(_PIECES | st.text(max_size=3), max_size=20).map("".join))
def test_normalise_for_match_as_before(text: str) -> None:
    assert normalise_for_match(text) == _old_normalise(text)


def test_curly_quotes_still_fold_in_chrome_sentences() -> None:
    # "We use cookies" banners with a curly apostrophe are still chrome.
    assert strip_chrome_text("We\u2019d like to set additional cookies") == ""
