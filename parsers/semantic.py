"""The semantic fields (request, questions, exemptions, outcome), from the text lines.

The work is done by `parsers.questions`, `parsers.exemptions` and `parsers.outcome`
(their own owner and tests); this module only calls them in order. Until those
modules exist the fields stay empty and a warning says so.
"""
from __future__ import annotations

from parsers.record import Exemption, Question


def analyse(lines: list[str]) -> tuple[str, tuple[Question, ...], tuple[Exemption, ...], str, bool, list[str]]:
    """(request_text, questions, exemptions, outcome, ncnd, warnings) for content lines."""
    warnings: list[str] = []
    try:
        from parsers.questions import parse_questions
    except ImportError:
        request_text, questions = "", ()
        warnings.append("question parser unavailable")
    else:
        request_text, questions, more = parse_questions(list(lines))
        warnings.extend(more)
    try:
        from parsers.exemptions import find_exemptions
    except ImportError:
        exemptions = ()
        warnings.append("exemption parser unavailable")
    else:
        exemptions, more = find_exemptions(list(lines))
        warnings.extend(more)
    try:
        from parsers.outcome import decide_outcome
    except ImportError:
        outcome, ncnd = "unknown", False
        warnings.append("outcome parser unavailable")
    else:
        outcome, ncnd, more = decide_outcome(list(lines), exemptions, questions)
        warnings.extend(more)
    return request_text, tuple(questions), tuple(exemptions), outcome, bool(ncnd), warnings
