"""The request as asked, its numbered questions, and the answer given to each.

The request runs from "I note you seek access to the following information:" (or
"Request:", "Dear FOI team", or the top) to the decision (see `parsers.sections`).
Questions are its labelled lines (`1.`, `Q1 -`, `1a`, `2.1`, `a.` under 1, `i.` under
1...; see `parsers.numbering`); a line with no label continues the open question,
unless it is a closing remark ("For the avoidance of doubt ...", "Please provide the
data in a spreadsheet") or a heading such as "Questions 7-10 relate to ...". Bullets with
no numbers are numbered 1, 2, 3 when they read as questions (most are sentences, not a
list of place names); a request with no labels is one question `1`.

Answers come from the reply (see `parsers.answers`). When the request itself has no
labels but the reply restates Q1, Q2, ..., the questions are taken from the reply.
"""

from __future__ import annotations

import re

from parsers.answers import RANGE_HEADING, TABLE_SPLIT, Asked, read_answers
from parsers.exchanges import read_exchanges
from parsers.numbering import Label, Sequence, read_label
from parsers.record import Question
from parsers.sections import CLARIFICATION, Parts, request_marker_rest, split_parts

# Closing remarks of a request: they end the open question's text.
_POSTAMBLE = re.compile(
    r"^(?:For the avoidance of doubt|Where (?:questions|possible|the)|I look forward|Thank|Many thanks|Kind regards"
    r"|Regards|Yours\b|If (?:any|this)\b|If (?:you (?:are unable|cannot|need|require|have any)|it is not possible)|I would (?:like|prefer|be grateful) (?:the|all|this|to receive)"
    r"|Please (?:provide|send|supply) (?:the|this|all)?\s?(?:data|information|response)? ?(?:in|as|electronically|by)\b"
    r"|I would appreciate|Under Section 16\b|I understand that (?:the|you)|Note:|NB\b)",
    re.IGNORECASE,
)
_LONE_NUMBER = re.compile(r"^\d{1,2}\.?$")
# A line that introduces a list: "... please provide:", "I would like the following information".
_LIST_INTRO = re.compile(
    r"(?::|\bthe following(?: information| questions| data| details)?|\bplease (?:provide|tell me|supply)(?: me)?(?: with)?)"
    r"\s*[.:]?$",
    re.IGNORECASE,
)
# "... you contacted us and stated:" introduces a quotation, not a list of questions.
_QUOTE_INTRO = re.compile(
    r"\b(?:stated|said|says|wrote|writes|replied|responded|quote|as below)\s*:$", re.IGNORECASE
)


def parse_questions(
    lines: list[str], parts: Parts | None = None
) -> tuple[str, tuple[Question, ...], tuple[str, ...]]:
    """(request_text, questions, warnings) for a response's text lines (and their parts)."""
    parts = parts or split_parts(lines)
    exchanged = read_exchanges(lines, parts.closing)
    if exchanged:
        return "\n".join(q.text for q in exchanged), exchanged, ()
    warnings: list[str] = []
    request_lines = _request_lines(lines, parts)
    request_text = "\n".join(request_lines)
    numbered = _read_questions(request_lines)
    if numbered:
        questions = numbered
    elif request_text:
        questions = [Asked("1", [request_text])]
    else:
        questions = []
    if parts.decision >= len(lines):
        warnings.append("no decision found: the whole text was read as the request")
    answers, from_reply, answer_ids = read_answers(lines, parts, questions, single=not numbered)
    if from_reply:
        warnings.append("questions taken from the restated questions in the reply")
        questions = [Asked(number, [text]) for number, text, _ in from_reply]
        answers = {number: answer for number, _, answer in from_reply}
    if not questions:
        warnings.append("no request text found")
    result = tuple(
        Question(
            q.number, "\n".join(q.lines).strip(), answers.get(q.number), answer_ids.get(q.number)
        )
        for q in questions
    )
    if len(result) > 1 and parts.disclosure >= 0 and all(q.answer is None for q in result):
        warnings.append("answers could not be matched to the questions")
    return request_text, result, tuple(warnings)


def _request_lines(lines: list[str], parts: Parts) -> list[str]:
    chosen = lines[parts.request_start : parts.decision]
    if chosen and parts.request_shares_marker:
        first = request_marker_rest(chosen[0])
        chosen = ([first] if first else []) + chosen[1:]
    return chosen


def _read_questions(request_lines: list[str]) -> list[Asked]:
    """Labelled questions in the request (bullets as a fallback), with their text."""
    seq = Sequence()
    questions: list[Asked] = []
    bullets: list[str] = []
    open_q: Asked | None = None
    clarified = clarified_list = headed = False
    for line in request_lines:
        if CLARIFICATION.match(line):
            clarified, open_q = True, None
            continue
        if RANGE_HEADING.match(line):
            open_q, headed = None, True
            continue
        label = _table_label(line) if TABLE_SPLIT in line else read_label(line)
        if label is None and _LONE_NUMBER.match(line):
            label = Label(
                "numbered", int(line.rstrip("."))
            )  # "1" on its own line, the question below
        number = None
        if headed and label is not None and label.kind in ("letter", "roman"):
            label = None  # "Questions 1-6 relate to ..." then "a. ...": not parts of a question
        if label is not None and label.kind != "bullet":
            if not clarified or (
                questions and label.kind in ("numbered", "prefixed") and label.letter is None
            ):
                number = seq.accept(label, strict=label.kind != "prefixed")
        if (
            number is None
            and clarified
            and label is not None
            and label.kind in ("numbered", "prefixed")
        ):
            clarified_list = True  # "1. Police officers only" restarts: a list in the clarification
        if number is not None and clarified_list:
            number = None
        if number is not None:
            headed = False
            open_q = Asked(number, [label.text] if label.text else [])
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
        return [Asked(str(i), [text]) for i, text in enumerate(bullets, 1)]
    for items in _unmarked_lists(request_lines):
        if _bullets_are_questions(items):
            return [Asked(str(i), [text]) for i, text in enumerate(items, 1)]
    return []


def _unmarked_lists(request_lines: list[str]) -> list[list[str]]:
    """Runs of plain lines after "... please provide:" (a `<ul>` flattened without bullets)."""
    runs: list[list[str]] = []
    run: list[str] | None = None
    for line in request_lines:
        if CLARIFICATION.match(line):
            break
        ends_run = (
            read_label(line) is not None
            or line.endswith(":")
            or _POSTAMBLE.match(line)
            or RANGE_HEADING.match(line)
        )
        if run is not None and ends_run:
            runs.append(run)
            run = None
        elif run is not None:
            run.append(line)
        if run is None and _LIST_INTRO.search(line) and not _QUOTE_INTRO.search(line):
            run = []
    if run:
        runs.append(run)
    return runs


def _bullets_are_questions(bullets: list[str]) -> bool:
    if len(bullets) < 2:
        return False
    wordy = sum(1 for b in bullets if b.endswith("?") or len(b.split()) >= 6)
    return wordy * 2 >= len(bullets)


def _table_label(line: str) -> Label | None:
    """A table row "Q1 | question | ..." as a label; other rows are not questions."""
    cells = line.split(TABLE_SPLIT)
    label = read_label(cells[0].strip() + " -")
    if (
        label is None
        or label.kind not in ("prefixed", "numbered", "dotted")
        or label.text.strip("- ")
    ):
        return None
    return Label(label.kind, label.top, label.sub, label.letter, label.roman, cells[1].strip())
