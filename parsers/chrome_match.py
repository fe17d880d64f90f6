"""Chrome elements by markup, found in one pass instead of four CSS selector groups.

`content.remove_chrome` removes four groups of elements (`parsers.chrome`: landmarks,
named/guarded regions, hidden ones, navigation-ish ones). As CSS, the named group alone
is ~70 `[class*="word" i]` selectors, which lexbor parses again on every call and tries
on every element: more time than the rest of the DOM work on a long page. Here one small
query finds the elements carrying any tag or attribute the groups look at, and each is
sorted into the groups by the same rules, in Python, over its attributes.

The rules are lexbor's: `[attr*=v i]` and `[attr=v i]` compare ASCII case-insensitively;
`#id` and `.class` compare exactly, except in a quirks-mode document (no doctype), where
lexbor ignores case. That mode cannot be read from here, so an element whose id or class
matches only when case is ignored makes `find_chrome` return None, and the caller runs
the selectors instead. tests/parsers/test_dom_speed_equivalence.py checks the groups
against the selectors on every page of the mirror and the samples.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass, field

from parsers import chrome

# Every element any group can match has one of these tags or attributes.
_CANDIDATES = ",".join(
    (
        *chrome.LANDMARK_TAGS,
        *chrome.HEADER_FOOTER_TAGS,
        *chrome.GUARDED_TAGS,
        *(f"[{attr}]" for attr in ("class", "id", "role", "aria-label", "aria-hidden")),
        *(f"[{attr}]" for attr in ("aria-modal", "style", "hidden")),
    )
)
_LANDMARK_TAGS = frozenset(chrome.LANDMARK_TAGS + chrome.HEADER_FOOTER_TAGS)
_GUARDED_TAGS = frozenset(chrome.GUARDED_TAGS)
_ROLES = frozenset(chrome.LANDMARK_ROLES)
_LANDMARK_IDS = frozenset(name.removeprefix("#") for name in chrome.PLATFORM_CHROME_IDS)
_NAMED_IDS = frozenset(chrome.NAMED_IDS)
_NAMED_CLASSES = frozenset(chrome.NAMED_CLASSES) | chrome.HIDDEN_CLASSES


def _words(words) -> re.Pattern:
    return re.compile("|".join(re.escape(word) for word in words))


_NAMED_WORDS = _words(chrome.NAMED_WORDS)
_ARIA_LABEL_WORDS = _words(chrome.NAMED_ARIA_LABEL_WORDS)
_NAVISH_WORDS = _words(chrome.NAVISH_WORDS)
_HIDDEN_STYLES = _words(chrome.HIDDEN_STYLES)
# Class lists split on ASCII whitespace only, as in the DOM (not on NBSP).
_CLASS_SPACE = re.compile("[ \t\n\f\r]+")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


@dataclass
class ChromeCandidates:
    """The elements of each group, in document order, each once (the CSS queries list
    an element once per selector it matches, which changes nothing)."""

    landmarks: list = field(default_factory=list)
    guarded: list = field(default_factory=list)
    hidden: list = field(default_factory=list)
    navish: list = field(default_factory=list)


class _CaseOnly(Exception):
    """An id or class that matches only if case is ignored: quirks mode decides."""


def find_chrome(scope) -> ChromeCandidates | None:
    """The chrome groups' elements under `scope` (and `scope` itself), or None (see above)."""
    found = ChromeCandidates()
    last = None
    try:
        # lexbor lists an element once per selector it matches, one after the other.
        for node in scope.css(_CANDIDATES):
            if node.mem_id != last:
                last = node.mem_id
                _sort(node, found)
    except _CaseOnly:
        return None
    return found


def _sort(node, found: ChromeCandidates) -> None:
    tag = node.tag
    attrs = node.attributes
    by_names = _groups_by_names(attrs.get("class") or "", attrs.get("id") or "")
    if by_names & _CASE_ONLY:
        raise _CaseOnly()
    # Most candidates carry only a class or an id: the other attributes' rules are
    # skipped for them.
    rare = attrs.keys() & _RARE_ATTRIBUTES
    if tag in _LANDMARK_TAGS or by_names & _LANDMARK or (rare and _is_landmark_by_role(attrs)):
        found.landmarks.append(node)
    if (
        tag in _GUARDED_TAGS
        or by_names & _GUARDED
        or (rare and _ARIA_LABEL_WORDS.search(ascii_lower(attrs.get("aria-label") or "")))
    ):
        found.guarded.append(node)
    if rare and _is_hidden(attrs):
        found.hidden.append(node)
    if by_names & _NAVISH:
        found.navish.append(node)


_LANDMARK, _GUARDED, _NAVISH, _CASE_ONLY = 1, 2, 4, 8
# Pages repeat the same class lists ("MsoNormal" on every paragraph) and the word
# regexes cost more than the rest of `_sort`: their verdicts are kept, by class list
# and id (a pure function of the two, so the cache cannot change a result).
_BY_NAMES: dict[tuple[str, str], int] = {}
_BY_NAMES_MAX = 20_000


def _groups_by_names(classes: str, ident: str) -> int:
    key = (classes, ident)
    groups = _BY_NAMES.get(key)
    if groups is None:
        if len(_BY_NAMES) >= _BY_NAMES_MAX:
            _BY_NAMES.clear()
        groups = _BY_NAMES[key] = _sort_by_names(classes, ident)
    return groups


def _sort_by_names(classes: str, ident: str) -> int:
    low_id, low_classes = ascii_lower(ident), ascii_lower(classes)
    names = low_classes + "\0" + low_id  # no word holds the NUL between them
    try:
        groups = 0
        if _is_one_of(ident, low_id, _LANDMARK_IDS):
            groups |= _LANDMARK
        if (
            _NAMED_WORDS.search(names)
            or _is_one_of(ident, low_id, _NAMED_IDS)
            or (_CLASS_HINTS.search(low_classes) and _has_named_class(classes))
        ):
            groups |= _GUARDED
        if _NAVISH_WORDS.search(names):
            groups |= _NAVISH
        return groups
    except _CaseOnly:
        return _CASE_ONLY


_RARE_ATTRIBUTES = frozenset(("role", "aria-modal", "aria-label", "hidden", "aria-hidden", "style"))
# A class list can hold one of the named classes only if it holds its letters.
_CLASS_HINTS = _words(_NAMED_CLASSES)


def _is_landmark_by_role(attrs) -> bool:
    return (
        ascii_lower(attrs.get("role") or "") in _ROLES
        or ascii_lower(attrs.get("aria-modal") or "") == "true"
    )


def _is_hidden(attrs) -> bool:
    return (
        "hidden" in attrs
        or ascii_lower(attrs.get("aria-hidden") or "") == "true"
        or _HIDDEN_STYLES.search(ascii_lower(attrs.get("style") or "")) is not None
    )


def _has_named_class(classes: str) -> bool:
    return any(
        _is_one_of(name, ascii_lower(name), _NAMED_CLASSES) for name in _CLASS_SPACE.split(classes)
    )


def ascii_lower(value: str) -> str:
    """ASCII lower case, as CSS's `i` flag compares (a Kelvin sign stays itself)."""
    return value.lower() if value.isascii() else value.translate(_ASCII_LOWER)


def _is_one_of(name: str, low_name: str, names: frozenset[str]) -> bool:
    """`#name` / `.name` matching one of `names` (all lower case), exactly."""
    if low_name not in names:
        return False
    if name != low_name:
        raise _CaseOnly(name)
    return True
