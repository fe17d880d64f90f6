"""Dates: the disclosure-log month from a page URL, and a page's publication date.

Month segments seen on the platform: `august-2024`, `january---2026`, `sept-2023`,
`/disclosure-2024/april/` (year in an earlier segment), `/disclosure/2024/march/`,
`/disclosure2/2022/12---december/` (Gwent), Welsh month names on `/cy-GB/` pages
(`/datgeliadau-2025/ebrill/`). A force's own patterns (parsers/forces.toml, named groups
`year` and `month`) are tried first; `/disclosure-logs/2025-disclosures/` has a year and
no month, and gives None.
"""

from __future__ import annotations

import re
from datetime import date
from urllib.parse import unquote, urlsplit

MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
# Welsh month names, as the platform's /cy-GB/ addresses spell them.
WELSH_MONTHS = {
    "ionawr": 1,
    "chwefror": 2,
    "mawrth": 3,
    "ebrill": 4,
    "mai": 5,
    "mehefin": 6,
    "gorffennaf": 7,
    "awst": 8,
    "medi": 9,
    "hydref": 10,
    "tachwedd": 11,
    "rhagfyr": 12,
}
_ENGLISH_NAMES = (
    "january february march april may june july august september october november december"
).split()
_URL_MONTHS = {**MONTHS, **WELSH_MONTHS}
_WELSH_SEGMENT = re.compile(rf"({'|'.join(WELSH_MONTHS)})(-.*)?")
_MONTH_WORD = "|".join(sorted(MONTHS, key=len, reverse=True))
_SEG_MONTH_YEAR = re.compile(
    rf"(?P<m>{_MONTH_WORD}|0?[1-9]|1[0-2])[-_ ]+(?P<y>(?:19|20)\d\d)|(?P<m2>{_MONTH_WORD})(?P<y2>(?:19|20)\d\d)"
)
_SEG_YEAR_MONTH = re.compile(rf"(?P<y>(?:19|20)\d\d)[-_ ]*(?P<m>{_MONTH_WORD}|0?[1-9]|1[0-2])")
_SEG_MONTH = re.compile(rf"{_MONTH_WORD}|0?[1-9]|1[0-2]")
# "12---december": a month number, then its name (Gwent)
_SEG_NUMBER_NAME = re.compile(rf"(?:0?[1-9]|1[0-2])-+({_MONTH_WORD})")
_YEAR_IN_SEG = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")

# Dates in text. Bounded, linear patterns only.
_D_MONTH_Y = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_WORD})\.?,?\s+(\d{{4}})\b", re.I
)
_MONTH_D_Y = re.compile(
    rf"\b({_MONTH_WORD})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})")
_NUMERIC = re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")
_PUBLISHED_LINE = re.compile(
    r"(?:date\s+)?(?:first\s+)?(?:published|publication\s+date|date\s+of\s+publication|posted)(?:\s+(?:on|date))?"
    r"\s*[:\-\u2013]?\s*",
    re.I,
)


def english_month_segment(segment: str) -> str:
    """A Welsh month segment in English ("ebrill" -> "april", "ebrill-2025" -> "april-2025")."""
    found = _WELSH_SEGMENT.fullmatch(segment)
    if found is None:
        return segment
    return _ENGLISH_NAMES[WELSH_MONTHS[found.group(1)] - 1] + (found.group(2) or "")


