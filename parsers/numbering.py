"""Question labels at the start of a line, and the sequence rules that tell them from data.

Labels seen on real pages: `1.`, `1)`, `(1)`, `1 -`, `1•`, `1/`, `3.Details`, `1a.`,
`1a -`, `2.1`, `Q1 -`, `Q1.`, `Q.1`, `Q1a -`, `Q2.1 -`, `Question 1:`, `REQUEST 1:`,
`a.`, `(a)`, `a)`, `A)`, `(a).`, `i.`, `ii.`, `(iii)`, and bullets (`•`, `-`, `*`).

Numbers are normalised to `1`, `1a`, `2.1`, `5d`, and roman sub-items to `1i`, `1ii`
(`1aii` under a lettered part). A label counts only when it carries the sequence on
(`2` after `1`, `1b` after `1a`, `2.2` after `2.1`), so dates ("26.02.2022"), year
ranges ("2020-21"), times ("10.30"), amounts ("2.5 million") and "Questions 1-6 relate
to ..." are text, not questions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RANGE = r"(?!\s?(?:[-–—]|to\b|and\b|&)\s?\d)"
_PREFIXED = re.compile(
    r"^(?:Q(?:uestion|u)?|Request|Part|Point|Item)(?!s\b)\s?(?:No\.?\s?)?\.?\s?"
    r"(\d{1,2})"
    + _RANGE
    + r"(?:\.(\d{1,2}))?(?:\.?([a-zA-Z])|\s?\(([a-zA-Z])\))?(?:\s?\(([ivx]{1,4})\))?"
    r"(?![\w])\s?(?:[.:)\-–—•/]+\s?)?(.*)$",
    re.IGNORECASE,
)
_DOTTED = re.compile(r"^\(?(\d{1,2})\.(\d{1,2})\)?(?:[.):\-–]\s?|\s)\s*(?=[^\d\s])(.*)$")
_NUMBERED = re.compile(
    r"^\(?(\d{1,2})([a-z])?(?:\s?\(([a-z])\))?\s*"
    r"(?:\)\s?[.:\-–]?|\.(?!\d)|:(?!\d)|[-–—](?!\s*\d)|•|/(?!\d))\s*(.*)$"
)
# "1.a)", "1.a.", "1a)": a lettered part written with its question's number.
_NUMBER_LETTER = re.compile(r"^\(?(\d{1,2})\.?([a-z])[.)]\s*(.*)$")
# "Question One:", "Q Two -".
_WORD_NUMBER = re.compile(
    r"^(?:Question|Q)\s(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b\s?[:.)\-–—]\s*(.*)$",
    re.IGNORECASE,
)
_WORD_VALUES = {
    w: i
    for i, w in enumerate(
        "one two three four five six seven eight nine ten eleven twelve".split(), 1
    )
}
_LETTER = re.compile(r"^\(?([a-zA-Z])(?:\)\s?\.?|\.(?![a-zA-Z]\.))\s*(.*)$")
_ROMAN = re.compile(r"^\(?(i{1,4}|iv|vi{0,3}|ix|x)(?:\)\s?\.?|\.)\s+(.*)$")
_BULLET = re.compile(r"^(?:[•·●▪◦▸➢✓*]|[-–—](?=\s+\D))\s*(.*)$")
_YEAR_AFTER_Q = re.compile(r"^(?:19|20)\d\d\b|^/")
_LABEL_INITIALS = frozenset("QqRrPpIiivx")
_ROMAN_VALUES = {
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iiii": 4,
    "iv": 4,
    "v": 5,
    "vi": 6,
    "vii": 7,
    "viii": 8,
    "ix": 9,
    "x": 10,
}


@dataclass(slots=True)  # not frozen: read ~80 times a page, a frozen __init__ costs 2.4x
class Label:
    kind: str  # "prefixed" | "dotted" | "numbered" | "letter" | "roman" | "bullet"
    top: int | None = None
    sub: int | None = None
    letter: str | None = None
    roman: str | None = None
    text: str = ""


def read_label(line: str) -> Label | None:
    """The label a line starts with, if any (no sequence check yet)."""
    line = line.lstrip("“”\"‘’'«")  # a quoted original request: “1. Please provide ...
    if (
        len(line) > 1
        and line[0].isalpha()
        and line[0] not in _LABEL_INITIALS
        and line[1] not in ".)"
    ):
        return None  # prose ("The ...", "Section ...") can start no label: most lines stop here
    # Which patterns can match is told by the first characters: a label starts with a
    # word (Q, Request, ...), a number, a letter, "(" and either, or a bullet. Skipping
    # the others halves the patterns tried on a reply's lines (a test compares with all).
    first = line[:1]
    second = line[1:2] if first == "(" else first
    if first.isalpha():
        m = _PREFIXED.match(line)
        if m:
            top, sub, letter, bracketed, roman, rest = m.groups()
            # `_YEAR_AFTER_Q` starts with 1, 2 or "/": "Q1 - Do you" is no year.
            if not (first in "Qq" and rest[:1] in "12/" and _YEAR_AFTER_Q.match(rest)):
                letter = (letter or bracketed or "").lower() or None
                return Label(
                    "prefixed", int(top), int(sub) if sub else None, letter, roman, rest.strip()
                )
        m = _WORD_NUMBER.match(line)
        if m:
            return Label("prefixed", _WORD_VALUES[m.group(1).lower()], text=m.group(2).strip())
    elif second.isdecimal():
        return _numbered(line)
    if not second.isalpha():
        m = _BULLET.match(line)
        return Label("bullet", text=m.group(1).strip()) if m else None
    m = _ROMAN.match(line)
    if m:
        return Label("roman", roman=m.group(1), text=m.group(2).strip())
    m = _LETTER.match(line)
    if m:
        return Label("letter", letter=m.group(1).lower(), text=m.group(2).strip())
    return None


def _numbered(line: str) -> Label | None:
    """The label of a line that starts with a digit (or "(" and a digit).

    `_NUMBER_LETTER` needs a "." or ")" in characters 3-6 ("1a)", "(12.a)"), `_DOTTED` a
    "." in characters 2-4 ("1.2", "(12.3"): lines without them ("1. Do you", "12 - ")
    are not tried (a test compares with every pattern).
    """
    head = line[1:6]
    if "." in head or ")" in head:
        m = _NUMBER_LETTER.match(line)
        if m:
            top, letter, text = m.groups()
            return Label("numbered", int(top), letter=letter, text=text.strip())
        m = _DOTTED.match(line) if "." in head[:3] else None
        if m:
            top, sub, text = m.groups()
            return Label("dotted", int(top), int(sub), text=text.strip())
    m = _NUMBERED.match(line)
    if m:
        top, letter, bracketed, text = m.groups()
        return Label("numbered", int(top), letter=letter or bracketed, text=text.strip())
    return None


class Sequence:
    """Numbering state while reading a list of questions top to bottom."""

    def __init__(self) -> None:
        self.top: int | None = None
        self.sub: int | None = None
        self.letter: str | None = None
        self.roman: int = 0
        self.base = ""  # number the next roman item attaches to
        self.top_letter: str | None = None  # a list lettered a, b, c with no numbers

    def accept(self, label: Label, *, strict: bool = True) -> str | None:
        """The normalised number if `label` carries the sequence on, else None.

        `strict` (request lists) wants `N+1` after `N`; otherwise (restated questions
        with a "Q" prefix) any later number is accepted.
        """
        kind = label.kind
        if kind == "roman" and not self._roman_is_letter(label.roman):
            return self._accept_roman(label.roman)
        if kind in ("letter", "roman"):
            return self._accept_letter(label.letter or label.roman or "")
        if kind == "bullet":
            return None
        if label.sub is not None:
            return self._accept_dotted(label.top, label.sub, label.letter)
        if label.letter is not None:
            return self._accept_numbered_letter(label.top, label.letter, strict)
        return self._accept_top(label.top, strict or kind != "prefixed")

    def _next_top_ok(self, n: int, strict: bool) -> bool:
        if self.top is None:
            return 1 <= n <= (2 if strict else 10)
        return n == self.top + 1 if strict else self.top < n <= self.top + 5

    def _set(self, top: int, sub: int | None, letter: str | None, number: str) -> str:
        self.top, self.sub, self.letter, self.roman, self.base = top, sub, letter, 0, number
        return number

    def _accept_top(self, n: int, strict: bool) -> str | None:
        if not self._next_top_ok(n, strict):
            return None
        return self._set(n, None, None, str(n))

    def _accept_dotted(self, n: int, sub: int, letter: str | None) -> str | None:
        if n == self.top and sub == (self.sub or 0) + 1:
            pass
        elif not (sub == 1 and self._next_top_ok(n, True)):
            return None
        return self._set(n, sub, letter, f"{n}.{sub}{letter or ''}")

    def _accept_numbered_letter(self, n: int, letter: str, strict: bool) -> str | None:
        if n == self.top and (self.letter is None or letter > self.letter):
            return self._set(n, self.sub, letter, f"{n}{letter}")
        if self._next_top_ok(n, strict) or (self.top is None and n <= 10):
            return self._set(n, None, letter, f"{n}{letter}")
        return None

    def _accept_letter(self, letter: str) -> str | None:
        if self.top is None:
            expected = "a" if self.top_letter is None else chr(ord(self.top_letter) + 1)
            if letter != expected:
                return None
            self.top_letter = letter
            self.base, self.roman = letter, 0
            return letter
        expected = "a" if self.letter is None else chr(ord(self.letter) + 1)
        if letter != expected:
            return None
        stem = f"{self.top}.{self.sub}" if self.sub else str(self.top)
        self.letter, self.roman = letter, 0
        self.base = stem + letter
        return self.base

    def _roman_is_letter(self, roman: str | None) -> bool:
        if roman in ("i", "v", "x") and self.roman == 0:
            last = self.letter if self.top is not None else self.top_letter
            return last is not None and chr(ord(last) + 1) == roman
        return False

    def _accept_roman(self, roman: str | None) -> str | None:
        value = _ROMAN_VALUES.get(roman or "", 0)
        if not self.base or value != self.roman + 1:
            return None
        self.roman = value
        return self.base + roman
