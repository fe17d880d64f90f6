"""Deep nesting is flattened before parsing (HTML tree building is quadratic in depth)."""

from __future__ import annotations

import time

import pytest

from parsers import parse_response
from parsers.nesting import MAX_DEPTH, limit_nesting


@pytest.mark.parametrize("unit", ["<div>", "<ul><li>", "<blockquote>", "<section><span>"])
def test_fifty_thousand_levels_parse_quickly(unit: str) -> None:
    page = (
        "<html><body><main>" + unit * 50_000 + "<p>Reference: 01.FOI.24.000001</p><p>deep text</p>"
    )
    started = time.process_time()
    record = parse_response(page, "https://x/")
    assert time.process_time() - started < 5  # quadratic tree building took minutes here
    assert record.reference == "01.FOI.24.000001" and record.body_text.endswith("deep text")
    assert f"tags nested deeper than {MAX_DEPTH} flattened" in record.warnings


def test_landmarks_survive_inside_deep_wrappers() -> None:
    page = (
        "<body>"
        + "<div>" * 6000
        + "<nav><a href='/'>Main menu item</a></nav><main><h1>T</h1><p>Answer.</p>"
        "</main><footer>Site footer text</footer>" + "</div>" * 6000 + "</body>"
    )
    record = parse_response(page, "https://x/")
    assert record.title == "T" and record.body_text == "Answer."


def test_normal_pages_untouched() -> None:
    page = "<main>" + "<div><p>x</p></div>" * 2000 + "</main>"
    assert limit_nesting(page) == (page, False)


def test_tags_in_scripts_and_comments_are_not_counted() -> None:
    junk = "<script>var t = '" + "<div>" * 4000 + "';</script><!-- " + "<div>" * 4000 + " -->"
    page = junk + "<main><div><div><p>kept</p></div></div></main>"
    assert limit_nesting(page, max_depth=1000) == (page, False)


def test_unclosed_comment_and_script_are_linear() -> None:
    page = "<!--" * 20_000 + "<script>" * 20_000 + "<div>" * 3000
    started = time.process_time()
    limit_nesting(page)
    assert time.process_time() - started < 2
    page = "<script>" * 20_000 + "</script>x" * 20_000 + "<div>" * 3000
    started = time.process_time()
    limit_nesting(page)
    assert time.process_time() - started < 2


def test_listing_flattens_too() -> None:
    from parsers import parse_listing
    from parsers.sites import MPS

    href = "/foi-ai/metropolitan-police/disclosure-2024/august-2024/x/"
    page = "<main>" + "<blockquote>" * 50_000 + f"<a href='{href}'>X</a>"
    started = time.process_time()
    listing = parse_listing(page, MPS.base_url + "/l/", MPS)
    assert time.process_time() - started < 5
    assert [i.url for i in listing.items] == [MPS.base_url + href]
