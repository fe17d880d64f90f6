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

A force's own slug rules are data in `parsers/forces.toml` (`reference_in_slug`, read by
`parsers.sites`): adding a force is a new entry there, not code.
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
    """The force's own rules (`reference_in_slug` in parsers/forces.toml), then any force's."""
    from parsers.sites import SITES

    site = SITES.get(force or "")
    own = tuple(SlugRule(r.pattern, r.format) for r in site.reference_in_slug) if site else ()
    return own + ANY_FORCE_SLUG_RULES


def reference_from_slug(slug: str, force: str | None) -> str | None:
    """The reference a force's URL slug carries, in the form the force prints it."""
    slug = slug.lower()
    for rule in slug_rules(force):
        match = re.search(rule.pattern, slug)
        if match:
            return rule.template.format(**match.groupdict())
    return None
