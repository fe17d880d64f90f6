"""The semantic fields (request, questions, exemptions, outcome), from the text lines.

The work is done by `parsers.questions`, `parsers.exemptions` and `parsers.outcome`
(their own owner and tests); this module splits the page into its parts once
(`parsers.sections.split_parts`) and calls them in order with the contract's
arguments: the content lines, chrome removed, without the h1 title line and the
"Published:" line, and those parts.
"""

from __future__ import annotations

from dataclasses import dataclass

from parsers.exemptions import find_exemptions
from parsers.outcome import decide_outcome
from parsers.prefilter import LoweredText
from parsers.questions import parse_questions
from parsers.record import Exemption, Question
from parsers.sections import split_parts


@dataclass(frozen=True)
class Analysis:
    """What the semantic parsers read from a page's lines."""

    request_text: str
    questions: tuple[Question, ...]
    exemptions: tuple[Exemption, ...]
    outcome: str
    ncnd: bool
    warnings: tuple[str, ...]


def analyse(lines: list[str]) -> Analysis:
    """The request, questions, exemptions, outcome and NCND flag of content lines."""
    lines = list(lines)
    parts = split_parts(lines)
    request_text, questions, q_warnings = parse_questions(lines, parts)
    # Both ask of the whole reply whether it speaks of NCND: joined and lowered once.
    reply = LoweredText.of("\n".join(lines[parts.reply_start : parts.closing]))
    exemptions, e_warnings = find_exemptions(lines, parts, reply)
    outcome, ncnd, o_warnings = decide_outcome(lines, exemptions, questions, parts, reply)
    return Analysis(
        request_text=request_text,
        questions=tuple(questions),
        exemptions=tuple(exemptions),
        outcome=outcome,
        ncnd=bool(ncnd),
        warnings=(*q_warnings, *e_warnings, *o_warnings),
    )


def failed(message: str) -> Analysis:
    """Empty semantic fields and the reason, when the semantic parsers fail on a page."""
    return Analysis("", (), (), "unknown", False, (message,))
