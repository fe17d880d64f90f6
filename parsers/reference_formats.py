"""How each force prints its FOI reference and where its URL slug carries one: data only.

`parsers.reference` reads the page text first (a labelled line near the top); these
tables say what else to try, per force (keyed by the platform's English force slug, as
`parsers.sites.force_from_url` gives it) and for any force (`ANY_FORCE`):

- `SlugRule(pattern, template)`: a regex searched in the page's last URL segment, its
  named groups put into `template` (`str.format`) to give the reference in the form the
  force prints it ("foi-65625" -> "656/25" for South Wales). Tried in order, first match
  wins; used only when the text has no reference (the record says `reference_source`
  "url").
- `LineRule(label, value)`: a line matching `label` followed by a line matching `value`
  (group `ref`): Essex prints "PUB 1278" then the bare FOI number "16188".
- `WEAK_LABEL`: "Original FOI request (622/25)" names a reference, but on an internal
  review page it is the original request's, not the page's: it counts only when the URL
  gives none or agrees.

Adding a force is a new entry in `FORCE_SLUG_RULES`; the rules are plain strings so a
data file (JSON/TOML) can hold them unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class SlugRule:
    pattern: str
    template: str


@dataclass(frozen=True)
class LineRule:
    label: str
    value: str


# Per force: how the last URL segment carries the reference (seen in real pages).
FORCE_SLUG_RULES: dict[str, tuple[SlugRule, ...]] = {
    # disclosure-log/2025/july/foi-80025/ = 800/25; foi-1432-24 = 1432/24
    "south-wales-police": (
        SlugRule(r"^foi-(?P<n>\d+)-(?P<yy>\d{2})(?:-|$)", "{n}/{yy}"),
        SlugRule(r"^foi-(?P<n>\d+)(?P<yy>\d{2})(?:-|$)", "{n}/{yy}"),
    ),
    # .../facial-recognition-technology-4122025/ = 412/2025; ...-7524/ = 75/24
    "dyfed-powys-police": (
        SlugRule(r"-(?P<n>\d{1,4}?)(?P<yyyy>20\d{2})$", "{n}/{yyyy}"),
        SlugRule(r"-(?P<n>\d{1,4}?)(?P<yy>\d{2})$", "{n}/{yy}"),
    ),
    # disclosure2/2022/12---december/202225597---facial-recognition/ = 2022/25597
    "gwent-police": (SlugRule(r"^(?P<yyyy>20\d{2})(?P<n>\d{4,6})(?:-|$)", "{yyyy}/{n}"),),
    # foi-41625-children-in-... = 416-25 (printed "Enquiry Reference: 536-25")
    "cleveland-police": (
        SlugRule(r"^foi-(?P<n>\d+)-(?P<yy>\d{2})(?:-|$)", "{n}-{yy}"),
        SlugRule(r"^foi-(?P<n>\d+)(?P<yy>\d{2})(?:-|$)", "{n}-{yy}"),
    ),
    # foi-taser-costs-161-202425 = 0161.2024-25 (printed "Original request (0622.2024-25)")
    "north-yorkshire-police": (
        SlugRule(
            r"(?:^|-)(?P<n>\d{2,4})-(?P<yyyy>20\d{2})(?P<yy>\d{2})(?:-|$)", "{n:0>4}.{yyyy}-{yy}"
        ),
    ),
    # foi-8057-25-tool-theft-data = 8057-25
    "northamptonshire-police": (SlugRule(r"^foi-(?P<n>\d+)-(?P<yy>\d{2})(?:-|$)", "{n}-{yy}"),),
    # foi-611-2024--july-2024--fleet = 611-2024 (printed "... REFERENCE NO: 842-2023")
    "warwickshire-police": (SlugRule(r"^foi-(?P<n>\d+)-(?P<yyyy>20\d{2})(?:-|$)", "{n}-{yyyy}"),),
    # 2024/may/foi-266818/ = 266818
    "west-mercia-police": (SlugRule(r"^foi-(?P<n>\d{4,7})(?:-|$)", "{n}"),),
    # fois-with-spreadsheets/2022/foi-2022-1022/ = 2022-1022
    "wiltshire-police": (SlugRule(r"^foi-(?P<yyyy>20\d{2})-(?P<n>\d+)(?:-|$)", "{yyyy}-{n}"),),
}

# Any force: a slug that starts "foi-<number>" carries the number as it is.
ANY_FORCE_SLUG_RULES: tuple[SlugRule, ...] = (
    SlugRule(r"^foi-(?P<ref>\d{3,}(?:-\d{2,4})?)(?:-|$)", "{ref}"),
)

# A label line, then the reference alone on the next line.
ANY_FORCE_LINE_RULES: tuple[LineRule, ...] = (
    # Essex: keywords, "PUB 1278", "16188" (the FOI number), title...
    LineRule(r"^PUB\s?\d{2,6}$", r"^(?P<ref>\d{3,7})$"),
)

# "Original FOI request (622/25)", "Original request (0622.2024-25)".
WEAK_LABEL = (
    r"^(?:Original\s+)?(?:FOI\s+|FOIA\s+)?request\s*\((?P<ref>[A-Za-z0-9][\w./\- ]{1,30})\)"
)


def slug_rules(force: str | None) -> tuple[SlugRule, ...]:
    return FORCE_SLUG_RULES.get(force or "", ()) + ANY_FORCE_SLUG_RULES


def reference_from_slug(slug: str, force: str | None) -> str | None:
    """The reference a force's URL slug carries, in the form the force prints it."""
    slug = slug.lower()
    for rule in slug_rules(force):
        match = re.search(rule.pattern, slug)
        if match:
            return rule.template.format(**match.groupdict())
    return None
