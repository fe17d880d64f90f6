"""Responses written as an exchange: "You wrote:" / "Our response:", pair after pair.

Wiltshire (and others) quote each part of the request and answer it right below, so the
request is not one block before the decision: each pair is a question and its answer.
Only read when the page has at least two such pairs; a single "You wrote:" is an
ordinary request marker (`parsers.sections`).
"""

from __future__ import annotations

import re

from parsers.record import Question

_ASKED = re.compile(
    r"^(?:You (?:wrote|asked|said)|Your (?:question|request))\s*[:\-\u2013]\s*(?P<rest>.*)$", re.I
)
_ANSWERED = re.compile(
    r"^(?:Our (?:response|reply|answer)|Response|Answer)\s*[:\-\u2013]\s*(?P<rest>.*)$", re.I
)
_ASKED_FIRSTS = frozenset("Yy")
_MIN_PAIRS = 2


def read_exchanges(lines: list[str], end: int) -> tuple[Question, ...]:
    """Questions with their answers from "You wrote:" / "Our response:" pairs before `end`."""
    # `_ASKED` lines start with Y or y (no other letter folds to them, a test checks): the
    # pattern is tried on those alone.
    starting = [line for line in lines[:end] if line[:1] in _ASKED_FIRSTS]
    if len(starting) < _MIN_PAIRS or sum(1 for line in starting if _ASKED.match(line)) < _MIN_PAIRS:
        return ()
    pairs: list[tuple[list[str], list[str]]] = []
    current: list[str] | None = None
    for line in lines[:end]:
        asked, answered = _ASKED.match(line), _ANSWERED.match(line)
        if asked:
            pairs.append(([], []))
            current = pairs[-1][0]
            rest = asked.group("rest").strip()
        elif answered and pairs:
            current = pairs[-1][1]
            rest = answered.group("rest").strip()
        else:
            rest = line
        if current is not None and rest:
            current.append(rest)
    pairs = [(q, a) for q, a in pairs if q]
    if len(pairs) < _MIN_PAIRS or not all(a for _, a in pairs):
        return ()
    return tuple(Question(str(i), "\n".join(q), "\n".join(a)) for i, (q, a) in enumerate(pairs, 1))