def month_from_url(url: str) -> str | None:
    """ "YYYY-MM" from the month segment of an http(s) URL path, else None."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    from parsers.sites import url_parts

    groups = url_parts(url)
    if groups:  # a known force's page: its pattern says where the month is, if anywhere
        month = groups.get("month") or groups.get("mm")
        if not groups.get("year") or not month:
            return None
        return _month(groups["year"], month.lower())
    segments = [english_month_segment(unquote(s).lower()) for s in parts.path.split("/") if s]
    for i, seg in enumerate(segments):
        match = _SEG_NUMBER_NAME.fullmatch(seg)
        if match and i > 0:
            year = _year_before(segments[:i])
            if year:
                return _month(year, match.group(1))
        match = _SEG_MONTH_YEAR.fullmatch(seg)
        if match:
            return _month(
                match.group("y") or match.group("y2"), match.group("m") or match.group("m2")
            )
        match = _SEG_YEAR_MONTH.fullmatch(seg)
        if match:
            return _month(match.group("y"), match.group("m"))
        if _SEG_MONTH.fullmatch(seg) and i > 0:
            year = _year_before(segments[:i])
            if year and (not seg.isdigit() or _YEAR_IN_SEG.fullmatch(segments[i - 1])):
                return _month(year, seg)
    return None


def _year_before(segments: list[str]) -> str | None:
    for seg in reversed(segments):
        found = _YEAR_IN_SEG.findall(seg)
        if found:
            return found[-1]
    return None


def _month(year: str, month: str) -> str | None:
    number = int(month) if month.isdigit() else _URL_MONTHS.get(month)
    if not number or not 1 <= number <= 12:
        return None
    return f"{int(year):04d}-{number:02d}"


def parse_date(text: str) -> str | None:
    """The first date in `text` as ISO "YYYY-MM-DD" (UK day/month order), else None."""
    found = _find_date(text[:200])
    return found[0] if found else None


def _find_date(text: str) -> tuple[str, int, int] | None:
    for pattern, order in (
        (_ISO, "ymd"),
        (_D_MONTH_Y, "dmy"),
        (_MONTH_D_Y, "mdy"),
        (_NUMERIC, "dmy"),
    ):
        match = pattern.search(text)
        if match:
            found = _iso(match.groups(), order)
            if found:
                return found, match.start(), match.end()
    return None


def published_from_line(line: str) -> str | None:
    """The date of a "Published: 12 August 2024" style line (the whole line), else None."""
    match = _PUBLISHED_LINE.match(line)
    if match is None:
        return None
    rest = line[match.end() : match.end() + 80].lstrip(
        "| "
    )  # "Published | 12/08/2024": a table row
    found = _find_date(rest)
    # A date and little else ("at 10:30"): "Published on 12 May 2024 the report
    # said..." is prose, and "Published: 1/5/2024 | Reference: ..." carries more.
    if found is None or found[1] > 12:
        return None
    tail = rest[found[2] :].lstrip(" |,;\u2022-\u2013")
    if len(tail) > 12 and not _UPDATED.match(tail):
        return None
    return found[0]


# "Published: 12 August 2024 | Last updated: 13 August 2024" is still a date line.
_UPDATED = re.compile(r"(?:last\s+)?(?:updated|modified|reviewed)\b[^|]{0,40}$", re.I)


_UPDATED_LINE = re.compile(
    r"(?:this\s+)?(?:page\s+)?(?:last\s+)?(?:updated|modified|reviewed)(?:\s+on)?\s*[:\-\u2013]?\s*",
    re.I,
)


def is_updated_line(line: str) -> bool:
    """A "Page last updated: 13 August 2024" metadata line (the date and little else)."""
    match = _UPDATED_LINE.match(line)
    if match is None or len(line) > 80:
        return False
    rest = line[match.end() :]
    found = _find_date(rest)
    return found is not None and found[1] <= 12 and len(rest) - found[2] <= 12


def published_label_and_date(label: str, value: str) -> str | None:
    """The date of a label line ("Published", "Date published:") and its value line (a dt/dd pair)."""
    match = _PUBLISHED_LINE.fullmatch(label.strip())
    if match is None or len(value) > 60:
        return None
    found = _find_date(value)
    if found is None or found[1] > 12 or len(value) - found[2] > 12:
        return None
    return found[0]


def _iso(groups: tuple, order: str) -> str | None:
    values = dict(zip(order, groups))
    month = values["m"]
    month_number = int(month) if month.isdigit() else MONTHS.get(month.lower().rstrip("."))
    try:
        return date(int(values["y"]), month_number or 0, int(values["d"])).isoformat()
    except (ValueError, TypeError):
        return None
