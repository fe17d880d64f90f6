"""Split a response's text lines into its parts: request, decision, reasons, disclosure.

An MPS response reads "I note you seek access to the following information:" then the
request, "I have today decided to disclose ..." (the decision), an optional
"Reason for decision", an optional "Disclosure" with the answers, then complaint-rights
boilerplate. Other forces on the same platform write "Request:" / "Response:" or open
with "Dear FOI team". Every marker is optional: when one is missing the next one found
bounds the part, and a decision marker that never comes is replaced by the first line
that can only belong to a reply (an exemption list, a restated "Q1 -").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_REQUEST_MARKER = re.compile(
    r"^(?:I note (?:that )?you (?:seek|are seeking|have requested|requested) access to"
    r"|I note you seek the following"
    r"|(?:Your |The |Original |Current |Revised |Amended )?(?:FOI )?"
    r"(?:Request(?: for information)?|Information requested|Requested information)\s*[:\-–]"
    r"|You (?:asked|requested|wrote)\b.{0,40}[:\-–]\s*$"
    r"|Your request\b.{0,80}:\s*$"
    r"|Dear (?:FOI|Freedom of Information|Sir|Madam|Information|Data|Disclosure)\b"
    # Other forces: a bare heading ("REQUEST", "Request", "Information Request"), "Original
    # FOI request (622/25)", or the intro "I write in connection with your request ... as
    # follows:" / "... Below is your request and our response." (Cleveland, Warwickshire).
    r"|(?:Information |Original |FOI )*Request\s*(?:\([^)]{1,40}\))?\s*$"
    r"|I write in connection with (?:regards to )?your\b.{0,160}(?:as follows\s*:|below is your request\b.*)$"
    r"|(?:Please accept\b.{0,200})?Please find your questions and\b.{0,80}\bbelow\.?$"
    # Welsh pages: "Cais:" (request).
    r"|Cais\s*(?:[:\-\u2013]|$))",
    re.IGNORECASE,
)
# Older pages open "I write in connection with your request ... I note you seek access to
# the following information:" on one line.
_NOTE_INLINE = re.compile(
    r"\bI note (?:that )?you (?:seek|are seeking|have requested|requested) access to[^:]{0,60}:",
    re.IGNORECASE,
)
# "Dear FOI team," opens a request letter: the salutation itself is not kept.
_SALUTATION = re.compile(r"^Dear\b", re.IGNORECASE)
# Lines that come before a request with no marker: the reference number and the like.
_HEADER_LINE = re.compile(
    r"^(?:Freedom of information request reference|FOI Reference|(?:Our )?Ref(?:erence)?\b"
    r"|Request reference|Date (?:of request|received|of response)|Published"
    # Other forces' header fields: "Enquiry Reference: 536-25", "Freedom of Information
    # (FOI) Act request ref: ...", "Version Date: 07/02/2025", "Date: 11/06/25", Essex's
    # "Publication Number: 1512" / "FOI Number: 18280" / "PUB 1278" and the bare number.
    r"|(?:[\w()]++ ){0,8}?(?:reference|ref)(?: no\.?| number)?\s*[:\-\u2013]"
    r"|(?:Version )?Date\s*:|(?:Publication|FOI|Request) Number\s*:|PUB\s?\d+\s*$|\d{3,7}\s*$"
    # Essex's keywords line: "Drones, Unmanned, Aerial Vehicles, UAV's, Owned, ..."
    r"|(?:[\w\u2019'/\- ]{1,40}+, ){3,}[\w\u2019'/\- ]{1,40}+\.?$)",
    re.IGNORECASE,
)
_DECISION_STRONG = re.compile(
    r"^(?:I have (?:today |now )?(?:decided|considered|made the decision)"
    r"|Having (?:now |carefully )?(?:considered|located|reviewed|searched|looked|examined|completed)"
    r"|After (?:careful|having|due) (?:consideration|considered)"
    r"|Decision\s*(?:[:\-–].*)?$"
    r"|Outcome\s*[:\-–]?\s*$"
    r"|Section 1 of the Freedom of Information Act(?: 2000)?(?: \(FOIA\))?,? places two duties"
    r"|I (?:regret|am (?:sorry|writing)) to (?:advise|inform|confirm)"
    r"|Response(?:\s+(?:to\s+)?(?:(?:questions?|Q)\s*)?\d[\w\s,&–\-]{0,20})?\s*[:\-–]"
    r"|Response\s*$"
    # Welsh pages: "Ymateb:" (response), "Penderfyniad" (decision).
    r"|(?:Ymateb|Penderfyniad)\s*(?:[:\-\u2013]|$)"
    # Warwickshire: "Q1a response: 9", "Please find the Warwickshire Police response set out below."
    r"|Q\s?\d{1,2}[a-z]?\s+response\s*:"
    r"|(?:Please accept my sincere apologies\b.*)?Please find the [\w\- ]{0,40}\bresponses? (?:set out )?below"
    # Essex's outcome label: "Full Disclosure", "Part Disclosure with Section 23(5) ... Exemptions".
    r"|(?:Full|Part(?:ial)?|Nil) (?:Disclosure|Return)\b.{0,160}$"
    r"|Our (?:response|reply|decision)\b"
    r"|In (?:accordance|line) with the Freedom of Information Act"
    r"|As you have (?:now )?(?:withdrawn|not (?:provided|responded|clarified|replied))"
    r"|(?:Your|This) request (?:has (?:now )?been|was|is) (?:withdrawn|closed|treated as)"
    r"|(?:The MPS|We) (?:has|have) (?:now )?closed (?:your|this|the) request)",
    re.IGNORECASE,
)
_DECISION_WEAK = re.compile(
    r"^(?:Please find (?:below|attached|enclosed) (?:the |our )?(?:information|response|answers?|"
    r"disclosure|details|requested|data|a copy of the (?:requested|information))"
    r"|In (?:response|answer|relation|reply) to your (?:request|questions?|FOI)"
    r"|[A-Z][\w\-]++(?: (?:&|and|[A-Z][\w\-]++)){0,3} (?:Police|Constabulary) (?:can (?:neither )?confirm|does not hold|holds? (?:no|the|some)\b"
    r"|has (?:located|considered|now)|is (?:unable|able|not obliged)|will (?:neither|not))"
    r"|This (?:letter|response|notice) (?:serves|represents|is|acts)"
    r"|I can (?:now )?confirm that (?:the )?(?:MPS|Metropolitan Police|information)"
    r"|(?:The )?(?:MPS|Metropolitan Police Service) (?:can (?:neither|not|confirm)|cannot |is unable to |does not hold"
    r"|has (?:now )?located ))",
)
# Lines that can only belong to the reply: they bound a request with no decision marker.
_REPLY_CUE = re.compile(
    r"^(?:Q\s*\.?\s*1\s*[a-z]?\s*[.:\-–)]|Question 1\s*[.:\-–)]"
    r"|(?:This|The) (?:information|data) (?:is|was) (?:exempt|not held)|(?:The )?MPS (?:can )?neither confirm"
    r"|No (?:relevant )?information (?:is |was )?held)"
    r"|\bby virtue of the following exemptions?\b",
    re.IGNORECASE,
)
_FIRST_QUESTION = re.compile(
    r"^(?:Q\s*\.?\s*1\s*[a-z]?\s*[.:\-–)]|Question 1\s*[.:\-–)])", re.IGNORECASE
)
_ONE = re.compile(r"^\(?1\s?[.):\-–•/]")
_REASONS = re.compile(r"^Reasons? for (?:the |my |our )?decision\b", re.IGNORECASE)
_DISCLOSURE = re.compile(
    r"^(?:Disclosure\s*[:\-–]?\s*$|Disclosure of information\b"
    r"|Please find (?:below|attached) (?:the )?(?:information pursuant|disclosed answers|"
    r"answers|responses?|information (?:you|requested|in relation)|information held)"
    r"|(?:The )?(?:information|answers?) (?:requested|to your questions) (?:is|are) (?:as follows|below)"
    r"|Results? of (?:the |our )?search(?:es)?\b|Answers?\s*[:\-–]?\s*$|Responses? to (?:your )?(?:questions|request)\s*[:\-–]?\s*$)",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(?:COMPLAINT RIGHTS|Complaint rights|Your right to (?:complain|request a review)"
    r"|Right (?:of|to) (?:complain|complaint|appeal|review)"
    r"|If you are (?:dissatisfied|unhappy|not (?:happy|satisfied))"
    r"|Are you unhappy with"
    r"|Should you have any further (?:enquiries|questions|queries)"
    r"|If you have any (?:further )?(?:questions|queries|enquiries)"
    r"|Yours (?:sincerely|faithfully)|Kind regards\b|Regards\s*$"
    r"|In complying with (?:their|its|our) statutory duty"
    r"|Other means of accessing information"
    r"|Copyright (?:notice|statement)?\s*$|Information Rights Unit\s*$"
    r"|(?:Legal |Legislative )?(?:Annex|Appendix)(?:\s+[A-Z0-9]{1,3})?\s*[:\-–]?\s*(?:Legislation|Relevant legislation)?\s*$"
    r"|(?:The )?(?:Relevant )?Legislation\s*$)",
    re.IGNORECASE,
)
# A clarification or re-definition of the request: numbered lines after it continue the
# questions only when they carry on the sequence.
CLARIFICATION = re.compile(
    r"^(?:\*+\s*)?(?:Clarification|Clarified|Clarifying|Re-?defined|Refined|Amended request|Revised request"
    r"|You responded|You replied|Your (?:clarification|response|reply)|Update[ds]?\b|PREVIOUS REQUEST"
    r"|On \d{1,2}[/.]\d{1,2}[/.]\d{2,4} you)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Parts:
    """Line indices bounding each part; `end` values are exclusive. -1 means absent."""

    request_start: int
    decision: int  # first line of the reply (== request end)
    reasons: int
    disclosure: int
    closing: int  # first line of closing boilerplate (len(lines) when none)
    request_shares_marker: bool = False  # "Request: 1) The number ..." - drop "Request:"

    @property
    def reply_start(self) -> int:
        return self.decision

    @property
    def answers_start(self) -> int:
        return self.disclosure if self.disclosure >= 0 else self.decision

    @property
    def answers_end(self) -> int:
        """The closing, or the reasons when they follow the disclosure."""
        return self.reasons if 0 <= self.disclosure < self.reasons else self.closing


def split_parts(lines: list[str]) -> Parts:
    """Find the request, decision, reasons, disclosure and closing lines.

    Lines that can only be part of the reply (exemption lists, a restated "Q1 -") bound
    the request when no decision marker exists. Computed once a page
    (`parsers.semantic.analyse`) and passed to the three semantic parsers.
    """
    start, shares = _request_start(lines)
    decision = _first(lines, _DECISION_STRONG, start)
    if decision < 0:
        decision = _first(lines, _DECISION_WEAK, start)
    if decision < 0:
        decision = _first_reply_cue(lines, _REPLY_CUE, start)
    if decision < 0:
        decision = len(lines)
    closing = _first(lines, _CLOSING, decision)
    if closing < 0:
        closing = len(lines)
    reasons = _first(lines, _REASONS, decision, closing)
    disclosure = _first(lines, _DISCLOSURE, max(decision + 1, reasons), closing)
    if disclosure < 0:
        # The answers may come before the reasons ("Disclosure" ... "Reason for decision").
        disclosure = _first(lines, _DISCLOSURE, decision, reasons if reasons >= 0 else closing)
    return Parts(start, decision, reasons, disclosure, closing, shares)


def _first_reply_cue(lines: list[str], cue: re.Pattern, start: int) -> int:
    """The first reply line; a restated "Q1 -" counts only once the request had its own 1."""
    asked_one = False
    for i in range(max(start, 0), len(lines)):
        line = lines[i]
        if cue.search(line):
            if not _FIRST_QUESTION.match(line) or asked_one:
                return i
        if _FIRST_QUESTION.match(line) or _ONE.match(line):
            asked_one = True
    return -1


def _request_start(lines: list[str]) -> tuple[int, bool]:
    """First request line, and whether that line still begins with its marker."""
    for i, line in enumerate(lines):
        inline = _NOTE_INLINE.search(line)
        if inline is not None and inline.start() > 0:
            return (i, True) if line[inline.end() :].strip() else (i + 1, False)
        if _REQUEST_MARKER.match(line):
            # A marker line that also holds the request ("Request: 1) The number ...")
            # starts the request itself; a bare marker starts it on the next line.
            if _SALUTATION.match(line):
                return _after_salutation(lines, i + 1)
            rest = line.split(":", 1)[1].strip() if ":" in line else ""
            return (i, True) if rest else (i + 1, False)
        if _DECISION_STRONG.match(line):
            break
    i = 0
    while i < len(lines) and _HEADER_LINE.match(lines[i]):
        i += 1
    return i, False


def _after_salutation(lines: list[str], start: int) -> tuple[int, bool]:
    """After "Dear Sir/Madam": past header lines, and past an intro marker that follows."""
    i = start
    while i < len(lines) and i < start + 3 and _HEADER_LINE.match(lines[i]):
        i += 1
    if i < len(lines) and _REQUEST_MARKER.match(lines[i]) and not _SALUTATION.match(lines[i]):
        rest = lines[i].split(":", 1)[1].strip() if ":" in lines[i] else ""
        return (i, True) if rest else (i + 1, False)
    return i, False


def request_marker_rest(line: str) -> str:
    """The request text that shares a line with its marker ("Request: 1) ..." -> "1) ...")."""
    inline = _NOTE_INLINE.search(line)
    if inline is not None and inline.start() > 0:
        return line[inline.end() :].strip()
    if _REQUEST_MARKER.match(line) and not _SALUTATION.match(line) and ":" in line:
        return line.split(":", 1)[1].strip()
    return line


def _first(lines: list[str], pattern: re.Pattern, start: int, end: int | None = None) -> int:
    stop = len(lines) if end is None else end
    heads = _HEADS.get(pattern)
    for i in range(max(start, 0), stop):
        line = lines[i]
        if heads is not None:
            head = line[:2]
            if head not in heads and head.isascii():
                continue  # the pattern cannot match this line
        if pattern.match(line):
            return i
    return -1


# The first two letters (in any case) of every line the closing or the disclosure marker can
# match: the closing is looked for on every line of the reply (~0.5 us a line), and
# three lines in four start otherwise (~25 -> ~13 us a full-length page). A non-ASCII
# start may be a letter `re.IGNORECASE` folds to an ASCII one (ſ, K, ı, İ): those lines
# go to the pattern. tests/parsers/test_speed_equivalence.py checks the heads.
def _in_every_case(heads: tuple[str, ...]) -> frozenset[str]:
    return frozenset(a + b for x, y in heads for a in (x, x.upper()) for b in (y, y.upper()))


_HEADS = {
    _CLOSING: _in_every_case(
        ("co", "yo", "ri", "if", "ar", "sh", "ki", "re", "in", "ot", "le", "an", "ap", "th")
    ),
    _DISCLOSURE: _in_every_case(("di", "pl", "th", "in", "an", "re")),
}
