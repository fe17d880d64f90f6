"""Which FOIA exemptions a response relies on, and which of them neither confirm nor deny.

Where they are read from, in the reply only (never the request, which may quote an
earlier refusal or another Act, nor the complaint-rights boilerplate, which cites s.50):
- the list after "... by virtue of the following exemptions:", one provision a line;
- the NCND list after "... the duty in Section 1(1)(a) ... does not apply, by virtue of
  the following exemptions" (every item flagged NCND);
- any other mention in the decision and reasons ("exempt under S31", "I have applied the
  exemption provided under Section 40(2)", "the appropriate limit (Section 12)");
- in the disclosure (the answers), only a mention that says it is relied on: "This is
  exempt ... under S40(2)", "withheld under Section 31", or "S40(2) Personal
  Information"; a restated question about "Section 35 dispersal orders" is not.
When the page has an exemption list, a section it does not list counts only with the
same reliance words or its name ("I have also applied Section 38(1)(a)"), so "the ICO's
guidance on section 30" is not read as reliance. With no decision found at all, only
mentions with reliance words count.

One `Exemption` per provision and NCND flag: s.31(1) relied on and s.31(3) NCND are two
entries. Each carries the citation and subsection of its most telling mention: the
first one in an exemption list, else the first with a subsection, else the first.
A mention's NCND flag comes from the provision (s.24(2), s.31(3), s.40(5)...), from
sitting in an NCND list, or, for a bare "Section 23", from a sentence that says
"neither confirm nor deny"; a page that never speaks of confirming or denying flags
nothing (its "Section 42(2) - Legal Professional Privilege" is the plain exemption).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from parsers.citations import Citation, find_citations
from parsers.foia import NAME_WORDS, is_ncnd_provision, lookup
from parsers.prefilter import LoweredText, Prefiltered, lowered
from parsers.record import Exemption
from parsers.refusal_wording import NCND_SENTENCE, SPEAKS_OF_NCND
from parsers.sections import Parts, split_parts

# The IGNORECASE patterns run over whole lines or pages are `Prefiltered`: a substring
# test for their words skips the regex on the many lines that hold none of them, and an
# anchored one (every match starts with one of the words) is tried only at those words.
_LIST_HEADER = Prefiltered(
    re.compile(
        r"(?:(?:following|below|these) (?:exemptions?|sections?|provisions?)(?: of the (?:Act|FOIA))?(?: (?:apply|applies))?"
        r"|^Exemptions? (?:applied|used|engaged|relied (?:up)?on|cited)|by virtue of(?=\s*:?\s*$))\s*[:\-–]?\s*(.*)$",
        re.IGNORECASE,
    ),
    ("following", "below", "these", "exemption", "by virtue of"),
    anchored=True,
)
# Where a `_LIST_HEADER` match can start, lowered: a list word, a space and its noun; an
# "Exemptions applied" line's start; "by virtue of".
_HEADER_NOUNS = (" exemption", " section", " provision")
_HEADER_WORDS = ("following", "below", "these")
# The words that can announce a list; `_has_list_word` tests for them without a regex.
_LIST_WORDS = re.compile(r"[Ff]ollowing|[Bb]elow|[Tt]hese")
_LIST_ITEM = re.compile(r"^[\s•·●▪◦\-–*]*(?:sections?|sect?\.?|ss?\.|s)\s?\d", re.IGNORECASE)
# List items written without the word: "31(1)(a)(b) - Law Enforcement".
_BARE_ITEM = re.compile(r"^[\s•·●▪◦\-–*]*(\d{2}A?\s?(?:\(|[-–—:]))")
_BARE_PREFIX = "Section "
# Or name first: "Law Enforcement - Section 31(1)(a)(b)" (a short line with a citation).
_NAME_FIRST_ITEM = re.compile(
    r"^[\s•·●▪◦\-–*]*[A-Z][\w&,' ]{2,60}?\s?[-–—:(]\s?(?:sections?|s\.?)\s?\d", re.IGNORECASE
)
# In the answers a citation counts only with words that say it is being relied on.
_RELIANCE_CUE = Prefiltered(
    re.compile(
        r"\b(?:is|are|being|been|was|were|remains?) exempt|exempt (?:under|by virtue|from disclosure)"
        r"|\b(?:appl(?:y|ied|ies|ying)|engag(?:e|ed|es|ing)|reli(?:ed|es)|rely(?:ing)?|claim(?:ed|ing)?|cit(?:ed|ing)"
        r"|withh[oe]ld(?:ing)?|redact(?:ed|ion|ions)?|refus(?:ed|ing|al))\b|by virtue of|confirm nor deny|\bNCND\b"
        r"|appropriate limit|cost limit|vexatious",
        re.IGNORECASE,
    ),
    (
        "exempt",
        "appl",
        "engag",
        "reli",
        "rely",
        "claim",
        "cit",
        "withh",
        "redact",
        "refus",
        "by virtue of",
        "confirm nor deny",
        "ncnd",
        "appropriate limit",
        "cost limit",
        "vexatious",
    ),
    # The same in lower case for the lowered sentence, each alternative starting with its
    # letter (a `\b` before a word's first letter is `(?<!\wX)` after it): `re` then jumps
    # between those letters instead of trying every position (16 -> ~5 us a sentence).
    on_lowered=re.compile(
        r"i(?<!\wi)s exempt|a(?<!\wa)re exempt|b(?<!\wb)e(?:ing|en) exempt|w(?<!\ww)(?:as|ere) exempt"
        r"|r(?<!\wr)emains? exempt|exempt (?:under|by virtue|from disclosure)"
        r"|a(?<!\wa)ppl(?:y|ied|ies|ying)\b|e(?<!\we)ngag(?:e|ed|es|ing)\b"
        r"|r(?<!\wr)el(?:i(?:ed|es)|y(?:ing)?)\b|c(?<!\wc)(?:laim(?:ed|ing)?|it(?:ed|ing))\b"
        r"|w(?<!\ww)ithh[oe]ld(?:ing)?\b|r(?<!\wr)e(?:dact(?:ed|ion|ions)?|fus(?:ed|ing|al))\b"
        r"|by virtue of|confirm nor deny|n(?<!\wn)cnd\b|appropriate limit|cost limit|vexatious"
    ),
)
_NOT_RELIED = Prefiltered(
    re.compile(
        r"\bnot (?:been |be )?(?:applied|relied|engaged|claimed|cited|used)\b", re.IGNORECASE
    ),
    ("not ",),
)
_CONDITIONAL = Prefiltered(
    re.compile(
        r"\b(?:would|could|may|might)\s(?:also\s|not\s)?(?:apply|be\s(?:engaged|applied|relied|cited|considered))\b|\bif\s(?:it|they)\swere\b",
        re.IGNORECASE,
    ),
    ("would", "could", "may", "might", "were"),
    on_lowered=re.compile(
        r"(?:w(?<!\ww)ould|c(?<!\wc)ould|m(?<!\wm)(?:ay|ight))\s(?:also\s|not\s)?"
        r"(?:apply|be\s(?:engaged|applied|relied|cited|considered))\b|i(?<!\wi)f\s(?:it|they)\swere\b"
    ),
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
# The same boundaries with the stop itself matched (a boundary starts one character in):
# a pattern that starts with a character class is searched for far faster than one
# that starts with a look-behind, tried at every position of a long line.
_STOP_THEN_SPACE = re.compile(r"[.!?]\s+(?=[A-Z])")


@dataclass(slots=True)  # not frozen: one per citation read; a frozen __init__ costs 2.4x
class _Mention:
    citation: Citation
    listed: bool
    ncnd: bool
    relied: bool = False  # the sentence says it is relied on (or names the exemption)
    conditional: bool = False  # "... section 30 would apply if ...": a possibility, not reliance


def find_exemptions(
    lines: list[str], parts: Parts | None = None, reply: LoweredText | None = None
) -> tuple[tuple[Exemption, ...], tuple[str, ...]]:
    """The exemptions relied on, in order of first mention, and any warnings.

    `reply`: the reply's lines (decision to closing) joined by newlines and lowered, when
    the caller has it (`parsers.semantic`: the outcome reads it too).
    """
    parts = parts or split_parts(lines)
    start, end = parts.reply_start, parts.closing
    warnings: list[str] = []
    decided = start < len(lines)
    if not decided:
        start, warnings = (
            parts.request_start,
            ["no decision found: exemptions read from the whole text"],
        )
    # The answers: from the disclosure to the closing (or to the reasons that follow it).
    answers = range(parts.disclosure, parts.answers_end) if parts.disclosure >= 0 else range(0)
    if not decided:
        answers = range(start, end)
    if reply is None or not decided:
        reply = LoweredText.of("\n".join(lines[start:end]))
    page_ncnd = SPEAKS_OF_NCND.occurs_in(reply)
    mentions = _mentions(lines, start, end, answers, page_ncnd, decided=decided)
    if any(m.listed for m in mentions):
        # With an exemption list on the page, another section mentioned in passing ("the
        # ICO's guidance on section 30") counts only when the sentence says it is relied on.
        mentions = [m for m in mentions if m.listed or (m.relied and not m.conditional)]
    exemptions = _merge(mentions)
    if not any(m.listed for m in mentions) and _has_list_header(lines, start, end):
        warnings.append("an exemption list was announced but no section was read from it")
    return exemptions, tuple(warnings)


def _mentions(
    lines: list[str], start: int, end: int, answers: range, page_ncnd: bool, *, decided: bool
) -> list[_Mention]:
    """Mentions line by line; with no decision found, no lists and only explicit reliance."""
    found: list[_Mention] = []
    list_mode: bool | None = None  # None: not in a list; else the list's NCND flag
    for i in range(start, end):
        line = lines[i]
        header = _list_header(line) if decided and _has_list_word(line) else None
        if list_mode is not None:
            bare = _BARE_ITEM.match(line)
            if bare is not None and len(line) < 200:
                line = line[: bare.start(1)] + _BARE_PREFIX + line[bare.start(1) :]
                found.extend(
                    _from_text(
                        line, page_ncnd, listed=True, force_ncnd=list_mode, added_keyword=True
                    )
                )
                continue
            elif not (_LIST_ITEM.match(line) or (len(line) < 200 and _NAME_FIRST_ITEM.match(line))):
                list_mode = None
        if header is not None:
            head_text = line[: header.start()]
            # Only the sentence that announces the list says what kind it is: "... the duty
            # in Section 1(1)(a) of the Act. I have today decided to disclose some ..." (a
            # real template slip) announces a plain list.
            ncnd_list = NCND_SENTENCE.search(_SENTENCE_END.split(head_text)[-1]) is not None
            found.extend(
                _from_text(
                    head_text, page_ncnd, listed=False, cue_only="any" if i in answers else ""
                )
            )
            found.extend(_from_text(header.group(1), page_ncnd, listed=True, force_ncnd=ncnd_list))
            list_mode = ncnd_list
            continue
        if list_mode is not None:
            found.extend(_from_text(line, page_ncnd, listed=True, force_ncnd=list_mode))
            continue
        cue = "words" if not decided else ("any" if i in answers else "")
        found.extend(_from_text(line, page_ncnd, listed=False, cue_only=cue))
    return found


def _from_text(
    text: str,
    page_ncnd: bool,
    *,
    listed: bool,
    force_ncnd: bool = False,
    cue_only: str = "",
    added_keyword: bool = False,
) -> list[_Mention]:
    """`cue_only`: "" any mention, "any" reliance words or the exemption's name, "words" words only."""
    citations = find_citations(text) if text else []
    if not citations:
        return []
    low = lowered(text)  # once: the sentence tests below share it
    mentions: list[_Mention] = []
    for start, end in _sentence_spans(text, citations):
        sentence = text[start:end]
        low_sentence = low[start:end] if low is not None else None
        here = [c for c in citations if start <= c.start < end]
        if not listed and _NOT_RELIED.search_lowered(sentence, low_sentence):
            continue
        relied = listed or _relied_on(text, low, start, end, here)
        if (cue_only == "words" and not _RELIANCE_CUE.found(sentence, low_sentence)) or (
            cue_only == "any" and not relied
        ):
            continue
        ncnd_sentence = NCND_SENTENCE.search_lowered(sentence, low_sentence) is not None
        conditional = _CONDITIONAL.found(sentence, low_sentence)
        for citation in here:
            ncnd = force_ncnd or (
                page_ncnd
                and (
                    is_ncnd_provision(citation.section, citation.subsection)
                    or (ncnd_sentence and citation.subsection in ("", "A"))
                )
            )
            if added_keyword and citation.text.startswith(_BARE_PREFIX):  # the citation as written
                citation = replace(citation, text=citation.text[len(_BARE_PREFIX) :])
            mentions.append(_Mention(citation, listed, ncnd, relied, conditional))
    return mentions


