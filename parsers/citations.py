"""Read FOIA section citations out of a line of text, as written on MPS pages.

Notations seen on real pages: `Section 31(1)(a)(b)`, `Section 31(1)(a)&(b)`,
`Section 40(2)(3)&(4)`, `Section 40(2(3)(a)` (unbalanced), `Section 38 (1)(a)(b)`,
`Section 43 (2)`, `S31`, `s.40(2)`, `S40(2)`, `Sections 24(1) and 31(1)`,
`Section 40(2) and 40(3A) (a)`, `section 40(2)(a)(b) and (3)(a)(i)(ii)(b)`,
`Section 23(5), 24(2), 30(3), 31(3)`, `Section 22A`.

A subsection is normalised to bracketed parts with the joining words dropped:
`(1)(a)&(b)` -> `(1)(a)(b)`. Only the provisions a response can rely on are returned
(s.12, s.14, s.21-s.44 without s.25); sections of other Acts ("section 43 of the
Terrorism Act 2000", "Section 3 of the Data Protection Act 2018", "section 34" of "the
2018 act", "Section 44 stop and search") are dropped. The scanner walks each line once
with bounded lookarounds, so a 200 KB line costs linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.prefilter import Prefiltered

RELIED_ON = frozenset({12, 14, 21, 22, 23, 24, *range(26, 45)})

# Case spelled out (no IGNORECASE), and the "not inside a word" test ("officers 40",
# "officer's 24") a look-behind *after* the first letter, so `re` still skips ahead to
# the next S: this scan runs over every line of every page.
_KEYWORD = re.compile(
    r"[Ss](?<![\w'’][Ss])(?:ections?|ECTIONS?|ect?\.?|ECT?\.?|[Ss]?\.)?\s?(\d{1,3})(A(?![A-Za-z]))?(?![\d])(?![.,]\d)"
)
# `_KEYWORD` split by its first letter: a pattern led by one literal letter is searched
# for at memchr-like speed, where the `[Ss]` class is tested at every character (~9 ns
# each: 80 -> 27 us over a full-length page's reply). A match starts with S or s, so the
# leftmost of the two searches is `_KEYWORD`'s match (tests/parsers/test_citation_scan.py).
_KEYWORD_UPPER = re.compile("S" + _KEYWORD.pattern[4:])
_KEYWORD_LOWER = re.compile("s" + _KEYWORD.pattern[4:])
# How far past its start an attempt of `_KEYWORD` reads: "sections" (8), a space, three
# digits, "A" and the two characters its look-aheads test (15), with a margin.
_KEYWORD_REACH = 16
_TOKEN = re.compile(r"\(\s?(\d{1,2}[A-Za-z]{0,2}|[A-Za-z]|[ivxIVX]{2,5})\s?(\)|(?=\())")
_JOIN = re.compile(r"\s?(?:&|and|,|/|or)\s?(?=\()", re.IGNORECASE)
_CONTINUE = re.compile(
    r"(?:\s?(?:,|&|and|or)\s?)(?:(?:sections?|ss?\.|s)\s?)?(\d{1,2})(A(?![A-Za-z]))?(?![\d])(?![.,]\d)",
    re.IGNORECASE,
)
# After the citation: "of the Act" / "of FOIA" keep it; any other Act, schedule or
# regulations, or a policing power ("Section 44 stop and search") drops it.
_FOIA_AFTER = re.compile(
    r"\s?\)?\s?(?:of|under|in)\s(?:the\s|this\s)?(?:Freedom\b|FOIA|FOI\b|(?:2000\s)?Act\b|above\b)",
    re.IGNORECASE,
)
_OTHER_AFTER = re.compile(
    r"\s?\)?,?\s?(?:(?:of|under|in|to)\s(?:the\s|that\s|this\s)?[^.;:]{0,60}?"
    r"(?-i:\bAct\b|\b[Ss]chedule\b|\bRegulations?\b|\bOrder\b|\bCode\b|\bBill\b|\bRules\b|\bDirective\b)"
    r"|(?-i:(?:[A-Z][\w'’-]*\s){1,6}Act\b)"
    r"|(?:of\s)?(?-i:PACE|TACT|DPA|GDPR|UK GDPR|MHA|MDA|RTA|POA|CJPOA|CJA|RIPA|IPA|EIR|ASBCPA|OAPA)\b"
    r"|(?:\(\w{1,3}\)\s?)*(?:stop|search|searches|searched|order|orders|notices?|authori[sz]ations?"
    r"|dispersal|powers?|directions?|warrants?|detention|detained|arrests?|offences?|checks?|\%|per cent)"
    r"|\s\d[A-Z]{2}\b)",  # a postcode: "S31 8AB"
    re.IGNORECASE,
)
_OTHER_BEFORE = re.compile(
    r"(?:Data Protection Act|\bDPA\b|GDPR|\b(?:19|20)\d\d [Aa]ct\b|Terrorism Act|\bschedule\b"
    r"|(?:[A-Z][a-z]+ ){1,5}Act \d{4})(?![^.]*(?:Freedom of Information|FOIA|\bthe Act\b))[^.]*$",
    re.IGNORECASE,
)

# What each "Act" of `_OTHER_BEFORE` holds, lowered (replacing the FOIA's name with
# " FOIA " adds none of it).
# Led by the literal "act" (so `re` jumps between them) with what comes before it as
# look-behinds: `(?:protection|terrorism|\d\d) act|act \d{4}` tried at every position
# (6 -> ~1 us a window; tests/parsers/test_citation_scan.py checks they agree).
_ACT_NAMED = re.compile(r"act(?:(?<=protection act)|(?<=terrorism act)|(?<=\d\d act)| \d{4})")

# "searched under Section 43", "a dispersal order under section 35": a police power.
# Tried only where one of its words starts (searched for at every position of the
# window's 60 characters it cost ~16 us, run for each citation after " the" or " of").
_POWER_BEFORE = Prefiltered(
    re.compile(
        r"(?:search(?:ed|es|ing)?|stop(?:ped|s)?|arrest(?:ed|s)?|detain(?:ed)?|seiz(?:ed|ures?)|powers?"
        r"|authori[sz]\w*|orders?|offences?|charged|convicted|sectioned|notices?|warrants?)"
        r"\s(?:[\w-]+\s){0,2}(?:under|using|of|per|via)\s(?:the\s|a\s)?$",
        re.IGNORECASE,
    ),
    (
        "search",
        "stop",
        "arrest",
        "detain",
        "seiz",
        "power",
        "authori",
        "order",
        "offence",
        "charged",
        "convicted",
        "sectioned",
        "notice",
        "warrant",
    ),
    anchored=True,
)
_POWER_TAILS = (" under", " using", " of", " per", " via", " the", " a")
# "section 31 of the APP guidance", "section 24 of our policy": a part of another document.
_OF_OTHER_DOCUMENT = re.compile(
    r"\s?\)?,?\s?of\s(?:the\s|this\s|that\s|our\s|a\s|an\s|their\s|its\s)?"
    r"(?!(?:2000\s)?Act\b|Freedom\b|FOI|Information Act)[A-Za-z]",
    re.IGNORECASE,
)
_UNDER_ANOTHER_ACT = re.compile(
    r"\s?\)?,?\s?(?:under|by virtue of|in accordance with)\s", re.IGNORECASE
)
_ANY_DIGIT = re.compile(r"\d")
_FOIA_NAME = re.compile(r"Freedom of Information Act(?: 2000)?", re.IGNORECASE)


@dataclass(slots=True)  # not frozen: made for every cited provision; frozen __init__ costs 2.4x
class Citation:
    section: int
    subsection: str  # "(1)(a)(b)", "" when none; s.22A -> "A" + parts
    text: str  # as written, e.g. "Section 31(1)(a)&(b)"
    start: int
    end: int


def find_citations(text: str) -> list[Citation]:
    """Every FOIA provision cited in `text`, in order, other Acts left out."""
    found: list[Citation] = []
    pos = 0
    if not _has_digit(text):
        return found
    while True:
        match = keyword_at(text, pos)
        if match is None:
            return found
        group = _read_group(text, match)
        pos = group[-1].end if group else match.end()
        relied = [c for c in group if c.section in RELIED_ON]
        # The costly "another Act?" test last: "section 1(1)(a)" needs no such test.
        if relied and not _is_other_act(text, match.start(), group[-1].end, group[-1].section):
            found.extend(relied)


def keyword_at(text: str, pos: int = 0) -> re.Match | None:
    """`_KEYWORD.search(text, pos)`: the next "Section 31", "s.40", "S24" from `pos`."""
    upper = _KEYWORD_UPPER.search(text, pos)
    if upper is None:
        return _KEYWORD_LOWER.search(text, pos)
    # The lower-case one need only look for a match starting before the upper-case one;
    # an attempt there reads at most `_KEYWORD_REACH` characters from its start.
    lower = _KEYWORD_LOWER.search(text, pos, upper.start() + _KEYWORD_REACH)
    return lower if lower is not None and lower.start() < upper.start() else upper


def _has_digit(text: str) -> bool:
    """Whether `text` holds a digit, as `\\d` reads one.

    On an ASCII line ten substring tests run at memchr speed, ~4 times faster than
    `re`, which checks a Unicode category at every character; other lines may hold
    other scripts' digits, which only the regex knows.
    """
    if not text.isascii():
        return _ANY_DIGIT.search(text) is not None
    for digit in "0123456789":
        if digit in text:
            return True
    return False


def _read_group(text: str, match: re.Match) -> list[Citation]:
    """One keyword and what follows it: subsections and ", 24(2) and 31(3)" continuations."""
    group: list[Citation] = []
    start, number, suffix, pos = match.start(), int(match.group(1)), match.group(2), match.end()
    while True:
        parts, pos = _read_subsections(text, pos)
        subsection = ("A" if suffix else "") + "".join(f"({p})" for p in parts)
        if group and group[-1].section == number and not suffix and parts:
            last = group[-1]  # "Section 40(2) and 40(3A)(a)": one provision
            group[-1] = Citation(
                number, last.subsection + subsection, text[last.start : pos], last.start, pos
            )
        else:
            group.append(Citation(number, subsection, text[start:pos], start, pos))
        more = _CONTINUE.match(text, pos)
        if more is None or int(more.group(1)) not in RELIED_ON:
            return group
        start, number, suffix, pos = more.start(1), int(more.group(1)), more.group(2), more.end()


def _read_subsections(text: str, pos: int) -> tuple[list[str], int]:
    parts: list[str] = []
    while True:
        at = pos + 1 if text.startswith(" ", pos) else pos
        token = _TOKEN.match(text, at)
        if token is None and parts:
            join = _JOIN.match(text, pos)
            if join is not None:
                token = _TOKEN.match(text, join.end())
        if token is None:
            return parts, pos
        parts.append(_normal_part(token.group(1)))
        pos = token.end()


def _normal_part(part: str) -> str:
    if part.isdigit():
        return part
    if part[0].isdigit():
        return part.upper()  # "3a" -> "3A"
    return part.lower()  # "(A)" -> "(a)", "(II)" -> "(ii)"


def _is_other_act(text: str, start: int, end: int, section: int) -> bool:
    if _FOIA_AFTER.match(text, end):
        return False
    if section == 44 and _UNDER_ANOTHER_ACT.match(text, end):
        return (
            False  # s.44 relies on another Act: "Section 44(1)(a) under the Contempt of Court Act"
        )
    if _OTHER_AFTER.match(text, end) or _OF_OTHER_DOCUMENT.match(text, end):
        return True
    window = text[max(0, start - 120) : start]
    lowered = window.lower()
    # `_OTHER_BEFORE` matches only in the window's last sentence (its `[^.]*$`; neither
    # its words nor the FOIA's name hold a "."): only that part is tested and searched.
    # (ASCII only: there a match holds its lowered word, and lowering keeps every index.)
    # On ASCII, its words lowered must be there too, and an "Act" with a name or a year
    # ("the Act" alone is not enough to try it: the search cost ~30 us a sentence).
    if window.isascii():
        sentence = window[window.rfind(".") + 1 :]
        low = lowered[len(window) - len(sentence) :]
        may_match = (
            "dpa" in low
            or "gdpr" in low
            or "schedule" in low
            or ("act" in low and _ACT_NAMED.search(low) is not None)
        )
    else:
        sentence = window
        may_match = (
            "act" in lowered or "dpa" in lowered or "gdpr" in lowered or "schedule" in lowered
        )
    if may_match and _OTHER_BEFORE.search(_FOIA_NAME.sub(" FOIA ", sentence)):
        return True
    tail = lowered[-60:].rstrip()
    return tail.endswith(_POWER_TAILS) and _POWER_BEFORE.search(window[-60:]) is not None
