"""The three seed pages, in several chrome layouts of our own, field by field."""

from __future__ import annotations

import pytest

from parsers import parse_response
from tests.parsers.pages import CHROME_MARKERS, LAYOUTS, SEED_URLS, page, seed_lines

REFERENCES = {"000": "01.FOI.24.036818", "001": "01.FOI.23.033534", "002": "01.FOI.23.030258"}
MONTHS = {"000": "2024-08", "001": "2023-11", "002": "2023-08"}
TITLE = "A response title with \u201cquotes\u201d"


def _parse(number: str, layout: str, use_lists: bool = False):
    chrome, content = seed_lines(number)
    return parse_response(
        page(layout, TITLE, content, chrome, use_lists), SEED_URLS[number]
    ), content


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("number", sorted(REFERENCES))
def test_page_fields(number: str, layout: str) -> None:
    record, content = _parse(number, layout)
    assert record.reference == REFERENCES[number]
    assert record.month == MONTHS[number]
    assert record.title == TITLE
    assert record.url == SEED_URLS[number]
    # The text is exactly the response's lines: no chrome, nothing lost, no title line.
    assert record.body_text.split("\n") == content
    assert "no reference found" not in record.warnings


@pytest.mark.parametrize("layout", ["main", "div_content", "banner_in_main", "empty_main"])
@pytest.mark.parametrize("number", sorted(REFERENCES))
def test_ordered_lists_keep_their_numbers(number: str, layout: str) -> None:
    """Numbered questions stored as <ol> (numbers not in the text) come out numbered."""
    record, content = _parse(number, layout, use_lists=True)
    assert record.body_text.split("\n") == content


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("number", sorted(REFERENCES))
def test_no_chrome_in_any_field(number: str, layout: str) -> None:
    record, _ = _parse(number, layout)
    fields = [record.body_text, record.title or "", record.request_text]
    fields += [q.text + " " + (q.answer or "") for q in record.questions]
    fields += [link.text + " " + link.url for link in record.links]
    for marker in CHROME_MARKERS:
        for value in fields:
            assert marker.lower() not in value.lower(), (marker, value[:200])
    assert all("accessibility.pdf" not in a.url for a in record.attachments)


def test_published_date_from_text_line() -> None:
    record, content = _parse("000", "main")
    assert record.published == "2024-08-12"
    assert "Published" not in record.body_text.split("\n")[0]


def _questions(record) -> dict:
    return {q.number: q for q in record.questions}


@pytest.mark.parametrize("use_lists", [False, True], ids=["paragraphs", "ol"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_seed_000_semantics(layout: str, use_lists: bool) -> None:
    record, _ = _parse("000", layout, use_lists and layout != "br")
    questions = _questions(record)
    assert list(questions) == ["1", "2", "3", "4"]
    assert questions["1"].answer.startswith("Yes. Streaming from various")
    assert questions["3"].answer.startswith("We are always exploring")
    assert questions["2"].answer is None and questions["4"].answer is None
    sections = {e.section for e in record.exemptions}
    assert sections == {24, 31, 40}
    ncnd = {(e.section, e.subsection) for e in record.exemptions if e.ncnd}
    assert any(s == 24 and sub.startswith("(2)") for s, sub in ncnd)
    assert any(s == 31 and sub.startswith("(3)") for s, sub in ncnd)
    assert record.outcome == "partial" and record.ncnd is True


@pytest.mark.parametrize("use_lists", [False, True], ids=["paragraphs", "ol"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_seed_001_semantics(layout: str, use_lists: bool) -> None:
    record, _ = _parse("001", layout, use_lists and layout != "br")
    questions = _questions(record)
    assert list(questions) == [
        "1",
        "1a",
        "2",
        "2a",
        "3",
        "3a",
        "4",
        "4a",
        "5",
        "5a",
        "5b",
        "5c",
        "5d",
        "6",
        "6a",
        "6b",
        "7",
        "8",
        "9",
        "10",
    ]
    assert "fall outside the act" in questions["7"].answer
    assert "fall outside the act" in questions["10"].answer
    assert "Deployment Records" in questions["5c"].answer
    assert "exempt under S31" in questions["2a"].answer
    assert {e.section for e in record.exemptions} == {31}
    assert record.outcome == "partial" and record.ncnd is False


@pytest.mark.parametrize("use_lists", [False, True], ids=["paragraphs", "ol"])
@pytest.mark.parametrize("layout", LAYOUTS)
def test_seed_002_semantics(layout: str, use_lists: bool) -> None:
    record, _ = _parse("002", layout, use_lists and layout != "br")
    questions = _questions(record)
    assert list(questions) == ["1", "2", "2.1", "2.2", "3", "4", "5", "6"]
    assert "NEC" in questions["5"].answer
    assert questions["2.2"].answer == "No information is held."
    assert "exempt" in questions["6"].answer
    assert {e.section for e in record.exemptions} == {40}
    assert record.outcome == "partial" and record.ncnd is False


def test_semantic_parsers_get_the_contract_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    """They read the content lines without the h1 title and the Published line."""
    import parsers.semantic

    seen: list[list[str]] = []
    real = parsers.semantic.analyse  # returns an Analysis
    monkeypatch.setattr(
        parsers.semantic, "analyse", lambda lines: (seen.append(list(lines)), real(lines))[1]
    )
    record, content = _parse("000", "main")
    assert seen == [content]
    assert record.published == "2024-08-12" and record.title == TITLE
