"""Each answer once, with the questions it answers; tables kept as rows and cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers import parse_response
from parsers.answer_ranges import read_range
from parsers.questions import parse_questions
from parsers.record import Answer, Table
from parsers.tables import row_line

SITE = Path(__file__).resolve().parents[2] / "fixtures" / "site"
SEED_PATH = "foi-ai/metropolitan-police/disclosure-2023/december-2023/facial-recognition-technology-protests"
NOTE = "I note you seek access to the following information:"
DECIDE = "I have today decided to disclose the located information to you in full."
FOUR = ["1. How many cars?", "2. How many vans?", "3. How many bikes?", "4. How many boats?"]
PARTS = ["1. Where:", "a. How many?", "b. From where?", "c. Why?", "2. When?"]


def answered(
    reply: list[str], request: list[str] = FOUR
) -> list[tuple[str, str | None, int | None]]:
    _, questions, _ = parse_questions([NOTE, *request, DECIDE, *reply])
    return [(q.number, q.answer, q.answer_id) for q in questions]


def groups(reply: list[str], request: list[str] = FOUR) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for number, _, answer_id in answered(reply, request):
        if answer_id is not None:
            found.setdefault(answer_id, []).append(number)
    return found


def seed_record():
    path = SITE / SEED_PATH / "index.html"
    return parse_response(path.read_bytes(), f"https://www.met.police.uk/{SEED_PATH}/")


def test_seed_keeps_each_answer_once_per_group_of_questions() -> None:
    record = seed_record()
    outside = [a for a in record.answers if "fall outside the act" in a.text]
    assert [a.question_numbers for a in outside] == [("7", "8", "9", "10")]
    deployment = [a for a in record.answers if "LFR - Deployment Records" in a.text]
    assert [a.question_numbers for a in deployment] == [
        ("1", "1a"),
        ("5", "5a", "5b", "5c", "5d"),
        ("6", "6a", "6b"),
    ]
    assert [a.position for a in record.answers] == list(range(1, len(record.answers) + 1))
    by_number = {q.number: q for q in record.questions}
    for answer in record.answers:
        for number in answer.question_numbers:
            assert by_number[number].answer_id == answer.position
            assert by_number[number].answer == answer.text  # kept for compatibility


def test_restated_questions_share_the_answer_after_them() -> None:
    reply = [
        "Q1 - Where:",
        "Q1a - How many?",
        "Q1b - From where?",
        "Q1c - Why?",
        "None held.",
        "Q2 - Never",
    ]
    assert groups(reply, PARTS) == {1: ["1", "1a", "1b", "1c"], 2: ["2"]}


@pytest.mark.parametrize(
    "label",
    ["Q1 – Q1c", "Q1 - Q1c", "Q1–Q1c", "Q1a-c", "Questions 1 to 1c"],
)
def test_a_range_of_parts_is_one_answer(label: str) -> None:
    reply = [label, "The MPS does not hold this.", "Q2 - Never"]
    got = groups(reply, PARTS)
    expected = ["1a", "1b", "1c"] if label == "Q1a-c" else ["1", "1a", "1b", "1c"]
    assert got == {1: expected, 2: ["2"]}


@pytest.mark.parametrize(
    ("line", "answer"),
    [
        ("Q1-3: Please see the attached spreadsheet.", "Please see the attached spreadsheet."),
        ("Q1-3 - Not held.", "Not held."),
        ("Questions 1 – 3: Not held.", "Not held."),
        ("Questions 1 – 3 fall outside the Act.", "Questions 1 – 3 fall outside the Act."),
        ("Answer to questions 1 to 3: Not held.", "Not held."),
        ("Q1 - Q3: Not held.", "Not held."),
        ("Q1 - 3: Not held.", "Not held."),
    ],
)
def test_a_range_line_answers_every_question_in_it(line: str, answer: str) -> None:
    got = answered([line, "Q4 - Twelve"])
    assert got == [("1", answer, 1), ("2", answer, 1), ("3", answer, 1), ("4", "Twelve", 2)]


def test_questions_seven_to_ten_as_in_the_seed() -> None:
    reply = [
        "Disclosure",
        "Q1 - How many cars?",
        "Q2 - How many vans?",
        "Q3 - How many bikes?",
        "Q4 - How many boats?",
        "At the time of this request questions 1 – 4 fall outside the act.",
    ]
    assert groups(reply) == {1: ["1", "2", "3", "4"]}


def test_a_range_heading_before_restated_questions_is_a_heading() -> None:
    reply = [
        "Questions 1-3 relate to the period 2020-2022.",
        "Q1 - How many cars?",
        "45",
        "Q2 - How many vans?",
        "12",
        "Q3 - How many bikes?",
        "3",
        "Q4 - How many boats?",
        "7",
    ]
    assert answered(reply) == [("1", "45", 1), ("2", "12", 2), ("3", "3", 3), ("4", "7", 4)]


def test_a_bare_range_label_then_restated_questions_answered_together() -> None:
    reply = [
        "Questions 1 – 3:",
        "Q1 - How many cars?",
        "Q2 - How many vans?",
        "Q3 - How many bikes?",
        "None are held.",
        "Q4 - How many boats?",
        "7",
    ]
    assert groups(reply) == {1: ["1", "2", "3"], 2: ["4"]}


def test_two_questions_joined_by_and_are_just_those_two() -> None:
    assert groups(["Q1 and Q3: Not held.", "Q2 - Ten", "Q4 - Five"]) == {
        1: ["1", "3"],
        2: ["2"],
        3: ["4"],
    }


@pytest.mark.parametrize(
    "line",
    [
        "Q1 - 2 cars were bought.",  # an answer starting with a number
        "Q2 - 3",  # the answer 3, or a range: not read as a range
        "Q1-9: not a question here",  # 9 is not a question
        "Q3-1: backwards",
        "Questions about cars are answered below.",
    ],
)
def test_lines_that_are_not_ranges(line: str) -> None:
    assert read_range(line, ["1", "2", "3", "4"]) is None


def test_the_same_words_written_twice_are_two_answers() -> None:
    reply = ["Q1 - How many cars?", "Not held.", "Q2 - How many vans?", "Not held."]
    assert groups(reply, FOUR[:2]) == {1: ["1"], 2: ["2"]}


def test_a_question_never_answered_has_no_answer_id() -> None:
    assert answered(["Q1 - Ten", "Q3 - Five"])[1] == ("2", None, None)


def test_questions_read_from_the_reply_share_the_answer_after_them() -> None:
    lines = [
        NOTE,
        "Please tell me about cars and vans in your fleet.",
        DECIDE,
        "Q1 - How many cars?",
        "Q2 - How many vans?",
        "We hold no fleet data.",
        "Q3 - How many bikes?",
        "Four",
    ]
    _, questions, _ = parse_questions(lines)
    assert [(q.number, q.answer_id) for q in questions] == [("1", 1), ("2", 1), ("3", 2)]


TABLE_PAGE = """<html><head><title>Cars | Metropolitan Police</title></head><body><main>
<h1>Cars and vans</h1>
<p>Freedom of information request reference no: 01.FOI.24.000123</p>
<p>I note you seek access to the following information:</p>
<ol><li>How many cars do you own?</li><li>How many vans do you own?</li></ol>
<p>I have today decided to disclose the located information to you in full.</p>
<h2>Disclosure</h2>
<p>Q1 - How many cars do you own?</p>
<p>Q2 - How many vans do you own?</p>
<p>Please see the table below.</p>
<table><thead><tr><th>Year</th><th>Cars &amp; <b>vans</b></th></tr></thead>
<tbody><tr><td>2022</td><td>4</td></tr><tr><td></td><td></td></tr>
<tr><td>2023</td><td>5<br>(provisional)</td></tr></tbody></table>
<p>Totals are at year end.</p>
<table><tr><td>Only</td><td><script>x()</script>cell</td></tr></table>
</main></body></html>"""


def test_tables_are_kept_as_rows_of_cells_with_their_heading_row() -> None:
    record = parse_response(TABLE_PAGE, "https://www.met.police.uk/foi-ai/metropolitan-police/x/")
    first, second = record.tables
    assert first == Table(
        1,
        (("Year", "Cars & vans"), ("2022", "4"), ("2023", "5 (provisional)")),
        header_rows=1,
        line=first.line,
    )
    assert second.rows == (("Only", "cell"),) and second.header_rows == 0
    lines = record.body_text.split("\n")
    for table in record.tables:
        assert lines[table.line : table.line + len(table.rows)] == [row_line(r) for r in table.rows]
    (answer,) = record.answers
    assert answer == Answer(1, ("1", "2"), answer.text, (1, 2))
    assert "Year | Cars & vans\n2022 | 4" in answer.text


def test_a_table_in_the_request_is_not_in_an_answer() -> None:
    page = TABLE_PAGE.replace(
        "<li>How many vans do you own?</li></ol>",
        "<li>How many vans do you own?</li></ol><table><tr><th>Kind</th><th>Years</th></tr>"
        "<tr><td>Car</td><td>2022-23</td></tr></table>",
    )
    record = parse_response(page, "https://www.met.police.uk/foi-ai/metropolitan-police/x/")
    assert [t.rows[0] for t in record.tables] == [
        ("Kind", "Years"),
        ("Year", "Cars & vans"),
        ("Only", "cell"),
    ]
    assert record.answers[0].tables == (2, 3)


def test_layout_tables_are_not_data_tables() -> None:
    page = TABLE_PAGE.replace("<main>", "<main><table><tr><td><p>Menu</p></td></tr></table>")
    record = parse_response(page, "https://www.met.police.uk/foi-ai/metropolitan-police/x/")
    assert len(record.tables) == 2


def test_the_record_as_json_has_answers_and_tables_as_lists() -> None:
    data = seed_record().to_dict()
    assert data["answers"][-1]["question_numbers"] == ["7", "8", "9", "10"]
    record = parse_response(TABLE_PAGE, "https://www.met.police.uk/foi-ai/metropolitan-police/x/")
    assert record.to_dict()["tables"][0]["rows"][0] == ["Year", "Cars & vans"]


def test_two_answers_with_the_same_table_each_keep_their_own() -> None:
    table = "<table><tr><th>Year</th><th>Count</th></tr><tr><td>2022</td><td>4</td></tr></table>"
    page = TABLE_PAGE.replace(
        "<p>Q2 - How many vans do you own?</p>",
        f"{table}<p>Q2 - How many vans do you own?</p>",
    ).replace(
        "<p>Please see the table below.</p>",
        f"<p>Please see the table below.</p>{table}",
    )
    record = parse_response(page, "https://www.met.police.uk/foi-ai/metropolitan-police/x/")
    assert [a.question_numbers for a in record.answers] == [("1",), ("2",)]
    assert [a.tables for a in record.answers] == [(1,), (2, 3, 4)]


SEED_ORDER = ["4", "4a", "5", "5a", "5b", "5c", "5d", "6", "7", "8", "9", "10"]


@pytest.mark.parametrize(
    ("line", "numbers", "answer"),
    [
        ("Q5 – Q5d", ("5", "5a", "5b", "5c", "5d"), None),
        ("Q5 - Q5d: see the link below", ("5", "5a", "5b", "5c", "5d"), "see the link below"),
        ("Questions 7 – 10", ("7", "8", "9", "10"), None),
        (
            "questions 7 – 10 fall outside the act",
            ("7", "8", "9", "10"),
            "questions 7 – 10 fall outside the act",
        ),
        ("Q7-10: Not held", ("7", "8", "9", "10"), "Not held"),
        ("Q4a-Q5: None", ("4a", "5"), "None"),
        ("Q5a-d:", ("5a", "5b", "5c", "5d"), None),
        ("Q6 & Q8 - No", ("6", "8"), "No"),
    ],
)
def test_range_lines(line: str, numbers: tuple[str, ...], answer: str | None) -> None:
    span = read_range(line, SEED_ORDER)
    assert span is not None and span.numbers == numbers and span.answer == answer
