"""The answer the reply gives to each question.

A restated question ("Q1 - Do you ...", "1. Do you ...", "a." under "Q3", a table row
"Q1 | 45", or a line repeating the question's words) opens the answer to that question,
which runs to the next restated question or to the closing boilerplate. Several restated
questions in a row share the answer that follows them (Q5, Q5a..Q5d then one answer); a
restatement with other words after the label ("Q1 - 45", "Question 1: 45") is answered
in line. A bare "3." continues the answers only while the reply numbers that way: once
the reply uses "Q1 -" labels, or a list inside an answer restarts at "1.", a bare
number must repeat the question's words. A question never restated gets None.

A line naming a run of questions ("Q5 – Q5d", "Questions 7 – 10:", see
`parsers.answer_ranges`) opens one answer for all of them; when restated questions of
the run follow it at once, it was a heading and only those restated share the answer.
Each answer is numbered once (1, 2, ... in reading order) and every question it answers
gets that number, so an answer shared by several questions is kept once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.answer_ranges import read_range
from parsers.numbering import Label, Sequence, read_label
from parsers.sections import Parts

# Decision wording between the decision and an answer that has no heading of its own.
_BOILERPLATE = re.compile(
    r"^(?:I have (?:today )?decided|Please find (?:below|attached) (?:the )?information (?:pursuant|in response)"
    r"|Having (?:located|considered)|This (?:response|letter) serves)",
    re.IGNORECASE,
)
_DISCLOSES = re.compile(
    r"\b(?:disclose|release|provide|find (?:below|attached)|as follows|is held)\b", re.IGNORECASE
)
_WITHHOLDS = re.compile(
    r"neither|not (?:to )?(?:disclose|release|provide)|refus|exempt|not held|unable|cost|vexatious",
    re.IGNORECASE,
)
_ANSWER_LABEL = re.compile(
    r"^(?:(?:Response|Answer|Reply)s?\s?(?:to\s)?(?:(?:questions?|Q)\s?)?\.?\s?|A(?=\d))(\d{1,2})"
    r"(?:\s?(?:-|–|—|to|&|and)\s?(\d{1,2}))?\s?[:.\-–—)]\s*(.*)$",
    re.IGNORECASE,
)
_ANSWER_SENTENCE = re.compile(
    r"^(?:In (?:response|relation|answer|regards?|reply) to|With (?:regards?|reference|respect) to|Regarding|Turning to"
    r"|As (?:for|regards))\s(?:your\s)?(?:question|Q|part|point)\s?(\d{1,2}[a-z]?)\b(?!\s?(?:-|–|and|&|to)\s?\d)",
    re.IGNORECASE,
)
RANGE_HEADING = re.compile(
    r"^(?:Questions?|Q)\s?\d{1,2}\s?(?:-|–|—|to|and|&)\s?\d{1,2}\b", re.IGNORECASE
)
# The first characters of the lines each of these patterns can match (İ and ı are
# letters re.IGNORECASE reads as i): the others are turned away without trying the
# pattern, ~1/3 of a reply's lines that are not prose (a test checks the sets).
_ANSWER_LABEL_FIRSTS = frozenset("ARar")
_ANSWER_SENTENCE_FIRSTS = frozenset("AIRTWairtwİı")
RANGE_HEADING_FIRSTS = frozenset("Qq")
# The first two characters of prose that none of the readers of a reply line can take
# for a label, a range or an answer marker (`read_label`, `read_range`, `_ANSWER_LABEL`,
# `_ANSWER_SENTENCE`, `RANGE_HEADING`: a test checks): a first letter none of them starts
# with, or one they do with a second letter they don't ("The", "We", "I have", "Please").
# "" allows any second character but "." and ")" ("B." may be a lettered label).
# `read_answers` passes such lines on without calling them (~2/3 of a reply's lines).
_PLAIN_STARTS = {
    **dict.fromkeys("BCDEFGHJKLMNOSUYZbcdefghjklmnosuyz", ""),
    **dict.fromkeys("TtWw", "hHeEaAoO"),
    **dict.fromkeys("Ii", " f"),
    **dict.fromkeys("Aa", "lLtT"),
    **dict.fromkeys("Pp", "lLeErR"),
}
# The same starts as one pattern: a line's first two characters checked in one call.
_PLAIN_START = re.compile(
    "|".join(
        f"[{''.join(firsts)}]" + (f"[{seconds}]" if seconds else "[^.)]")
        for seconds, firsts in {
            seconds: [f for f, s in _PLAIN_STARTS.items() if s == seconds]
            for seconds in _PLAIN_STARTS.values()
        }.items()
    )
)
_WORDS = re.compile(r"[a-z0-9]+")
# What `_key` drops: every ASCII character but a-z and 0-9 (non-ASCII goes in the encoding).
_NOT_KEY_BYTES = bytes(c for c in range(128) if c not in b"abcdefghijklmnopqrstuvwxyz0123456789")
# For `_words`: a-z and 0-9 kept, every other byte a space.
_WORD_BYTES = bytes(c if c in b"abcdefghijklmnopqrstuvwxyz0123456789" else 32 for c in range(256))
TABLE_SPLIT = " | "


@dataclass
class Asked:
    """A question as read from the request: its number and its text lines."""

    number: str
    lines: list[str] = field(default_factory=list)


@dataclass
class _Group:
    numbers: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)  # lines of the restated question text
    covers: list[str] = field(default_factory=list)  # named by a range line ("Q5 – Q5d")
    heading: str | None = None  # the range line's own words: an answer, or a heading


# Answers by question number, and the answer number (1, 2, ...) each question shares.
AnswerIds = dict[str, int]


def read_answers(
    lines: list[str], parts: Parts, questions: list[Asked], *, single: bool
) -> tuple[dict[str, str | None], list[tuple[str, str, str | None]], AnswerIds]:
    """Answers by question number; or, when the request had no labels and the reply
    restates Q1, Q2..., the questions read from the reply as (number, text, answer).
    Then the answer number of each answered question (questions answered together share
    one)."""
    start, end = parts.answers_start, parts.answers_end
    if start < 0 or start >= end:
        return {}, [], {}
    if single:
        from_reply, reply_ids = _questions_in_reply(lines, start, end)
        if len(from_reply) >= (2 if questions else 1):
            return {}, from_reply, reply_ids
    by_number = {q.number: _Known(q.lines) for q in questions}
    by_text = {}
    for q in questions:
        key = _key(" ".join(q.lines))
        if len(key) >= 12:
            by_text[key] = q.number
    text_starts = {key[:2] for key in by_text}  # a line's key starts so to be in `by_text`
    answers: dict[str, str | None] = {}
    ids: AnswerIds = {}
    group: _Group | None = None
    order = [q.number for q in questions]
    last_index = -1
    # Bare "3." lines carry the answers on only while the reply numbers that way: once a
    # "Q1 -" style or a list inside an answer ("1. Romanian") is seen, they must restate.
    trust_sequence = True
    context = ("", "")  # (top, top + letter) of the last restated question: "a." under "Q3"
    for i in range(start + 1 if parts.disclosure >= 0 else start, end):
        line = lines[i]
        if _is_prose(line):
            # Prose: no label, range or answer marker. Only its words can
            # restate a question; else it carries the answer on (what the readers below
            # would conclude). Its key is taken only when its start may begin a question's.
            key = (
                _key(line)
                if by_text and len(line) >= 12 and _key_start(line) in text_starts
                else None
            )
            if key is None or key not in by_text:
                if group is not None and (group.answer or (key or _key(line)) not in group.skip):
                    group.answer.append(line)
                continue
        span = None if TABLE_SPLIT in line else read_range(line, order)
        if span is not None:
            if group is not None and (group.answer or group.covers):
                _flush(group, answers, ids)
                group = None
            group = group or _Group()
            group.covers = list(span.numbers)
            for number in span.numbers:
                group.skip.update(by_number[number].keys())
            if span.answer is not None:
                group.answer.append(span.answer)
                group.heading = span.answer
            last_index = order.index(span.numbers[-1 if span.answer else 0]) - (not span.answer)
            continue
        head = None if TABLE_SPLIT in line else read_label(line)
        found = (
            _answer_label(line, order)
            or (_answer_in_sentence(line, order) if parts.disclosure >= 0 else None)
            or _answer_marker(
                line, head, by_number, by_text, order, last_index if trust_sequence else -2, context
            )
        )
        if found is None:
            if group is not None and head is not None and head.kind in ("numbered", "dotted"):
                trust_sequence = False
            if group is not None and not (
                not group.answer and _repeats_question(line, group, by_number)
            ):
                if line[:1] not in RANGE_HEADING_FIRSTS or not RANGE_HEADING.match(line):
                    group.answer.append(line)
            continue
        numbers, inline, label = found
        if label is not None and label.kind == "prefixed":
            trust_sequence = False
        last_index = order.index(numbers[-1])
        context = _context(label, context)
        if group is not None and _was_heading(group, numbers):
            group = _Group()  # "Questions 7-10 relate to ..." then "Q7 - ...": a heading
        if group is not None and (group.answer or inline is not None):
            _flush(group, answers, ids)
            group = None
        if group is None:
            group = _Group()
        for number in numbers:
            group.numbers.append(number)
            group.skip.update(by_number[number].keys())
        if inline is not None:
            group.answer.append(inline)
    if group is not None:
        _flush(group, answers, ids)
    if single and questions and not answers:
        whole = _whole_answer(lines, parts, questions[0])
        answers[questions[0].number] = whole
        if whole is not None:
            ids[questions[0].number] = 1
    return answers, [], ids


def _is_prose(line: str) -> bool:
    """A line no reader of reply lines takes for a marker: a start in `_PLAIN_STARTS`,
    no table cells, not a question."""
    return (
        _PLAIN_START.match(line) is not None and TABLE_SPLIT not in line and not line.endswith("?")
    )


def _was_heading(group: _Group, numbers: list[str]) -> bool:
    """A range line whose words are all the group holds, followed by its own questions."""
    return (
        bool(group.covers)
        and group.answer == [group.heading]
        and all(n in group.covers for n in numbers)
    )


def _answer_marker(
    line: str,
    label: Label | None,
    by_number: dict,
    by_text: dict,
    order: list[str],
    last_index: int,
    context: tuple[str, str],
) -> tuple[list[str], str | None, Label | None] | None:
    """([question number], in-line answer or None, label) when `line` restates or answers a
    question; `label` is the line's own label (None for a table row, read from its first cell)."""
    cells = line.split(TABLE_SPLIT) if TABLE_SPLIT in line else None
    if cells:
        label = read_label(cells[0].strip() + " -")
    number = _resolve(label, context) if label is not None else None
    if number is not None and number in by_number:
        text = " | ".join(c.strip() for c in cells[1:]) if cells else label.text
        restated = _restates(text, by_number[number])
        sequential = order.index(number) == last_index + 1
        if label.kind in ("prefixed",) or restated or sequential:
            if cells and len(cells) >= 3 and _restates(cells[1], by_number[number]):
                return [number], " | ".join(c.strip() for c in cells[2:]) or None, label
            return [number], None if (restated or not text) else text, label
        return None
    if cells and len(cells) >= 2:
        number = by_text.get(_key(cells[0])) or _next_if_restated(
            cells[0], by_number, order, last_index
        )
        if number is not None:
            return [number], " | ".join(c.strip() for c in cells[1:]) or None, None
        return None
    number = by_text.get(_key(line)) if by_text and len(line) >= 12 else None
    if number is None and line.endswith("?"):
        number = _next_if_restated(line, by_number, order, last_index)
    return ([number], None, None) if number is not None else None


