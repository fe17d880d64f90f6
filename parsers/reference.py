"""The page's own FOI reference: the labelled line at the top of the response.

Only a labelled line near the top counts ("Freedom of information request reference
no:", "Our reference:", "FOI Reference:", "Reference:", a label on its own line with
the value on the next): responses often quote other requests' references in their
text, and those are not the page's own.

MPS forms (`01.FOI.24.036818`, `01/FOI/22/026147`, `1/FOI/22/023245`, `FOI/22/022656`,
`01.EIR.22.000019`) are normalised to the dotted current form; older 13-digit
references and other forces' forms (`75/24`) are kept as printed.
"""

from __future__ import annotations

import re

# Lines from the top of the content searched for the reference line. The seeds and
# samples always have it first; layouts may put a date or intro before it.
TOP_LINES = 12

# Up to five label words, then "reference"/"ref", optional "no."/"number", separator.
_LABEL = re.compile(
    r"(?:[A-Za-z]{1,30}\s+){0,5}?(?:reference|ref|(?:request|foi|foia|eir)\s+(?=(?:no|nos|number|num)\b))\b\.?"
    r"(?:\s*(?:no|nos|number|num)\b\.?)?\s*(?:[:#|\-\u2013\u2014]\s*)?",
    re.I,
)
_MPS = re.compile(
    r"(?:(?P<force>\d{1,2})\s*[./\-\s]\s*)?(?P<kind>FOI|EIR)\s*[./\-\s]\s*(?P<year>\d{2})\s*[./\-\s]\s*(?P<serial>\d{3,7})\b",
    re.I,
)
# The requester's own reference, or another body's, is not the page's.
_THEIRS = re.compile(r"(?:your|their|ico|case)\b", re.I)
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9./\-_]{0,39}")


def find_reference(
    lines: list[str], title: str | None = None, force_prefix: str | None = None
) -> str | None:
    """The reference printed on the page's reference line, normalised; else None."""
    top = lines[:TOP_LINES]
    for i, line in enumerate(top):
        label = _LABEL.match(line)
        if label is None or _THEIRS.match(line):
            continue
        rest = line[label.end() :].strip()
        if not rest and i + 1 < len(lines):
            # "Reference:" on its own line (a dt/dd or two-cell layout): value follows.
            rest = lines[i + 1].strip()
        found = _reference_at_start(rest, force_prefix)
        if found:
            return found
    # No label: a line that is nothing but an MPS reference, or one in the title.
    for line in top[:5]:
        match = _MPS.fullmatch(line.strip().rstrip("."))
        if match:
            return _normalise_mps(match, force_prefix)
    if title:
        match = _MPS.search(title)
        if match:
            return _normalise_mps(match, force_prefix)
    return None


def _reference_at_start(text: str, force_prefix: str | None) -> str | None:
    text = text.lstrip("([")
    match = _MPS.match(text)
    if match:
        return _normalise_mps(match, force_prefix)
    token = _TOKEN.match(text)
    if token is None:
        return None
    value = token.group(0).rstrip("./-_")
    # A reference has a few digits at least ("75/24"); "Ref: 2" is a stray number.
    if sum(ch.isdigit() for ch in value) < 3:
        return None
    return value


def _normalise_mps(match: re.Match, force_prefix: str | None) -> str:
    force = match.group("force") or force_prefix
    body = f"{match.group('kind').upper()}.{match.group('year')}.{match.group('serial').zfill(6)}"
    # Without a known force prefix the printed form is kept (another force's style).
    return f"{force.zfill(2)}.{body}" if force else match.group(0).strip()
