"""A reply line that names a run of questions: "Q5 – Q5d", "Questions 7 – 10:", "Q1a-c".

Such a line opens one answer for every question from the first to the last (in the
request's order, lettered parts included), either in line ("Q1-3: Please see the
attached spreadsheet", "Questions 7 – 10 fall outside the Act ...") or in the lines
below it. Two numbers joined by "and"/"&" name just those two.

`numbering.read_label` deliberately reads none of these as a label ("Q1-3" is not
question 1), so they are read here, with care not to take an answer that starts with a
number ("Q1 - 2 officers") for a range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RANGE = re.compile(
    r"^(?:(?:Answers?|Responses?|Reply|(?P<sentence>In (?:response|relation|answer) to))\s(?:to\s)?)?"
    r"(?P<prefix>Questions?|Qs?|Q\.)\s?(?P<first>\d{1,2}(?:\.\d{1,2})?[a-z]?)"
    r"(?P<gap>\s?)(?P<joint>-|–|—|to|and|&)(?P<gap2>\s?)"
    r"(?P<again>(?:Questions?|Q)\s?)?(?P<last>\d{1,2}(?:\.\d{1,2})?[a-z]?|[a-z])\b"
    r"(?P<rest>.*)$",
    re.IGNORECASE,
)
# The first characters a line `_RANGE` matches can start with ("Answers", "Responses",
# "Reply", "In response to", "Questions", "Q"; İ and ı are letters re.IGNORECASE reads as
# i): `read_range` turns the others away without trying the pattern (a test checks).
RANGE_FIRSTS = frozenset("AIQRaiqrİı")
# After the range: punctuation that separates the label from an answer in line.
_SEPARATOR = re.compile(r"^\s?[:.)\-–—,]+\s*")


@dataclass(frozen=True)
class Span:
    """The questions a range line names, and its answer in line (None: the answer follows)."""

    numbers: tuple[str, ...]
    answer: str | None


def read_range(line: str, order: list[str]) -> Span | None:
    """The run of questions `line` starts with, when both ends are questions in `order`."""
    if line[:1] not in RANGE_FIRSTS:
        return None
    m = _RANGE.match(line)
    if m is None:
        return None
    first, last = m.group("first").lower(), m.group("last").lower()
    if last.isalpha():  # "Q1a-c": the parts of one question
        if not first[-1].isalpha() or m.group("again"):
            return None
        last = first[:-1] + last
    if first not in order or last not in order:
        return None
    start, end = order.index(first), order.index(last)
    if end <= start or not _reads_as_range(m):
        return None
    joint = m.group("joint").lower()
    numbers = (first, last) if joint in ("and", "&") else tuple(order[start : end + 1])
    if m.group("sentence"):
        return Span(numbers, line.strip())  # "In response to questions 7 - 10, the MPS ..."
    return Span(numbers, _answer_in_line(line, m.group("rest")))


def _reads_as_range(m: re.Match) -> bool:
    """ "Q1 - 2 officers" answers question 1; "Q1-3", "Qs 1 - 3", "Q5 – Q5d" name a run."""
    if m.group("prefix").lower() in ("questions", "qs") or m.group("again"):
        return True
    if m.group("joint").lower() in ("to", "and", "&"):
        return True
    if not (m.group("gap") or m.group("gap2")):
        return True  # "Q1-3", "Q1–3"
    # "Q2 - 3" alone may be the answer 3: a spaced single range needs "Q2 - 3:" to count.
    return bool(_SEPARATOR.match(m.group("rest")))


def _answer_in_line(line: str, rest: str) -> str | None:
    """The answer written on the range line itself, if any.

    "Q1-3: Please see ..." -> "Please see ..."; a sentence that starts with the range
    ("Questions 7 – 10 fall outside the Act ...") is kept whole.
    """
    if not rest.strip():
        return None
    separated = _SEPARATOR.match(rest)
    if separated:
        return rest[separated.end() :].strip() or None
    return line.strip()
