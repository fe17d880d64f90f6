"""The response page's questions and answers: each answer once, under its questions.

Reads `questions` (with `answer_id`), `answers`, `response_tables` and
`response_table_cells` (db migration 4) and groups the questions: a run of questions
sharing one answer is one group with that answer below it; a later question answered by
an answer already shown points back to it; a run of unanswered questions is one group
with one note. An answer's text is cut into text blocks and tables, each table where
its rows are (`parsers.tables.row_line`). An archive not re-parsed since migration 4
has no `answer_id`s: questions in a row with the same answer text are grouped instead.

All values are plain data; the template escapes every one of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from datasette.database import Database

from parsers.tables import row_line


@dataclass(frozen=True)
class TableView:
    head: tuple[tuple[str, ...], ...]
    body: tuple[tuple[str, ...], ...]
    columns: int


@dataclass(frozen=True)
class Block:
    """A run of answer text, or a table (then `text` is empty)."""

    text: str = ""
    table: TableView | None = None


@dataclass
class QAGroup:
    questions: list[dict] = field(default_factory=list)  # {"number", "text"}
    answer_id: int | None = None
    blocks: tuple[Block, ...] = ()
    shown_with: str | None = None  # the number of the first question of the group above
    answer_text: str | None = None  # for grouping an archive without answer ids

    @property
    def numbers(self) -> str:
        """ "Question 5" or "Questions 5 – 5d" (the run this answer covers)."""
        numbers = [q["number"] for q in self.questions if q["number"]]
        if len(numbers) <= 1:
            return f"Question {numbers[0]}" if numbers else "Question"
        return f"Questions {numbers[0]} – {numbers[-1]}"


async def answer_groups(db: Database, response_id: str) -> list[QAGroup]:
    questions = await db.execute(
        "SELECT position, number, text, answer, answer_id FROM questions "
        "WHERE response_id = ? ORDER BY position",
        [response_id],
    )
    answers = await db.execute(
        "SELECT position, text FROM answers WHERE response_id = ? ORDER BY position",
        [response_id],
    )
    tables = await _tables(db, response_id)
    texts = {row["position"]: row["text"] for row in answers.rows}
    groups = _group([dict(row) for row in questions.rows], texts)
    for group in groups:
        if group.shown_with is None and group.answer_text:
            inside = tables.get(group.answer_id, []) if group.answer_id is not None else []
            group.blocks = split_blocks(group.answer_text, inside)
    return groups


def _group(questions: list[dict], texts: dict[int, str]) -> list[QAGroup]:
    groups: list[QAGroup] = []
    first_of: dict[int, str] = {}  # answer id -> first question shown with it
    for q in questions:
        answer_id = q["answer_id"] if q["answer_id"] in texts else None
        text = texts[answer_id] if answer_id is not None else q["answer"]
        if not groups or not _continues(groups[-1], answer_id, text):
            group = QAGroup(answer_id=answer_id, answer_text=text)
            if answer_id is not None and answer_id in first_of:
                group.shown_with = first_of[answer_id]
            groups.append(group)
        number = q["number"] or str(q["position"])
        groups[-1].questions.append({"number": number, "text": q["text"]})
        if answer_id is not None:
            first_of.setdefault(answer_id, number)
    return groups


def _continues(group: QAGroup, answer_id: int | None, text: str | None) -> bool:
    """The question shares the group's answer (or, with no answer ids, its words or lack)."""
    if answer_id is not None:
        return group.answer_id == answer_id
    return group.answer_id is None and group.answer_text == text


async def _tables(db: Database, response_id: str) -> dict[int, list[TableView]]:
    """Tables inside answers, by answer id, in page order."""
    found: dict[int, list[TableView]] = {}
    for answer_id, view in await _table_views(db, response_id):
        if answer_id is not None:
            found.setdefault(answer_id, []).append(view)
    return found


async def body_blocks(db: Database, response_id: str, body_text: str) -> tuple[Block, ...]:
    """The full text as text blocks and tables (every table of the page, in order)."""
    views = [view for _answer_id, view in await _table_views(db, response_id)]
    return split_blocks(body_text or "", views) if views else (Block(body_text or ""),)


async def _table_views(db: Database, response_id: str) -> list[tuple[int | None, TableView]]:
    """Every table of the response in page order, with the answer it sits in (or None)."""
    shapes = await db.execute(
        "SELECT position, answer_id, header_rows, column_count FROM response_tables "
        "WHERE response_id = ? ORDER BY position",
        [response_id],
    )
    if not shapes.rows:
        return []
    cells = await db.execute(
        "SELECT table_position, row, col, text FROM response_table_cells "
        "WHERE response_id = ? ORDER BY table_position, row, col",
        [response_id],
    )
    rows: dict[int, dict[int, list[str]]] = {}
    for cell in cells.rows:
        rows.setdefault(cell["table_position"], {}).setdefault(cell["row"], []).append(cell["text"])
    views = []
    for shape in shapes.rows:
        table_rows = [tuple(r) for _, r in sorted(rows.get(shape["position"], {}).items())]
        head = shape["header_rows"]
        view = TableView(tuple(table_rows[:head]), tuple(table_rows[head:]), shape["column_count"])
        views.append((shape["answer_id"], view))
    return views


def split_blocks(text: str, tables: list[TableView]) -> tuple[Block, ...]:
    """`text` as text blocks and tables, each table in place of its row lines."""
    lines = text.split("\n")
    blocks: list[Block] = []
    start = 0
    for table in tables:
        wanted = [row_line(row) for row in table.head + table.body]
        at = _find(lines, wanted, start)
        if at is None:
            continue  # not in this text after all: its rows stay text lines
        if at > start:
            blocks.append(Block("\n".join(lines[start:at])))
        blocks.append(Block(table=table))
        start = at + len(wanted)
    if start < len(lines):
        blocks.append(Block("\n".join(lines[start:])))
    return tuple(b for b in blocks if b.table is not None or b.text.strip())


def _find(lines: list[str], wanted: list[str], start: int) -> int | None:
    if not wanted:
        return None
    for i in range(start, len(lines) - len(wanted) + 1):
        if lines[i] == wanted[0] and lines[i : i + len(wanted)] == wanted:
            return i
    return None
