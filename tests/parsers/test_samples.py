"""Real page openings (52 MPS, 40 of 9 other forces) wrapped in our own chrome layouts.

Expectations are the test's own, not the parser's: for the MPS, simple rules over the
sample (the labelled reference, the month segment of the URL); for the other forces,
what a person reads on the page, written by hand in `tests.parsers.other_forces`; for
all, the section numbers of the exemption list under "...by virtue of the following
exemptions:". Every sample is also checked with a one-off site notice after the beta
banner (no chrome list names it).
"""

from __future__ import annotations

import re

import pytest

from parsers import parse_response
from tests.parsers.other_forces import EXPECTED
from tests.parsers.pages import CHROME_MARKERS, LAYOUTS, SITE_NOTICE, page, samples, split_chrome

SAMPLES = samples()
MONTHS = {
    m: i
    for i, m in enumerate(
        (
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ),
        start=1,
    )
}


def _expected_reference(sample: dict) -> str | None:
    if sample["url"] in EXPECTED:
        return EXPECTED[sample["url"]][0]
    match = re.search(r"(?:reference no|FOI Reference):\s*(\S+)", sample["text"])
    return match.group(1) if match else None


def _expected_source(sample: dict) -> str | None:
    if sample["url"] in EXPECTED:
        return EXPECTED[sample["url"]][1]
    return "text" if _expected_reference(sample) else None


def _expected_month(url: str) -> str | None:
    if url in EXPECTED:
        return EXPECTED[url][2]
    for name, year in re.findall(r"(?<=/)([a-z]+)-+(\d{4})(?=/)", url):
        if name in MONTHS:
            return f"{year}-{MONTHS[name]:02d}"
    for year, name in re.findall(r"-(\d{4})/([a-z]+)(?=/)", url):
        if name in MONTHS:
            return f"{year}-{MONTHS[name]:02d}"
    return None


def _expected_sections(lines: list[str]) -> set[int]:
    """Sections listed right after the "...following exemptions:" line (last line may be cut)."""
    found: set[int] = set()
    for i, line in enumerate(lines):
        if line.rstrip().endswith("exemptions:"):
            for item in lines[i + 1 : -1]:
                match = re.match(r"Sections? (\d+)", item)
                if not match:
                    break
                found.add(int(match.group(1)))
    return found


def _case(sample: dict, layout: str, flattened: bool, notice: bool = False):
    chrome, content = split_chrome(sample["text"].splitlines())
    if notice and chrome:
        # After the beta banner, where the real pages print it.
        chrome = chrome + [SITE_NOTICE]
    title = sample["url"].rstrip("/").rsplit("/", 1)[-1].replace("-", " ").capitalize()
    if flattened:
        # The chrome as a browser-flattened page shows it: plain paragraphs in main.
        content, chrome = chrome + content, []
    return parse_response(page(layout, title, content, chrome), sample["url"]), content


IDS = [s["url"].rstrip("/").rsplit("/", 1)[-1][:40] for s in SAMPLES]


@pytest.mark.parametrize("flattened", [False, True], ids=["chrome-markup", "chrome-as-text"])
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_sample(sample: dict, layout: str, flattened: bool) -> None:
    record, _ = _case(sample, layout, flattened)
    assert record.reference == _expected_reference(sample)
    assert record.reference_source == _expected_source(sample)
    assert record.month == _expected_month(sample["url"])
    _assert_no_chrome(record)


@pytest.mark.parametrize("layout", ["banner_in_main", "br", "main"])
@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_sample_with_a_site_notice(sample: dict, layout: str) -> None:
    record, _ = _case(sample, layout, flattened=True, notice=True)
    assert record.reference == _expected_reference(sample)
    _assert_no_chrome(record)


def _assert_no_chrome(record) -> None:
    fields = [record.body_text, record.title or "", record.request_text]
    fields += [q.text + " " + (q.answer or "") for q in record.questions]
    fields += [link.text for link in record.links]
    for marker in CHROME_MARKERS:
        assert not any(marker.lower() in value.lower() for value in fields), marker


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_sample_exemptions_found(sample: dict) -> None:
    record, _ = _case(sample, "main", flattened=False)
    expected = _expected_sections(split_chrome(sample["text"].splitlines())[1])
    assert expected <= {e.section for e in record.exemptions}


def test_sample_rules_are_not_vacuous() -> None:
    """The independent rules above find something in most samples."""
    assert sum(_expected_reference(s) is not None for s in SAMPLES) >= 90
    assert sum(_expected_month(s["url"]) is not None for s in SAMPLES) >= 85
    assert sum(bool(_expected_sections(s["text"].splitlines())) for s in SAMPLES) >= 20
