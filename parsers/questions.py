"""The request as asked, its numbered questions, and the answer given to each.

The request runs from "I note you seek access to the following information:" (or
"Request:", "Dear FOI team", or the top) to the decision (see `parsers.sections`).
Questions are its labelled lines (`1.`, `Q1 -`, `1a`, `2.1`, `a.` under 1, `i.` under
1...; see `parsers.numbering`); a line with no label continues the open question,
unless it is a closing remark ("For the avoidance of doubt ...", "Please provide the
data in a spreadsheet") or a heading such as "Questions 7-10 relate to ...". Bullets with
no numbers are numbered 1, 2, 3 when they read as questions (most are sentences, not a
list of place names); a request with no labels is one question `1`.

Answers come from the reply: a restated question ("Q1 - Do you ...", "1. Do you ...",
a line repeating the question) opens the answer to that question, which runs to the
next restated question or the closing boilerplate; several restated questions in a row
share the answer that follows them (Q5, Q5a..Q5d then one answer); "Q1 - 45" or a table
row "Q1 | 45" is answered in line. A question never restated gets no answer (None).
When the request itself has no labels but the reply restates Q1, Q2, ..., the questions
are taken from the reply.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsers.numbering import Label, Sequence, read_label
from parsers.record import Question
from parsers.sections import CLARIFICATION, Parts, request_marker_rest, split_parts

# Closing remarks of a request: they end the open question's text.
_POSTAMBLE = re.compile(
    r"^(?:For the avoidance of doubt|Where (?:questions|possible|the)|I look forward|Thank|Many thanks|Kind regards"
    r"|Regards|Yours\b|If (?:any|this|possible|you|it)\b|I would (?:like|prefer|be grateful) (?:the|all|this|to receive)"
    r"|Please (?:provide|send|supply) (?:the|this|all)?\s?(?:data|information|response)? ?(?:in|as|electronically|by)\b"
    r"|I would appreciate|Under Section 16\b|I understand that (?:the|you)|Note:|NB\b)",
    re.IGNORECASE,
)
# Decision wording between the decision and an answer that has no heading of its own.
_BOILERPLATE = re.compile(
    r"^(?:I have (?:today )?decided|Please find (?:below|attached) (?:the )?information (?:pursuant|in response)"
    r"|Having (?:located|considered)|This (?:response|letter) serves)",
    re.IGNORECASE,
)
# "... you contacted us and stated:" introduces a quotation, not a list of questions.
_QUOTE_INTRO = re.compile(r"\b(?:stated|said|says|wrote|writes|replied|responded|quote|as below)\s*:$", re.IGNORECASE)
_DISCLOSES = re.compile(r"\b(?:disclose|release|provide|find (?:below|attached)|as follows|is held)\b", re.IGNORECASE)
_WITHHOLDS = re.compile(
    r"neither|not (?:to )?(?:disclose|release|provide)|refus|exempt|not held|unable|cost|vexatious", re.IGNORECASE
)
_RANGE_HEADING = re.compile(r"^(?:Questions?|Q)\s?\d{1,2}\s?(?:-|–|—|to|and|&)\s?\d{1,2}\b", re.IGNORECASE)
_WORDS = re.compile(r"[a-z0-9]+")
_TABLE_SPLIT = " | "


@dataclass
class _Open:
    number: str
    lines: list[str] = field(default_factory=list)


def parse_questions(lines: list[str]) -> tuple[str, tuple[Question, ...], tuple[str, ...]]:
    """(request_text, questions, warnings) for a response's text lines."""
    parts = split_parts(lines)
    warnings: list[str] = []
    request_lines = _request_lines(lines, parts)
    request_text = "\n".join(request_lines)
    numbered = _read_questions(request_lines)
    if numbered:
        questions = numbered
    elif request_text:
        questions = [_Open("1", [request_text])]
    else:
        questions = []
    if parts.decision >= len(lines):
        warnings.append("no decision found: the whole text was read as the request")
    answers, from_reply = _read_answers(lines, parts, questions, single=not numbered)
    if from_reply:
        warnings.append("questions taken from the restated questions in the reply")
        questions = [_Open(number, [text]) for number, text, _ in from_reply]
        answers = {number: answer for number, _, answer in from_reply}
    if not questions:
        warnings.append("no request text found")
    result = tuple(Question(q.number, "\n".join(q.lines).strip(), answers.get(q.number)) for q in questions)
    if len(result) > 1 and parts.disclosure >= 0 and all(q.answer is None for q in result):
        warnings.append("answers could not be matched to the questions")
    return request_text, result, tuple(warnings)


def _request_lines(lines: list[str], parts: Parts) -> list[str]:
    chosen = lines[parts.request_start : parts.decision]
    if chosen:
        first = request_marker_rest(chosen[0])
        chosen = ([first] if first else []) + chosen[1:]
    return chosen