def _relied_on(
    text: str, low: str | None, sentence_start: int, sentence_end: int, citations: list[Citation]
) -> bool:
    """The sentence says the provision is relied on, or names it right after the citation."""
    first = citations[0]
    if _RELIANCE_CUE.found(text, low, sentence_start, sentence_end):
        return True
    after = text[first.end : min(first.end + 80, sentence_end)].lower()
    return any(word in after for word in NAME_WORDS.get(first.section, ()))


def _sentence_spans(text: str, citations: list[Citation]) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` that holds a citation."""
    if not citations:
        return []
    if len(text) < 40:
        return [(0, len(text))]
    # The citations are in order: walk the boundaries and the citations together, and
    # stop at the sentence that holds the last citation (the rest of a line is not read).
    starts = iter([c.start for c in citations])
    pending = next(starts)
    spans, start = [], 0
    for boundary in _STOP_THEN_SPACE.finditer(text):
        end = boundary.start() + 1
        if pending < end:
            spans.append((start, end))
        start = boundary.end()
        while pending < start:  # skip the citations of this sentence (and of the gap)
            pending = next(starts, -1)
            if pending < 0:
                return spans
    spans.append((start, len(text)))
    return spans


def _merge(mentions: list[_Mention]) -> tuple[Exemption, ...]:
    mentions = _drop_discussion(mentions)
    chosen: dict[tuple[int, bool, bool], _Mention] = {}
    for mention in mentions:
        c = mention.citation
        key = (c.section, c.subsection.startswith("A"), mention.ncnd)
        best = chosen.get(key)
        if best is None or _better(mention, best):
            chosen[key] = mention
    order = {key: i for i, key in reversed(list(enumerate(_keys(mentions))))}
    result = []
    for key in sorted(chosen, key=order.__getitem__):
        m = chosen[key]
        entry = lookup(m.citation.section, m.citation.subsection)
        name = entry.name if entry is not None else ""
        result.append(
            Exemption(m.citation.section, m.citation.subsection, m.citation.text, name, m.ncnd)
        )
    return tuple(result)


def _drop_discussion(mentions: list[_Mention]) -> list[_Mention]:
    """Mentions of a listed section are discussion of that listed exemption.

    "Sections 24 and 31 are prejudice based" or "a body specified in Section 23(3)"
    after an NCND list of s.23(5), s.24(2), s.31(3) adds nothing; only an explicit
    NCND provision (s.40(5) discussed after a list holding s.40(2)) is kept.
    """
    listed = {
        (m.citation.section, m.citation.subsection.startswith("A")) for m in mentions if m.listed
    }
    listed_ncnd = {m.citation.section for m in mentions if m.listed and m.ncnd}
    kept = []
    for m in mentions:
        c = m.citation
        if m.listed or (c.section, c.subsection.startswith("A")) not in listed:
            kept.append(m)
        elif m.ncnd and c.section not in listed_ncnd and is_ncnd_provision(c.section, c.subsection):
            kept.append(m)
    return kept


def _keys(mentions: list[_Mention]) -> list[tuple[int, bool, bool]]:
    return [(m.citation.section, m.citation.subsection.startswith("A"), m.ncnd) for m in mentions]


def _better(new: _Mention, old: _Mention) -> bool:
    if new.listed != old.listed:
        return new.listed
    if old.listed:
        return False
    return not old.citation.subsection and bool(new.citation.subsection)


def _has_list_word(line: str) -> bool:
    """`_LIST_WORDS.search(line)`, by substring tests alone: most lines hold none of the
    words, and the regex (no literal prefix) scans every position (~3% of the semantic
    parse on full-length pages, where many lines do hold one)."""
    return (
        "following" in line
        or "below" in line
        or "these" in line
        or "Following" in line
        or "Below" in line
        or "These" in line
    )


def _list_header(line: str) -> re.Match | None:
    """`_LIST_HEADER.search(line)`, tried only where a match can start.

    Its needles alone ("exemption" anywhere on a line that explains an exemption) sent
    it to many places none could start; a list word followed by its noun, or
    "Exemption" at the line's start, rules most out (~4.1 -> ~2.5 us a line holding a
    list word). tests/parsers/test_speed_equivalence.py checks it against the search.
    """
    low = lowered(line)
    if low is None:
        return _LIST_HEADER.pattern.search(line)
    starts = [0] if low.startswith("exemption") else []
    for word in _HEADER_WORDS:
        at = low.find(word)
        while at >= 0:
            if low.startswith(_HEADER_NOUNS, at + len(word)):
                starts.append(at)
            at = low.find(word, at + 1)
    at = low.find("by virtue of")
    while at >= 0:
        starts.append(at)
        at = low.find("by virtue of", at + 1)
    for at in sorted(starts):  # leftmost first, as a search finds it
        match = _LIST_HEADER.pattern.match(line, at)
        if match is not None:
            return match
    return None


def _has_list_header(lines: list[str], start: int, end: int) -> bool:
    # The word first: a substring test, where the header is a search.
    return any(
        "exemption" in lines[i].lower() and _LIST_HEADER.search(lines[i]) for i in range(start, end)
    )