def _answer_label(line: str, order: list[str]) -> tuple[list[str], str | None, Label] | None:
    """ "Answer 1: 45", "Response to question 2 -", "Response 1 – 7:" (one answer for 1 to 7)."""
    if line[:1] not in _ANSWER_LABEL_FIRSTS:
        return None
    m = _ANSWER_LABEL.match(line)
    if m is None or m.group(1) not in order:
        return None
    first = order.index(m.group(1))
    last = order.index(m.group(2)) if m.group(2) in order else first
    if last < first:
        return None
    numbers = [n for n in order[first : last + 1] if m.group(2) or n == m.group(1)]
    label = Label("prefixed", int(m.group(1)), text=m.group(3).strip())
    return numbers, label.text or None, label


def _answer_in_sentence(line: str, order: list[str]) -> tuple[list[str], str, None] | None:
    """ "In response to question 2, the MPS holds ..." in the disclosure: the line answers Q2."""
    if line[:1] not in _ANSWER_SENTENCE_FIRSTS:
        return None
    m = _ANSWER_SENTENCE.match(line)
    if m is None:
        return None
    number = m.group(1).lower()
    return ([number], line, None) if number in order else None


def _next_if_restated(text: str, by_number: dict, order: list[str], last_index: int) -> str | None:
    """The next question's number when `text` repeats its words (a little reworded)."""
    if not 0 <= last_index + 1 < len(order):
        return None
    following = order[last_index + 1]
    return following if _restated_both_ways(text, by_number[following]) else None


