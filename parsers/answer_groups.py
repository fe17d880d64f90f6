"""The response's answers, each once, from its questions' shared answer numbers.

`parsers.answers` gives every answered question the number of the answer it was given
(`Question.answer_id`): Q5 and Q5a..Q5d restated together and answered once share one
number, so do Q7..Q10 under "questions 7 – 10 fall outside the Act". Here each number
becomes one `Answer` with the questions it answers, and the tables written inside its
text (found by their row lines, see `parsers.tables.row_line`).
"""

from __future__ import annotations

from parsers.record import Answer, Question, Table
from parsers.tables import row_line


def collect_answers(
    questions: tuple[Question, ...], tables: tuple[Table, ...]
) -> tuple[Answer, ...]:
    """One `Answer` per answer number, in reply order, with its questions in request order."""
    numbers: dict[int, list[str]] = {}
    texts: dict[int, str] = {}
    for question in questions:
        if question.answer_id is None or question.answer is None:
            continue
        numbers.setdefault(question.answer_id, []).append(question.number)
        texts.setdefault(question.answer_id, question.answer)
    answers = []
    free = list(tables)  # a table is inside one answer at most: the first that holds it
    for answer_id in sorted(numbers):
        inside = tables_in(texts[answer_id], free)
        free = [t for t in free if t.position not in inside]
        answers.append(Answer(answer_id, tuple(numbers[answer_id]), texts[answer_id], inside))
    return tuple(answers)


def tables_in(text: str, tables: list[Table] | tuple[Table, ...]) -> tuple[int, ...]:
    """Positions of the tables whose rows are consecutive lines of `text`, in order."""
    lines = text.split("\n")
    found = []
    start = 0
    for table in tables:
        wanted = [row_line(row) for row in table.rows]
        at = next(
            (
                i
                for i in range(start, len(lines) - len(wanted) + 1)
                if lines[i] == wanted[0] and lines[i : i + len(wanted)] == wanted
            ),
            None,
        )
        if at is not None:
            found.append(table.position)
            start = at + len(wanted)
    return tuple(found)