def _read_questions(request_lines: list[str]) -> list[_Open]:
    """Labelled questions in the request (bullets as a fallback), with their text."""
    seq = Sequence()
    questions: list[_Open] = []
    bullets: list[str] = []
    open_q: _Open | None = None
    clarified = clarified_list = False
    run: list[str] | None = None  # unmarked lines after "... the following:" (a <ul> flattened)
    runs: list[list[str]] = []
    for line in request_lines:
        if run is not None and (read_label(line) is not None or line.endswith(":") or _POSTAMBLE.match(line)
                                or CLARIFICATION.match(line) or _RANGE_HEADING.match(line)):
            runs.append(run)
            run = None
        elif run is not None:
            run.append(line)
        if CLARIFICATION.match(line):
            clarified, open_q = True, None
            continue
        if line.endswith(":") and not clarified and run is None and not _QUOTE_INTRO.search(line):
            run = []
        if _RANGE_HEADING.match(line):
            open_q = None
            continue
        label = _table_label(line) if _TABLE_SPLIT in line else read_label(line)
        number = None
        if label is not None and label.kind != "bullet":
            if not clarified or (questions and label.kind in ("numbered", "prefixed") and label.letter is None):
                number = seq.accept(label, strict=label.kind != "prefixed")
        if number is None and clarified and label is not None and label.kind in ("numbered", "prefixed"):
            clarified_list = True  # "1. Police officers only" restarts: a list in the clarification
        if number is not None and clarified_list:
            number = None
        if number is not None:
            open_q = _Open(number, [label.text] if label.text else [])
            questions.append(open_q)
            continue
        if label is not None and label.kind == "bullet" and not clarified and not questions:
            bullets.append(label.text)
            continue
        if open_q is not None and _POSTAMBLE.match(line):
            open_q = None
        elif open_q is not None:
            open_q.lines.append(line)
    if questions:
        return questions
    if bullets and _bullets_are_questions(bullets):
        return [_Open(str(i), [text]) for i, text in enumerate(bullets, 1)]
    if run:
        runs.append(run)
    for items in runs:
        if _bullets_are_questions(items):
            return [_Open(str(i), [text]) for i, text in enumerate(items, 1)]
    return []


def _bullets_are_questions(bullets: list[str]) -> bool:
    if len(bullets) < 2:
        return False
    wordy = sum(1 for b in bullets if b.endswith("?") or len(b.split()) >= 6)
    return wordy * 2 >= len(bullets)


def _table_label(line: str) -> Label | None:
    """A table row "Q1 | question | ..." as a label; other rows are not questions."""
    cells = line.split(_TABLE_SPLIT)
    label = read_label(cells[0].strip() + " -")
    if label is None or label.kind not in ("prefixed", "numbered", "dotted") or label.text.strip("- "):
        return None
    return Label(label.kind, label.top, label.sub, label.letter, label.roman, cells[1].strip())


# --- answers --------------------------------------------------------------------------


@dataclass
class _Group:
    numbers: list[str] = field(default_factory=list)
    answer: list[str] = field(default_factory=list)
    skip: set[str] = field(default_factory=set)  # lines of the restated question text


def _read_answers(
    lines: list[str], parts: Parts, questions: list[_Open], *, single: bool
) -> tuple[dict[str, str | None], list[tuple[str, str, str | None]]]:
    """Answers by question number; or, when the request had no labels and the reply
    restates Q1, Q2..., the questions read from the reply as (number, text, answer)."""
    start, end = parts.answers_start, parts.closing
    if start < 0 or start >= end:
        return {}, []
    if single:
        from_reply = _questions_in_reply(lines, start, end)
        if len(from_reply) >= (2 if questions else 1):
            return {}, from_reply
    by_number = {q.number: q for q in questions}
    by_text = {_key(" ".join(q.lines)): q.number for q in questions if len(_key(" ".join(q.lines))) >= 12}
    answers: dict[str, str | None] = {}
    group: _Group | None = None
    order = [q.number for q in questions]
    last_index = -1
    # Bare "3." lines carry the answers on only while the reply numbers that way: once a
    # "Q1 -" style or a list inside an answer ("1. Romanian") is seen, they must restate.
    trust_sequence = True
    context = ("", "")  # (top, top + letter) of the last restated question: "a." under "Q3"
    for i in range(start + 1 if parts.disclosure >= 0 else start, end):
        line = lines[i]
        found = _answer_marker(line, by_number, by_text, order, last_index if trust_sequence else -2, context)
        if found is None:
            head = read_label(line) if group is not None else None
            if head is not None and head.kind in ("numbered", "dotted"):
                trust_sequence = False
            if group is not None and not (not group.answer and _key(line) in group.skip):
                if not _RANGE_HEADING.match(line):
                    group.answer.append(line)
            continue
        number, inline, label = found
        if label is not None and label.kind == "prefixed":
            trust_sequence = False
        last_index = order.index(number)
        context = _context(label, context)
        if group is not None and (group.answer or inline is not None):
            _flush(group, answers)
            group = None
        if group is None:
            group = _Group()
        group.numbers.append(number)
        group.skip.update(_key(text) for text in by_number[number].lines)
        if inline is not None:
            group.answer.append(inline)
    if group is not None:
        _flush(group, answers)
    if single and questions and not answers:
        answers[questions[0].number] = _whole_answer(lines, parts, questions[0])
    return answers, []


