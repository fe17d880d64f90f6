"""The elements several steps of `parsers.response` look up in the whole page, found in
one query: each CSS query is a C walk of the page (~0.02 ms on a full-length page).

One walk, before anything is removed, finds the junk (`content.remove_junk`), the
`<base href>` (`links.base_for`), the first group of content root candidates
(`content.choose_root`) and the anchors into the FOI media store
(`links.outside_attachments`). The later steps ran their queries after elements had
been removed (junk, chrome, link lists): an element removed since, or inside one, is
no longer under the page's `<html>` (`content.is_under` finds that out), and is skipped, as a
query made then would not have listed it.

Each element is sorted into the groups by the groups' CSS rules, in Python
(`[attr="v" i]` and `[attr*="v" i]` compare ASCII case-insensitively).
tests/parsers/test_dom_speed_equivalence.py checks the groups against the selectors.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parsers import chrome
from parsers.chrome_match import ascii_lower
from parsers.content import ROOT_SELECTORS
from parsers.links import FOI_MEDIA_SELECTOR

_JUNK_TAGS = frozenset(chrome.JUNK_SELECTOR.split(","))
PAGE_SELECTOR = ",".join(
    (chrome.JUNK_SELECTOR, "base[href]", ROOT_SELECTORS[0], FOI_MEDIA_SELECTOR)
)


@dataclass
class PageNodes:
    """The groups' elements in document order, as the page was before any removal."""

    junk: list = field(default_factory=list)
    base: list = field(default_factory=list)  # `base[href]`
    roots: list = field(default_factory=list)  # `ROOT_SELECTORS[0]`
    foi_media: list = field(default_factory=list)  # `FOI_MEDIA_SELECTOR`


def query_page(tree) -> PageNodes:
    found = PageNodes()
    last = None
    # lexbor lists an element once per selector it matches, one after the other.
    for node in tree.css(PAGE_SELECTOR):
        if node.mem_id == last:
            continue
        last = node.mem_id
        tag = node.tag
        if tag in _JUNK_TAGS:
            # Removed before the other groups are used: never in them.
            found.junk.append(node)
            continue
        attrs = node.attributes
        if tag == "base" and "href" in attrs:
            found.base.append(node)
        if tag == "main" or ascii_lower(attrs.get("role") or "") == "main":
            found.roots.append(node)
        if tag == "a" and "foi-media" in ascii_lower(attrs.get("href") or ""):
            found.foi_media.append(node)
    return found