def _repeats_question(line: str, group: _Group, by_number: dict) -> bool:
    """A line of the restated question under its label ("Question 1" then the text)."""
    if _key(line) in group.skip:
        return True
    asked = by_number[(group.numbers or group.covers)[-1]]
    if not line.endswith("?") or len(line) <= 20:
        return False  # an answer may echo the question's words; a restated question asks
    return _restated_both_ways(line, asked)


def _context(label: Label | None, previous: tuple[str, str]) -> tuple[str, str]:
    if label is None or label.kind == "roman":
        return previous
    if label.kind == "letter":
        return previous[0], previous[0] + (label.letter or "")
    top = f"{label.top}.{label.sub}" if label.sub is not None else str(label.top)
    return top, top + (label.letter or "")


def _resolve(label: Label, context: tuple[str, str]) -> str | None:
    if label.kind in ("prefixed", "numbered", "dotted"):
        if label.top is None:
            return None
        number = f"{label.top}.{label.sub}" if label.sub is not None else str(label.top)
        return number + (label.letter or "") + (label.roman or "")
    top, base = context
    if label.kind == "letter" and not top:
        return label.letter  # a request lettered (a), (b), (c) with no numbers
    if label.kind == "letter" and top:
        return top + (label.letter or "")
    if label.kind == "roman" and base:
        candidate = base + (label.roman or "")
        return candidate
    return None


