"""What the response decided: full, partial, refused, not_held, ncnd, cost_limit,
vexatious, invalid or unknown, and whether any "neither confirm nor deny" applies.

Read from the decision statement (the lines from "I have today decided ..." up to
"Reason for decision" or the disclosure, at most a few lines), in this order, because
the wordings overlap: a cost-limit or vexatious refusal, an invalid request, then
"disclose some of" / "the majority" / "partial Refusal Notice" (partial), "disclose the
located information to you in full" (full), "not held" (not_held), "neither confirm nor
deny" with nothing disclosed (ncnd), "decided not to disclose" / "exempt" (refused).
When the statement says none of these, the exemptions and answers decide (s.12 ->
cost_limit, s.14 -> vexatious, only NCND provisions -> ncnd, other exemptions ->
partial or refused, answers all "not held" -> not_held, answers and nothing withheld ->
full), else `unknown`.

`ncnd` is true when an exemption relied on is an NCND provision, or the reply itself
says the MPS will "neither confirm nor deny"; "This should not be taken as an indication
that the information ... does or does not exist" is not an NCND response.
"""

from __future__ import annotations

import re

from parsers.prefilter import LoweredText, Prefiltered, lowered
from parsers.record import Exemption, Question
from parsers.refusal_wording import (
    DUTY_EXCLUDED,
    NCND_STATED,
    NOT_AN_INDICATION,
    REFUSED,
    WITHHELD_WORDS,
)
from parsers.sections import Parts, split_parts

# `Prefiltered`: the patterns with no fixed first character, run over the statement or the
# whole reply, are skipped when none of their words is in the text.
_COST = Prefiltered(
    re.compile(
        r"appropriate limit|cost (?:of complying|limit)|exceed(?:s|ed)? the (?:cost|£450|18 hours)|Section 12\b|\bS\.?12\b",
        re.IGNORECASE,
    ),
    ("appropriate limit", "cost ", "exceed", "12"),
)
_VEXATIOUS = Prefiltered(
    re.compile(r"vexatious|Section 14\b|\bS\.?14\b|repeat(?:ed)? request", re.IGNORECASE),
    ("vexatious", "14", "repeat"),
)
_INVALID = Prefiltered(
    re.compile(
        r"not (?:a )?valid (?:FOI(?:A)? )?request|(?:request|email|application) (?:is|was) not valid|does not (?:constitute|meet the requirements of) a valid"
        r"|not a request for (?:recorded )?information|(?:has been|was|been) withdrawn|(?:have|has) withdrawn (?:your|the|this|their) request|withdr[ae]w (?:your|the) request"
        r"|not (?:covered by|within the scope of) the (?:Freedom of Information )?Act|treated as (?:closed|withdrawn)"
        r"|no clarification (?:was|has been) received|business as usual|not a valid Freedom of Information",
        re.IGNORECASE,
    ),
    (
        "valid",
        "not a request for",
        "withdr",
        "covered by",
        "within the scope",
        "treated as",
        "no clarification",
        "business as usual",
    ),
)
# These two are asked of every statement: a lower-case twin runs on the lowered text
# (see `Prefiltered.found`), each alternative led by its letter (~3 times faster).
# The alternatives both forms share (each already starts with a letter).
_PARTIAL_REST = (
    r"|disclosed? (?:in part|partially)|some (?:of the )?(?:information|data) (?:has been|is being|was) withheld"
    r"|parts? of the (?:requested )?information (?:is|are|has been) (?:exempt|withheld)"
)
_PARTIAL = Prefiltered(
    re.compile(
        r"disclose (?:some|part|the majority|most|a (?:portion|proportion))\b|partial(?:ly)? (?:refusal|disclos)|\bpart disclosure\b"
        + _PARTIAL_REST,
        re.IGNORECASE,
    ),
    ("disclos", "partial", "withheld", "exempt"),
    on_lowered=re.compile(
        r"disclose (?:some|part|the majority|most|a (?:portion|proportion))\b|partial(?:ly)? (?:refusal|disclos)|p(?<!\wp)art disclosure\b"
        + _PARTIAL_REST
    ),
)
_FULL_REST = (
    r"|full disclosure|disclose all (?:of )?the"
    r"|decided to (?:disclose|release|provide) (?:the |all )?(?:requested |located |relevant )?information(?:\s*(?:\.|$|to you\.))"
)
_FULL = Prefiltered(
    re.compile(
        r"\b(?:disclos|provid|releas)\w*\b[^.]{0,80}?\bin full\b" + _FULL_REST,
        re.IGNORECASE,
    ),
    ("in full", "full disclosure", "disclose all", "decided to"),
    on_lowered=re.compile(
        r"d(?<!\wd)isclos\w*\b[^.]{0,80}?\bin full\b|p(?<!\wp)rovid\w*\b[^.]{0,80}?\bin full\b"
        r"|r(?<!\wr)eleas\w*\b[^.]{0,80}?\bin full\b" + _FULL_REST
    ),
)
# "Please find below ..." says something was disclosed, not that everything was: full
# only when no exemption was relied on.
_DISCLOSED = re.compile(
    r"(?:information|answers?) (?:is|are) (?:provided )?(?:below|as follows)"
    r"|please find (?:below|attached) (?:the |our )?(?:information|response|answers)",
    re.IGNORECASE,
)
# "North Yorkshire Police can confirm that the information you requested is held":
# full unless an exemption was relied on.
_HELD = re.compile(
    r"(?:can|is able to|are able to) confirm (?:that )?(?:the |some )?(?:requested )?information"
    r"(?: you (?:have )?requested| requested)? is held|information (?:requested )?is (?:provided|attached|enclosed) below"
    r"|please find (?:the |our )?(?:information|response|answers?)(?: requested)? below",
    re.IGNORECASE,
)
_NOT_HELD = re.compile(
    r"(?:information|data|records?|documents?)(?: you (?:have )?requested| requested)? (?:is|are|was|were) not held"
    r"|no (?:relevant |recorded |such )?(?:information|data|records?|documents?) (?:is |are |was |were |has been |have been )?(?:held|located|found|recorded)"
    r"|(?:does|do|did) not hold (?:any |the |this |that )?(?:information|data|records?|recorded)"
    r"|holds? no (?:recorded |relevant )?(?:information|data|records?)|not held by the (?:MPS|Metropolitan)"
    r"|(?:unable|not able) to locate (?:any|the) (?:information|records?)",
    re.IGNORECASE,
)
_DECISION_LINES = 6


