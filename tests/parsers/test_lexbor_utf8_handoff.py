"""The parser hands lexbor the page's UTF-8 bytes instead of a str it would encode again
(parsers.response `_as_text`, parsers.decoding `decode_html_utf8`): the bytes must be
exactly the text's UTF-8, and lexbor must build the same tree from them."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from selectolax.lexbor import LexborHTMLParser

from parsers.decoding import decode_html, decode_html_utf8
from parsers.response import _as_text

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted((ROOT / "fixtures" / "site").rglob("*.html"))[::5]

_BYTES = st.lists(
    st.sampled_from(
        [
            b"<p>",
            b"caf\xc3\xa9",
            b"\xe9",
            b"\xef\xbb\xbf",
            b"\xff\xfe",
            b"\x80",
            b"a",
            b"\xe2\x80\x99",
        ]
        + [b'<meta charset="iso-8859-1">', b'<meta charset="utf-8">', b"\xed\xa0\x80", b"\x00"]
    )
    | st.binary(max_size=4),
    max_size=12,
).map(b"".join)


@settings(max_examples=1500, database=None, deadline=None)
@given(_BYTES)
def test_utf8_bytes_are_the_texts_utf8(data: bytes) -> None:
    text, warnings, utf8 = decode_html_utf8(data)
    assert (text, warnings) == decode_html(data)
    if utf8 is not None:
        assert utf8 == text.encode("utf-8")


@settings(max_examples=500, database=None, deadline=None)
@given(st.text(max_size=40))
def test_str_input_gives_its_utf8_or_nothing(text: str) -> None:
    out, _, utf8 = _as_text(text)
    if utf8 is not None:
        assert out == text and utf8 == text.encode("utf-8")
    else:
        assert any(0xD800 <= ord(char) <= 0xDFFF for char in text)


def test_a_surrogate_gives_no_bytes() -> None:
    assert _as_text("a\ud800b")[2] is None


@pytest.mark.parametrize("path", PAGES, ids=[p.name for p in PAGES])
def test_lexbor_builds_the_same_tree_from_the_bytes(path: Path) -> None:
    text = decode_html(path.read_bytes())[0]
    assert LexborHTMLParser(text).html == LexborHTMLParser(text.encode("utf-8")).html
