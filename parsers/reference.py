"""The page's own FOI reference: the labelled line at the top, else the URL slug.

Only a labelled line near the top counts ("Freedom of information request reference
no:", "Our reference:", "FOI Reference:", "Enquiry Reference:", "Freedom of Information
(FOI) Act request ref:", "FOI Number:", Welsh "Cyfeirnod:", a label on its own line with the value on the
next): responses often quote other requests' references in their text, and those are
not the page's own. When the text has none, the force's URL slug may carry it (see
`parsers.reference_formats`, the per-force data); the record says which
(`reference_source` "text" or "url").

The reference is kept as the force prints it, without its label, with two
normalisations so one force's references look alike: spaces around a separator between
digits go ("700 - 24" and "89- 26" -> "700-24", "89-26"), and a leading "FOI " word is
part of the label ("Enquiry Reference: FOI 416-25" -> "416-25"; "FOI-260-2024", printed
as one token, stays). MPS forms (`01.FOI.24.036818`, `01/FOI/22/026147`,
`1/FOI/22/023245`, `FOI/22/022656`, `01.EIR.22.000019`) on a force with a known prefix
are normalised to the dotted current form; elsewhere `01/FOI/25/009208/R` (Devon &
Cornwall) stays as printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from parsers.reference_formats import ANY_FORCE_LINE_RULES, WEAK_LABEL, reference_from_slug

# Lines from the top of the content searched for the reference line. The seeds and
# samples always have it first; layouts may put a date or intro before it.
TOP_LINES = 12

# Up to seven label words ("Freedom of Information (FOI) Act request"), then
# "reference"/"ref", optional "no."/"number", separator.
_LABEL = re.compile(
    r"(?:[A-Za-z()]{1,30}\s+){0,7}?(?:reference|ref|cyfeirnod(?:\s+[A-Za-z]{1,20}){0,3}(?=\s*:)|(?:request|foi|foia|eir)\s+(?=(?:no|nos|number|num)\b))\b\.?"
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
# "700 - 24" -> "700-24": spaces around a separator between digits.
_SPACED_SEPARATOR = re.compile(r"(?<=\d)\s*([/\-\u2013.])\s*(?=\d)")
# "FOI 416-25": the word belongs to the label.
_LABEL_WORD = re.compile(r"(?:FOIA?|EIR|No\.?|Number)\s+(?=\d)", re.I)
_WEAK = re.compile(WEAK_LABEL, re.I)
_LINE_RULES = tuple((re.compile(r.label, re.I), re.compile(r.value)) for r in ANY_FORCE_LINE_RULES)


@dataclass(frozen=True)
class FoundReference:
    value: str
    source: str  # "text" | "url"


def page_reference(
    lines: list[str], title: str | None, url: str, force: str | None, force_prefix: str | None
) -> FoundReference | None:
    """The page's reference: printed in the text, else carried by the URL slug."""
    printed = find_reference(lines, title, force_prefix)
    if printed:
        return FoundReference(printed, "text")
    from_url = reference_from_slug(_last_segment(url), force)
    weak = _weak_reference(lines)
    if weak and (from_url is None or _digits(weak) == _digits(from_url)):
        return FoundReference(weak, "text")
    return FoundReference(from_url, "url") if from_url else None


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
    for i, line in enumerate(top[:-1]):
        for label, value in _LINE_RULES:
            if label.match(line.strip()):
                match = value.match(top[i + 1].strip())
                if match:
                    return match.group("ref")
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
    text = _SPACED_SEPARATOR.sub(r"\1", text.lstrip("(["))
    text = text[_LABEL_WORD.match(text).end() :] if _LABEL_WORD.match(text) else text
    match = _MPS.match(text)
    if match and force_prefix:
        return _normalise_mps(match, force_prefix)
    token = _TOKEN.match(text)
    if token is None:
        return None
    value = token.group(0).rstrip("./-_")
    # A reference has a few digits at least ("75/24"); "Ref: 2" is a stray number.
    if sum(ch.isdigit() for ch in value) < 3:
        return None
    return value


def _weak_reference(lines: list[str]) -> str | None:
    for line in lines[:TOP_LINES]:
        match = _WEAK.match(line)
        if match:
            return _reference_at_start(match.group("ref"), None)
    return None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit()).lstrip("0")


def _last_segment(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    segments = [s for s in path.split("/") if s]
    return unquote(segments[-1]) if segments else ""


def _normalise_mps(match: re.Match, force_prefix: str | None) -> str:
    force = match.group("force") or force_prefix
    body = f"{match.group('kind').upper()}.{match.group('year')}.{match.group('serial').zfill(6)}"
    # Without a known force prefix the printed form is kept (another force's style).
    return f"{force.zfill(2)}.{body}" if force else match.group(0).strip()
