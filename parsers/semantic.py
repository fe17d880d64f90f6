"""The semantic fields (request, questions, exemptions, outcome), from the text lines.

The work is done by `parsers.questions`, `parsers.exemptions` and `parsers.outcome`
(their own owner and tests); this module only calls them in order, with the
contract's arguments: the content lines, chrome removed, without the h1 title line
and the "Published:" line.
"""

from __future__ import annotations

from parsers.exemptions import find_exemptions
from parsers.outcome import decide_outcome
from parsers.questions import parse_questions
from parsers.record import Exemption, Question


def analyse(
    lines: list[str],
) -> tuple[str, tuple[Question, ...], tuple[Exemption, ...], str, bool, list[str]]:
    """(request_text, questions, exemptions, outcome, ncnd, warnings) for content lines."""
    warnings: list[str] = []
    request_text, questions, more = parse_questions(list(lines))
    warnings.extend(more)
    exemptions, more = find_exemptions(list(lines))
    warnings.extend(more)
    outcome, ncnd, more = decide_outcome(list(lines), exemptions, questions)
    warnings.extend(more)
    return request_text, tuple(questions), tuple(exemptions), outcome, bool(ncnd), warnings
