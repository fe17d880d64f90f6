"""Literal pre-checks that let a costly case-insensitive regex skip text it cannot match.

A pattern such as `neither\\s+confirm\\w*\\s+nor\\s+den|\\bNCND\\b` (IGNORECASE) has no
fixed first character, so `re` tries it at every position of the text: tens of
microseconds a page, spent mostly on text that holds none of its words. A substring test
on the lowercased text (`"confirm" in low`) runs at memchr speed; when none of the
pattern's required words is there the regex cannot match and is not run. When one is,
the regex runs as before, so results never change.

`Prefiltered(pattern, needles)` wraps a compiled pattern. Its needles must be lowercase
and such that every match of the pattern, lowercased, contains at least one of them
(one mandatory literal run per alternative). With `anchored=True` every match must also
begin with a needle; then `occurs(text)` tries the pattern only where a needle starts,
instead of at every position of a page. tests/parsers/test_speed_equivalence.py checks
each wrapped pattern against these rules.

One trap: under IGNORECASE `re` also matches "ſ" (long s) to s, "ı" (dotless i) and
"İ" to i, and "K" (Kelvin sign) to k. `str.lower()` turns K into "k", but leaves ſ and
ı alone and turns İ into two characters, so for a text holding any of those three the
pre-check says "may match" and the regex decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters `re.IGNORECASE` matches to an ASCII letter that `str.lower()` does not map to it.
_FOLD_ODDITIES = ("\u017f", "\u0131", "\u0130")


def lowered(text: str) -> str | None:
    """`text.lower()`, or None when a substring test on it could miss a regex match."""
    if not text.isascii() and (
        _FOLD_ODDITIES[0] in text or _FOLD_ODDITIES[1] in text or _FOLD_ODDITIES[2] in text
    ):  # spelled out: a generator here cost more than the tests (most lines are not ASCII)
        return None
    if "\n" in text and not text.isascii():
        return _lowered_by_line(text)
    return text.lower()


def _lowered_by_line(text: str) -> str:
    """`text.lower()` of a text of several lines, one line at a time.

    `str.lower` takes a fast path only on an all-ASCII string: on a reply with one "–"
    every character goes the slow way (~5 ns each), where most lines alone are ASCII
    (40 -> 21 us on a full-length page's reply). The one rule that reads a character's
    neighbours (a capital sigma's final form) stops at a newline, which is neither cased
    nor case-ignorable, as it stops at a text's edge (tests/parsers/test_speed_equivalence.py).
    """
    return "\n".join([line.lower() for line in text.split("\n")])


@dataclass(frozen=True)
class LoweredText:
    """A text and its `lowered` form, made once for several patterns run over it (the
    reply: exemptions ask whether it speaks of NCND, the outcome whether it states it)."""

    text: str
    low: str | None

    @classmethod
    def of(cls, text: str) -> LoweredText:
        return cls(text, lowered(text))


class Prefiltered:
    """A compiled pattern whose `search` first checks that one of its needles is present."""

    __slots__ = ("pattern", "needles", "anchored", "on_lowered")

    def __init__(
        self,
        pattern: re.Pattern,
        needles: tuple[str, ...],
        *,
        anchored: bool = False,
        on_lowered: re.Pattern | None = None,
    ) -> None:
        if any(needle != needle.lower() or not needle for needle in needles):
            raise ValueError(f"needles must be lowercase and non-empty: {needles!r}")
        if on_lowered is not None and on_lowered.flags & re.IGNORECASE:
            raise ValueError("on_lowered runs on lowered text: it must not ignore case")
        self.pattern = pattern
        self.needles = needles
        self.anchored = anchored
        # The same pattern written in lower case, without IGNORECASE, for the lowered
        # text, and starting with a literal letter so `re` skips to the positions where
        # that letter stands: `found` runs it (~3.5 times faster on a reply's sentences).
        self.on_lowered = on_lowered

    def may_match(self, text: str) -> bool:
        """False only when the pattern cannot match anywhere in `text`."""
        low = lowered(text)
        return low is None or self._holds_needle(low, 0, len(low))

    def _holds_needle(self, low: str, pos: int, endpos: int) -> bool:
        # A match inside [pos, endpos) holds its needle there too.
        for needle in self.needles:
            if low.find(needle, pos, endpos) >= 0:
                return True
        return False

    def search(self, text: str, *span: int) -> re.Match | None:
        """`pattern.search(text, *span)`, skipped when no needle occurs in `text`.

        An anchored pattern is tried only where a needle starts, leftmost first: the
        first place it matches is the match `pattern.search` finds.
        """
        return self.search_lowered(text, lowered(text), *span)

    def search_lowered(
        self, text: str, low: str | None, pos: int = 0, endpos: int | None = None
    ) -> re.Match | None:
        """`search`, given `low = lowered(text)`: several patterns run over the same
        sentence share one lowering (it was most of their cost on a reply's lines)."""
        end = len(text) if endpos is None else endpos
        if low is None:
            return self.pattern.search(text, pos, end)
        if not self._holds_needle(low, pos, end):  # the common case
            return None
        if not self.anchored:
            return self.pattern.search(text, pos, end)
        for at in self._needle_starts(low, pos, end):
            match = self.pattern.match(text, at, end)
            if match is not None:
                return match
        return None

    def found(self, text: str, low: str | None, pos: int = 0, endpos: int | None = None) -> bool:
        """`search_lowered(...) is not None`, by `on_lowered` over `low` when there is one.

        A match's case-folded letters are its lowered letters (`lowered` gives None
        for the letters where they are not), so the lower-case pattern matches the
        lowered text where the pattern matches the text (a test checks both ways).
        """
        if self.on_lowered is None or low is None:
            return self.search_lowered(text, low, pos, endpos) is not None
        end = len(text) if endpos is None else endpos
        if not self._holds_needle(low, pos, end):
            return False
        return self.on_lowered.search(low, pos, end) is not None

    def occurs(self, text: str) -> bool:
        """`pattern.search(text) is not None`."""
        return self.occurs_in(LoweredText.of(text))

    def occurs_in(self, text: LoweredText) -> bool:
        """`occurs`, on a text lowered once for several patterns.

        Run over a whole reply: an anchored pattern is tried at each needle in turn and
        the first match ends it (no sorted list of every needle's positions).
        """
        if text.low is None or not self.anchored:
            return self.search_lowered(text.text, text.low) is not None
        for needle in self.needles:
            at = text.low.find(needle)
            while at >= 0:
                if self.pattern.match(text.text, at) is not None:
                    return True
                at = text.low.find(needle, at + 1)
        return False

    def _needle_starts(self, low: str, pos: int, endpos: int) -> list[int]:
        # `lowered` keeps every character at its index (only İ changes length, and it
        # gives None), so a needle's index in `low` is its index in the text.
        starts = set()
        for needle in self.needles:
            at = low.find(needle, pos, endpos)
            while at >= 0:
                starts.add(at)
                at = low.find(needle, at + 1, endpos)
        return sorted(starts)