def _questions_in_reply(
    lines: list[str], start: int, end: int
) -> tuple[list[tuple[str, str, str | None]], AnswerIds]:
    """Questions restated as "Q1 - ...", "Question 2: ..." in the reply, with answers;
    and the answer numbers (a run of restated questions shares the answer after it)."""
    seq = Sequence()
    found: list[list] = []  # [number, text, answer lines]
    for i in range(start, end):
        line = lines[i]
        cells = line.split(TABLE_SPLIT) if TABLE_SPLIT in line else None
        label = (
            read_label(cells[0].strip() + " -") if cells and len(cells) >= 3 else read_label(line)
        )
        number = None
        if (
            cells
            and len(cells) >= 3
            and label is not None
            and label.kind in ("prefixed", "numbered", "dotted")
        ):
            # A table "1 | How many cars? | 45" holding both the questions and the answers.
            number = seq.accept(label, strict=False) if not label.text.strip("- ") else None
            if number is not None:
                found.append([number, cells[1].strip(), [" | ".join(c.strip() for c in cells[2:])]])
                continue
        elif cells is None and label is not None and label.kind == "prefixed":
            number = seq.accept(label, strict=False)
        elif cells is None and label is not None and found and label.kind in ("letter",):
            number = seq.accept(label)
        if number is not None:
            found.append([number, label.text, []])
        elif found:
            found[-1][2].append(line)
    result = []
    ids: AnswerIds = {}
    pending: list[list] = []
    for number, text, answer in found:
        pending.append([number, text])
        if answer:
            joined = "\n".join(answer)
            result.extend((n, t, joined) for n, t in pending)
            answer_id = max(ids.values(), default=0) + 1
            ids.update((n, answer_id) for n, _ in pending)
            pending = []
    result.extend((n, t, None) for n, t in pending)
    return result, ids


def _whole_answer(lines: list[str], parts: Parts, question: Asked) -> str | None:
    """The answer to a request with no labels: the disclosure section, if any."""
    skip = {_key(text) for text in question.lines}
    if parts.disclosure >= 0:
        start = parts.disclosure + 1
    elif (
        parts.reasons < 0
        and parts.decision < parts.closing
        and _DISCLOSES.search(lines[parts.decision])
        and not (_WITHHOLDS.search(lines[parts.decision]))
    ):
        start = parts.decision + 1  # "I have today decided ... in full." then the answer
    else:
        return None
    body = [
        line
        for line in lines[start : parts.answers_end]
        if _key(line) not in skip and not _BOILERPLATE.match(line)
    ]
    return "\n".join(body) or None


_ANSWER_TAG = re.compile(
    r"^(?:Answers?|Responses?|Reply|A\d{0,2}[a-z]?)\s?(?:[:\-–—]\s?|$)", re.IGNORECASE
)


