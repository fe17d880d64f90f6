"""Garbage in, a record out: the parser never raises and is deterministic."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parsers import Response, parse_response
from tests.parsers.pages import LAYOUTS, page, seed_lines

URL = "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/x/"
MIRROR = Path(__file__).resolve().parents[2] / "fixtures" / "site"
MIRROR_PAGES = sorted(MIRROR.glob("foi-ai/metropolitan-police/**/index.html"))


def _check(data, url: str = URL) -> Response:
    first = parse_response(data, url)
    assert isinstance(first, Response)
    assert not any(w.startswith("internal") for w in first.warnings), first.warnings
    assert parse_response(data, url) == first  # deterministic
    first.to_dict()
    return first


_TAGS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<main>",
        "</main>",
        "<br>",
        "<ol>",
        "<li>",
        "</ol>",
        "<table><tr><td>",
        "</td><td>",
        "</tr></table>",
        "<h1>",
        "</h1>",
        "<nav>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<a href='x.pdf'>",
        "</a>",
        "&nbsp;",
        "&#0;",
        "\x00",
        "Reference: ",
        "01/FOI/22/026147",
        "Section 40(2)",
        "Published: 1 May 2024",
        "<meta charset=utf-16>",
        "<base href='javascript:x'>",
        "<time datetime='2024-13-45'>",
    ]
)
_HTMLISH = st.lists(st.one_of(_TAGS, st.text(max_size=40)), max_size=60).map("".join)


@settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(_HTMLISH)
def test_htmlish_strings(data: str) -> None:
    _check(data)


@settings(max_examples=200, deadline=None, database=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(data: bytes) -> None:
    _check(data)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=300), st.text(max_size=100))
def test_arbitrary_text_and_url(data: str, url: str) -> None:
    _check(data, url)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        "",
        " ",
        "\ufeff",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        "<",
        "<html",
        "<!doctype html>",
        "<html><body></body></html>",
        "<main></main>",
        "\x00" * 100,
        "<frameset></frameset>",
    ],
)
def test_degenerate_inputs(data) -> None:
    record = _check(data)
    assert record.body_text == "" or record.body_text.strip()


def test_deeply_nested_divs() -> None:
    depth = 10_000
    data = (
        "<html><body>"
        + "<div>" * depth
        + "<p>Reference: 01.FOI.24.000001</p><p>deep text</p>"
        + "</div>" * depth
    )
    record = _check(data)
    assert "deep text" in record.body_text
    assert record.reference == "01.FOI.24.000001"


def test_one_megabyte_attribute_and_line() -> None:
    data = f'<main><p title="{"x" * 1_000_000}">short</p><p>{"word " * 200_000}</p></main>'
    record = _check(data)
    assert record.body_text.startswith("short")


def _mutations(page: bytes, rng: random.Random) -> list[bytes]:
    n = len(page)
    cut = rng.randrange(n)
    start = rng.randrange(n)
    chunk = page[start : start + rng.randrange(1, 5000)]
    noisy = bytearray(page)
    for _ in range(50):
        noisy[rng.randrange(n)] = rng.randrange(256)
    tags_deleted = page
    for _ in range(20):
        i = tags_deleted.find(b"<", rng.randrange(len(tags_deleted)))
        j = tags_deleted.find(b">", i)
        if i >= 0 and j > i:
            tags_deleted = tags_deleted[:i] + tags_deleted[j + 1 :]
    text = page.decode("utf-8", errors="replace")
    return [
        page[:cut],
        page[cut:],
        page[:start] + chunk * 3 + page[start:],
        bytes(noisy),
        tags_deleted,
        text.encode("utf-16-le"),
        text.encode("cp1252", errors="replace"),
        text.encode("utf-8").replace(b"utf-8", b"iso-2022-jp"),
        text.replace("<", "").encode("utf-8"),
        b"\xef\xbb\xbf" + page[::-1],
    ]


@pytest.mark.skipif(not MIRROR_PAGES, reason="mirror not built")
def test_mutated_mirror_pages() -> None:
    rng = random.Random(20261122)
    pages = rng.sample(MIRROR_PAGES, min(30, len(MIRROR_PAGES)))
    count = 0
    for path in pages:
        for mutated in _mutations(path.read_bytes(), rng):
            _check(mutated)
            count += 1
    assert count >= 300


@pytest.mark.skipif(not MIRROR_PAGES, reason="mirror not built")
def test_mirror_page_nested_and_bloated() -> None:
    """A real page inside 10,000 divs, and with a 1 MB attribute: same text comes out."""
    page = MIRROR_PAGES[0].read_bytes().decode("utf-8", errors="replace")
    url = "https://www.met.police.uk/" + MIRROR_PAGES[0].parent.relative_to(MIRROR).as_posix() + "/"
    plain = _check(page, url)
    head, body_tag, rest = page.partition("<body")
    body_tag, _, rest = (body_tag + rest).partition(">")
    nested = f"{head}{body_tag}>{'<div>' * 10_000}{rest}"
    bloated = f'{head}{body_tag} data-x="{"y" * 1_000_000}">{rest}'
    assert len(nested) >= len(page) + 50_000 and len(bloated) > len(page) + 1_000_000
    for variant in (nested, bloated):
        record = _check(variant, url)
        assert record.body_text == plain.body_text and record.reference == plain.reference


_WORDS = st.sampled_from(
    [
        "Yes",
        "the",
        "police",
        "request",
        "information",
        "Section",
        "40(2)",
        "\u201cquoted\u201d",
        "it\u2019s",
        "caf\u00e9",
        "A&E",
        "<b>",
        "x<y",
        "\u00a3450",
        "\u2013",
        "Q1",
        "1.",
        "a)",
        "cookies",
        "this",
        "we",
        "use",
        "your",
        "held",
        "exempt",
        "NCND",
        "\u00e9t\u00e9",
        "\u0928\u092e\u0938\u094d\u0924\u0947",
        "\U0001f46e",
        "Reference",
    ]
)
_LINES = st.lists(st.lists(_WORDS, min_size=1, max_size=12).map(" ".join), min_size=1, max_size=15)


@settings(max_examples=150, deadline=None, database=None)
@given(_LINES, st.sampled_from(LAYOUTS))
def test_content_round_trips_through_any_layout(lines: list[str], layout: str) -> None:
    """Whatever the response says, its lines come back exactly, chrome gone, in every layout."""
    chrome, _ = seed_lines("000")
    record = _check(page(layout, "Title", lines, chrome), URL)
    assert record.body_text.split("\n") == lines


_ITEM_WORDS = st.sampled_from(
    ["the", "police", "How", "many", "Section", "40(2)", "held", "2023", "caf\u00e9", "x"]
)
_ITEM = st.tuples(
    st.sampled_from(["", "num", "let"]),
    st.integers(1, 30),
    st.sampled_from("abcdefgh"),
    st.lists(_ITEM_WORDS, min_size=1, max_size=6).map(" ".join),
)


def _numbered(item: tuple) -> str:
    kind, number, letter, text = item
    return f"{number}. {text}" if kind == "num" else f"{letter}. {text}" if kind == "let" else text


@settings(max_examples=150, deadline=None, database=None)
@given(
    st.lists(_ITEM.map(_numbered), min_size=1, max_size=12),
    st.sampled_from(["main", "div_content", "banner_in_main", "empty_main"]),
)
def test_numbered_lines_round_trip_through_ordered_lists(lines: list[str], layout: str) -> None:
    """Questions stored as <ol>/<ol type=a> (numbers only in the markup) come back numbered."""
    chrome, _ = seed_lines("000")
    record = _check(page(layout, "Title", lines, chrome, use_lists=True), URL)
    assert record.body_text.split("\n") == lines
