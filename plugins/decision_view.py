"""The response page's decision block: the outcome in words, then the force's reasoning.

The decision statement and the "Reason for decision" are found in the archived body text
with the parser's own section rule (`parsers.sections.split_parts`), so page and parser
agree on where the reasons start and end. The reasons keep their headings ("Harm in
confirming or denying", "Public interest considerations ...", "Balance test"): a short
line with no closing punctuation is one. They are shown open for responses that withheld
something; otherwise folded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from parsers.sections import split_parts

OUTCOME_WORDS = {
    "full": "Disclosed in full",
    "partial": "Disclosed in part: some information withheld",
    "refused": "Refused: the information was withheld",
    "not_held": "Not held: the force says it does not hold the information",
    "ncnd": "Neither confirmed nor denied: the force would not say whether it holds the information",
    "cost_limit": "Refused: answering would cost more than the limit (section 12)",
    "vexatious": "Refused as vexatious or repeated (section 14)",
    "invalid": "Not a valid request, or withdrawn",
    "unknown": "Not recognised by foilog's parser: read the full response",
}
# Outcomes where something was withheld: their reasoning is what the reader needs first.
WITHHELD = frozenset(("partial", "refused", "ncnd", "cost_limit", "vexatious"))
# A decision written over more lines than this runs into the answers: show its first line.
_STATEMENT_LINES = 6
_HEADING_WORDS = 12
_HEADING_CHARS = 90
_CLOSING_PUNCTUATION = tuple(".,;:?!\"'”’…")
_ENDS_PARAGRAPH = tuple('.?!)"”’')
# A line ending in one of these words runs on into the next: not a heading.
_CONTINUES = frozenset(
    "a an and as at by for from in into of on or that the this to under with".split()
)
_CITATION = re.compile(
    r"^(?:(?:Sections?|S\.?)\s?\d{1,2}\b[^.]{0,80}$|.*\bRefusal Notice\b)", re.IGNORECASE
)


@dataclass(frozen=True)
class Paragraph:
    text: str
    heading: bool = False


@dataclass(frozen=True)
class Decision:
    outcome: str
    words: str
    statement: tuple[Paragraph, ...]
    reasons: tuple[Paragraph, ...]
    reasons_open: bool


def decision_for(response: dict, answered: bool) -> Decision:
    """The decision block of one `responses` row; `answered`: some question has an answer."""
    outcome = response.get("outcome") or "unknown"
    lines = [line for line in (response.get("body_text") or "").split("\n") if line.strip()]
    statement, reasons = _statement_and_reasons(lines, outcome, answered)
    return Decision(
        outcome=outcome,
        words=OUTCOME_WORDS.get(outcome, OUTCOME_WORDS["unknown"]),
        statement=tuple(Paragraph(line) for line in statement),
        reasons=_paragraphs(reasons),
        reasons_open=outcome in WITHHELD or bool(response.get("ncnd")),
    )


def _statement_and_reasons(
    lines: list[str], outcome: str, answered: bool
) -> tuple[list[str], list[str]]:
    if not lines:
        return [], []
    parts = split_parts(lines)
    if parts.decision >= len(lines):
        return [], []
    after = [i for i in (parts.reasons, parts.disclosure, parts.closing) if i > parts.decision]
    block = lines[parts.decision : min(after, default=len(lines))]
    if parts.reasons < 0 and outcome in WITHHELD and not answered:
        # No "Reason for decision" heading: the reasoning follows the decision and the
        # sections it cites.
        cited = 1
        while cited < len(block) and _cites(block[cited]):
            cited += 1
        return block[:cited], block[cited:]
    statement = block if len(block) <= _STATEMENT_LINES else block[:1]
    if parts.reasons >= 0:
        end = parts.disclosure if parts.disclosure > parts.reasons else parts.closing
        return statement, lines[parts.reasons + 1 : end]
    return statement, []


def _cites(line: str) -> bool:
    """ "Section 24(2) - National Security", "This should be taken as a Refusal Notice ..."."""
    return len(line) <= _HEADING_CHARS * 2 and bool(_CITATION.match(line))


def _paragraphs(lines: list[str]) -> tuple[Paragraph, ...]:
    return tuple(
        Paragraph(
            line,
            _is_heading(
                line, lines[i - 1] if i else "", lines[i + 1] if i + 1 < len(lines) else ""
            ),
        )
        for i, line in enumerate(lines)
    )


def _is_heading(line: str, before: str, following: str) -> bool:
    """ "Balance test", "Harm in confirming or denying that information is held": short,
    unpunctuated, after a finished paragraph (not an item of "... includes the following")
    and followed by a new sentence (not a line broken before "of ...")."""
    last_word = line.rsplit(None, 1)[-1].lower() if line.strip() else ""
    return (
        bool(following)
        and (not before or len(before) <= _HEADING_CHARS or before.endswith(_ENDS_PARAGRAPH))
        and (following[:1].isupper() or following[:1].isdigit() or following[:1] in "“\"'(")
        and last_word not in _CONTINUES
        and len(line) <= _HEADING_CHARS
        and len(line.split()) <= _HEADING_WORDS
        and (line[:1].isupper() or line[:1].isdigit())
        and not line.endswith(_CLOSING_PUNCTUATION)
        and " | " not in line
    )