def decide_outcome(
    lines: list[str],
    exemptions: tuple[Exemption, ...],
    questions: tuple[Question, ...],
    parts: Parts | None = None,
    reply_text: LoweredText | None = None,
) -> tuple[str, bool, tuple[str, ...]]:
    """(outcome, ncnd, warnings) for a response's text lines and what was read from them.

    `reply_text`: the reply's lines joined by newlines and lowered, if the caller has it.
    """
    parts = parts or split_parts(lines)
    statement = _statement(lines, parts)
    reply = lines[parts.reply_start : parts.closing]
    ncnd = any(e.ncnd for e in exemptions) or (
        NCND_STATED.occurs_in(reply_text or LoweredText.of("\n".join(reply)))
        and any(NCND_STATED.search(line) and not NOT_AN_INDICATION.search(line) for line in reply)
    )
    outcome = _from_statement(statement, exemptions)
    warnings: tuple[str, ...] = ()
    if outcome is None:
        outcome = _from_exemptions(exemptions, questions, ncnd)
        warnings = (
            ("no decision statement recognised: outcome inferred",)
            if outcome != "unknown"
            else ("no decision statement recognised",)
        )
    return outcome, ncnd, warnings


def _statement(lines: list[str], parts: Parts) -> str:
    if parts.decision >= len(lines):
        return ""
    stops = [i for i in (parts.reasons, parts.disclosure, parts.closing) if i > parts.decision]
    end = min(stops + [parts.decision + _DECISION_LINES])
    if end == parts.disclosure and end < len(lines) and len(lines[end].split()) >= 5:
        end += 1  # "Decision" / "Please find below the information you requested."
    return " ".join(lines[parts.decision : end])


def _from_statement(text: str, exemptions: tuple[Exemption, ...]) -> str | None:
    if not text:
        return None
    sections = {e.section for e in exemptions if not e.ncnd}
    low = lowered(text)
    partial = _PARTIAL.found(text, low)
    if not partial and (_COST.search(text) or (12 in sections and not _FULL.found(text, low))):
        return "cost_limit"
    if not partial and (_VEXATIOUS.search(text) or (14 in sections and not _FULL.found(text, low))):
        return "vexatious"
    if _INVALID.search(text):
        return "invalid"
    if partial:
        return "partial"
    if _FULL.found(text, low):
        return "full"
    if _NOT_HELD.search(text):
        return "not_held"
    if _HELD.search(text) or _DISCLOSED.search(text):
        return "partial" if sections else "full"
    if NCND_STATED.search(text) or DUTY_EXCLUDED.search(text):
        return "ncnd"
    if REFUSED.search(text):
        return "refused"
    return None


def _from_exemptions(
    exemptions: tuple[Exemption, ...], questions: tuple[Question, ...], ncnd: bool
) -> str:
    sections = {e.section for e in exemptions}
    if 12 in sections:
        return "cost_limit"
    if 14 in sections:
        return "vexatious"
    if exemptions and all(e.ncnd for e in exemptions):
        return "ncnd"
    answered = [q for q in questions if q.answer]
    if exemptions:
        return "partial" if answered else "refused"
    if answered and all(_NOT_HELD.search(q.answer or "") for q in answered):
        return "not_held"
    if answered and not ncnd and not any(WITHHELD_WORDS.search(q.answer or "") for q in answered):
        return "full"  # questions answered from what is held, nothing withheld
    return "unknown"