def _answer_marker(
    line: str, by_number: dict, by_text: dict, order: list[str], last_index: int, context: str
) -> tuple[str, str | None, Label | None] | None:
    """(question number, in-line answer or None, label) when `line` restates or answers a question."""
    cells = line.split(_TABLE_SPLIT) if _TABLE_SPLIT in line else None
    head = cells[0].strip() + " -" if cells else line
    label = read_label(head)
    number = _resolve(label, context) if label is not None else None
    if number is not None and number in by_number:
        text = " | ".join(c.strip() for c in cells[1:]) if cells else label.text
        restated = _restates(text, by_number[number].lines)
        sequential = order.index(number) == last_index + 1
        if label.kind in ("prefixed",) or restated or sequential:
            if cells and len(cells) >= 3 and _restates(cells[1], by_number[number].lines):
                return number, " | ".join(c.strip() for c in cells[2:]) or None, label
            return number, None if (restated or not text) else text, label
        return None
    if cells and len(cells) >= 2:
        number = by_text.get(_key(cells[0]))
        if number is not None:
            return number, " | ".join(c.strip() for c in cells[1:]) or None, None
        return None
    number = by_text.get(_key(line))
    if number is None and line.endswith("?") and last_index + 1 < len(order):
        # A restated question with no label, worded a little differently from the request.
        following = order[last_index + 1]
        if _restates(line, by_number[following].lines) and _restates(" ".join(by_number[following].lines), [line]):
            number = following
    return (number, None, None) if number is not None else None


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


def _questions_in_reply(lines: list[str], start: int, end: int) -> list[tuple[str, str, str | None]]:
    """Questions restated as "Q1 - ...", "Question 2: ..." in the reply, with answers."""
    seq = Sequence()
    found: list[list] = []  # [number, text, answer lines]
    for i in range(start, end):
        label = read_label(lines[i])
        number = None
        if label is not None and label.kind == "prefixed":
            number = seq.accept(label, strict=False)
        elif label is not None and found and label.kind in ("letter",):
            number = seq.accept(label)
        if number is not None:
            found.append([number, label.text, []])
        elif found:
            found[-1][2].append(lines[i])
    result = []
    pending: list[list] = []
    for number, text, answer in found:
        pending.append([number, text])
        if answer:
            joined = "\n".join(answer)
            result.extend((n, t, joined) for n, t in pending)
            pending = []
    result.extend((n, t, None) for n, t in pending)
    return result


def _whole_answer(lines: list[str], parts: Parts, question: _Open) -> str | None:
    """The answer to a request with no labels: the disclosure section, if any."""
    skip = {_key(text) for text in question.lines}
    if parts.disclosure >= 0:
        start = parts.disclosure + 1
    elif parts.reasons < 0 and parts.decision < parts.closing and _DISCLOSES.search(lines[parts.decision]) and not (
        _WITHHOLDS.search(lines[parts.decision])
    ):
        start = parts.decision + 1  # "I have today decided ... in full." then the answer
    else:
        return None
    body = [
        line for line in lines[start : parts.closing] if _key(line) not in skip and not _BOILERPLATE.match(line)
    ]
    return "\n".join(body) or None


_ANSWER_TAG = re.compile(r"^(?:Answers?|Responses?|Reply|A\d{0,2}[a-z]?)\s?(?:[:\-–—]\s?|$)", re.IGNORECASE)


def _flush(group: _Group, answers: dict[str, str | None]) -> None:
    if group.answer:
        group.answer[0] = _ANSWER_TAG.sub("", group.answer[0], count=1)  # "Answer: 118 horses"
    text = "\n".join(group.answer).strip() or None
    for number in group.numbers:
        if answers.get(number) is None:
            answers[number] = text


def _restates(text: str, question_lines: list[str]) -> bool:
    said = _WORDS.findall(text.lower())[:10]
    asked = _WORDS.findall(" ".join(question_lines).lower())
    if not said or not asked:
        return False
    if len(said) < min(4, len(asked)):
        return False
    asked_set = set(asked[:40])
    return sum(1 for w in said if w in asked_set) >= 0.7 * len(said)


def _key(text: str) -> str:
    return "".join(_WORDS.findall(text.lower()))[:60]