def _flush(group: _Group, answers: dict[str, str | None], ids: AnswerIds) -> None:
    tag = _ANSWER_TAG.match(group.answer[0]) if group.answer else None
    if tag is not None:
        group.answer[0] = group.answer[0][tag.end() :]  # "Answer: 118 horses"
    text = "\n".join(group.answer).strip() or None
    # Restated questions under a range line are the ones answered; else the whole range.
    numbers = dict.fromkeys(group.numbers or group.covers)
    taken = [n for n in numbers if answers.get(n) is None]
    if text is None or not taken:
        return
    # Answer numbers are given in increasing order, so the last one given is the largest
    # (`max` over them all, at every answer, was ~1.5% of a page of 40 answers).
    answer_id = next(reversed(ids.values()), 0) + 1
    for number in taken:
        answers[number] = text
        ids[number] = answer_id


class _Known:
    """A question as reply lines are compared with it: the keys of its lines, and the
    words of its text (how many, the first 40 as a set, the first 10), each worked out
    once a page at its first use rather than at every comparison."""

    __slots__ = ("lines", "_keys", "_words")

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self._keys: list[str] | None = None
        self._words: tuple[int, frozenset[bytes], list[bytes]] | None = None

    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = [_key(text) for text in self.lines]
        return self._keys

    def words(self) -> tuple[int, frozenset[bytes], list[bytes]]:
        if self._words is None:
            # Its count is only compared with 4 (`_overlap`): 41 words tell it.
            words = _first_words(" ".join(self.lines), 41)
            self._words = (len(words), frozenset(words[:40]), words[:10])
        return self._words


def _restates(text: str, question: _Known) -> bool:
    """`text` says the question's words: most of its first 10 words are among the
    question's first 40."""
    count, asked, _ = question.words()
    return _overlap(_first_words(text, 10), count, asked)


def _restated_both_ways(text: str, question: _Known) -> bool:
    """`_restates` and its converse: the question's first 10 words are mostly among the
    first 40 of `text` (a line no longer or shorter than the question, a little reworded)."""
    words = _first_words(text, 41)  # its count is only compared with 4, its set holds 40
    count, asked, said = question.words()
    return _overlap(words[:10], count, asked) and _overlap(said, len(words), frozenset(words[:40]))


def _overlap(said: list[bytes], count: int, asked: frozenset[bytes]) -> bool:
    """Most of the words `said` are `asked` (of `count` words), and enough are said."""
    if not said or not count:
        return False
    if len(said) < min(4, count):
        return False
    return sum(map(asked.__contains__, said)) >= 0.7 * len(said)


def _first_words(text: str, n: int) -> list[bytes]:
    """`_words(text)[:n]` (a test checks): of a long text's start when it holds more than
    `n` words (the nth is then whole), as `_key` does."""
    if len(text) > 12 * n:
        words = _words(text[: 12 * n])
        if len(words) > n:
            return words[:n]
    return _words(text)[:n]


def _words(text: str) -> list[bytes]:
    """`_WORDS.findall(text.lower())`, ASCII-encoded, 2-3 times faster (a test checks).

    Non-ASCII characters become "?" and every byte but a-z and 0-9 a space, so `split`
    cuts the words where the regex would: taken of every restated question and reply
    line ending "?", it was ~8% of the semantic parse on full-length pages.
    """
    return text.lower().encode("ascii", "replace").translate(_WORD_BYTES).split()


def _key_start(line: str) -> str:
    """The first two characters of `_key(line)`, of a line of at least two (a test checks):
    its first two when they are ASCII letters or digits."""
    start = line[:2]
    if start.isascii() and start.isalnum():
        return start.lower()
    return _key(line)[:2]


def _key(text: str) -> str:
    """The first 60 letters and digits of `text`, lowercased and run together.

    The same as `"".join(_WORDS.findall(text.lower()))[:60]` (a test checks), 2-3 times
    faster: it is taken of most reply lines, and measured on the bench's synthetic pages
    it is worth ~2.5% of the whole parse. The ASCII encoding drops what lowercasing left
    non-ASCII, `translate` drops ASCII punctuation and spaces.
    """
    if len(text) > _KEY_CUT:
        # A line's first 80 characters mostly hold its 60 letters and digits (98% of the
        # bench's lines): then the rest of a long line need not be lowered nor encoded.
        # Lowercasing and the encoding go a character at a time, so a cut changes no key.
        key = text[:_KEY_CUT].lower().encode("ascii", "ignore").translate(None, _NOT_KEY_BYTES)
        if len(key) >= 60:
            return key[:60].decode("ascii")
    return (
        text.lower().encode("ascii", "ignore").translate(None, _NOT_KEY_BYTES)[:60].decode("ascii")
    )


_KEY_CUT = 80
