"""Dates a response prints in its own text: when it was sent, and when the request came.

Other forces print them in the body rather than in the page's metadata: Cleveland
"Date: 29/07/25", Devon & Cornwall "Version Date: 07/02/2025", Warwickshire "... your
request for information which was received on 24th October 2023 as follows:", Essex two
bare date lines after the outcome label (received, then responded). Only the top of the
text is read: dates further down are the answers' own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.dates import parse_date

TOP_LINES = 20

_RESPONSE_DATE = re.compile(
    r"^(?:Version |Response |Reply )?Date(?: of (?:response|reply))?\s*[:\-\u2013]\s*(?P<date>.{6,40})$",
    re.IGNORECASE,
)
_RECEIVED = re.compile(
    r"(?:\breceived on|^Date (?:request )?received\s*[:\-\u2013]?)\s*(?P<date>.{6,40})",
    re.IGNORECASE,
)
# The first letters `_RESPONSE_DATE` lines start with (Version, Response, Reply, Date; no
# other letter folds to them): the others are not tried (a test checks).
RESPONSE_DATE_FIRSTS = frozenset("DRVdrv")
_SHORT_NUMERIC = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{2})$")
_DATE_ONLY = re.compile(r"^\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9},? \d{4}$|^\d{1,2}/\d{1,2}/\d{4}$")


@dataclass(frozen=True)
class PrintedDates:
    response: str | None = None  # ISO date the response carries
    received: str | None = None  # ISO date the request was received


def printed_dates(lines: list[str]) -> PrintedDates:
    response = received = None
    top = lines[:TOP_LINES]
    for i, line in enumerate(top):
        match = _RESPONSE_DATE.match(line) if line[:1] in RESPONSE_DATE_FIRSTS else None
        if match and response is None:
            response = _date(match.group("date"))
        match = _RECEIVED.search(line) if received is None and "eceived" in line else None
        if match:
            received = _date(match.group("date"))
        if (
            response is None
            and received is None
            and i + 1 < len(top)
            and line[:1].isdecimal()  # `_DATE_ONLY` starts with \d, a decimal digit
            and _DATE_ONLY.match(line)
            and _DATE_ONLY.match(top[i + 1])
        ):
            # Essex: "05 October 2021" / "25 October 2021" = received, responded.
            first, second = parse_date(line), parse_date(top[i + 1])
            if first and second and first <= second:
                received, response = first, second
    return PrintedDates(response, received)


def _date(text: str) -> str | None:
    text = text.strip().rstrip(".,;:")
    short = _SHORT_NUMERIC.match(text.split(" ")[0])
    if short:
        day, month, year = short.groups()
        return parse_date(f"{day}/{month}/20{year}")
    return parse_date(text)
