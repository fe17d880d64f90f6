"""Request text, question numbering and answers: the seeds exactly, then notation cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from parsers.numbering import Sequence, read_label
from parsers.questions import parse_questions

SEEDS = Path("/work/shared/seeds")
DECIDE = "I have today decided to disclose the located information to you in full."
NOTE = "I note you seek access to the following information:"


def seed(number: str) -> list[str]:
    """A seed's content lines: the first 7 lines are site chrome."""
    path = next(SEEDS.glob(f"{number}_*.txt"))
    lines = path.read_text(encoding="utf-8").split("\n")[7:]
    return [" ".join(line.replace("\xa0", " ").split()) for line in lines if line.strip()]


def answers(lines: list[str]) -> dict[str, str | None]:
    return {q.number: q.answer for q in parse_questions(lines)[1]}


def numbers(lines: list[str]) -> list[str]:
    return [q.number for q in parse_questions(lines)[1]]


def test_seed_000() -> None:
    request, questions, _ = parse_questions(seed("000"))
    assert [q.number for q in questions] == ["1", "2", "3", "4"]
    got = {q.number: q.answer for q in questions}
    assert got["1"].startswith("Yes. Streaming from various")
    assert got["3"].startswith("We are always exploring")
    assert got["2"] is None and got["4"] is None
    assert request.startswith("1. Do you currently employ live video streaming")
    assert "I have today decided" not in request
    assert (
        questions[1].text
        == "What specific platforms or systems do you use for live video streaming?"
    )


def test_seed_001() -> None:
    request, questions, _ = parse_questions(seed("001"))
    assert [q.number for q in questions] == [
        "1",
        "1a",
        "2",
        "2a",
        "3",
        "3a",
        "4",
        "4a",
        "5",
        "5a",
        "5b",
        "5c",
        "5d",
        "6",
        "6a",
        "6b",
        "7",
        "8",
        "9",
        "10",
    ]
    got = {q.number: q.answer for q in questions}
    assert "fall outside the act" in got["7"] and "fall outside the act" in got["10"]
    assert "Deployment Records" in got["5c"]
    assert "exempt under S31" in got["2a"]
    assert request.startswith("I write to request information and records")
    assert "Questions 1-6 relate" in request
    assert not any(
        "Questions 7-10" in (q.answer or "") or "Questions 7-10" in q.text for q in questions
    )


def test_seed_002() -> None:
    _, questions, _ = parse_questions(seed("002"))
    assert [q.number for q in questions] == ["1", "2", "2.1", "2.2", "3", "4", "5", "6"]
    got = {q.number: q.answer for q in questions}
    assert "NEC" in got["5"]
    assert got["2.2"] == "No information is held."
    assert "exempt" in got["6"]
    assert "For the avoidance of doubt" not in questions[-1].text


# Each case: request lines -> question numbers (the decision line follows them).
NUMBERING = [
    (["1. a", "2. b"], ["1", "2"]),
    (["Q1. a", "Q2. b"], ["1", "2"]),
    (["Q1 - a", "Q2 - b"], ["1", "2"]),
    (["Q.1 a", "Q.2 b"], ["1", "2"]),
    (["1) a", "2) b"], ["1", "2"]),
    (["(1) a", "(2) b"], ["1", "2"]),
    (["1 - a", "2 - b"], ["1", "2"]),
    (["1• a", "2• b"], ["1", "2"]),
    (["Question 1: a", "Question 2: b"], ["1", "2"]),
    (["REQUEST 1: a", "REQUEST 2: b"], ["1", "2"]),
    (["1/ a", "2/ b"], ["1", "2"]),
    (["Q1a - a", "Q1b - b", "Q2 - c"], ["1a", "1b", "2"]),
    (["1a - a", "1b - b", "2 - c", "3a - d"], ["1a", "1b", "2", "3a"]),
    (["1. a", "a. x", "b. y", "2. b"], ["1", "1a", "1b", "2"]),
    (["1. a", "(a) x", "(b) y"], ["1", "1a", "1b"]),
    (["1. a", "a) x", "b) y"], ["1", "1a", "1b"]),
    (["1. a", "i. x", "ii. y", "iii. z", "2. b"], ["1", "1i", "1ii", "1iii", "2"]),
    (["1. a", "a. x", "i. p", "ii. q", "b. y"], ["1", "1a", "1ai", "1aii", "1b"]),
    (["3. a"], ["1"]),  # a list never starts at 3: one question
    (["2. a", "3. b"], ["2", "3"]),  # but may start at 2 (a request continued)
    (["1. a", "2. b", "2.1 c", "2.2 d", "3. e"], ["1", "2", "2.1", "2.2", "3"]),
    (["1. a", "3.Details of b"], ["1"]),
    (["1. a", "2.Details of b"], ["1", "2"]),
    (["1. a", "2. b", "2.5 million people live there", "3. c"], ["1", "2", "3"]),
    (["1. a", "26.02.2022 was the date", "2. b"], ["1", "2"]),
    (["1. a", "2020-21 figures please", "2. b"], ["1", "2"]),
    (["1. a", "10.30 was the time", "2. b"], ["1", "2"]),
    (["1. a", "Section 60 searches", "2. b"], ["1", "2"]),
    (["1. a", "2018, 2019, 2020", "2. b"], ["1", "2"]),
    (["1. a", "1 | x | y", "2. b"], ["1", "2"]),
    (["Questions 1-2 relate to 2023.", "1. a", "2. b"], ["1", "2"]),
    (["Questions 1-6 relate to 2023.", "a. x", "b. y"], ["1"]),
    (["1. a", "a. x", "Questions 2-3 relate to 2024.", "b. y", "2. b"], ["1", "1a", "2"]),
    (
        [
            "• How many officers were deployed to the event?",
            "• How much did the event cost in total?",
        ],
        ["1", "2"],
    ),
    (
        [
            "- The number of times officers used a taser last year",
            "- The number of times a person died after it",
        ],
        ["1", "2"],
    ),
    (
        [
            "I would like to know burglaries in:",
            "• Finsbury Park (N4)",
            "• Mile End (E1)",
            "• Stockwell (SW9)",
        ],
        ["1"],
    ),
    (
        [
            "Please provide:",
            "The number of officers who left the force last year",
            "The number of those with under two years",
        ],
        ["1", "2"],
    ),
    (["1. a", "Clarification -", "1. x", "2. y"], ["1"]),
    (["1. a", "RE-DEFINED ON 30/01/2024:", "2. b"], ["1", "2"]),
    (
        [
            "• How many hearings were there in each of the years?",
            "• How much did the hearings cost the MPS?",
            "Clarification -",
            "1. Police officers only",
            "2. Police officers and staff",
        ],
        ["1", "2"],
    ),
    (["“1. a", "2. b”"], ["1", "2"]),
    (["Q1 2023 figures please", "Q2 2023 figures please"], ["1"]),
    (["Please provide the policy on drones."], ["1"]),
    (["1. a", "e.g. this is an example", "2. b"], ["1", "2"]),
    (["1. a", "12:30 was the time", "2. b"], ["1", "2"]),
    (["1. a", "1.a) x", "1.b) y", "2. b"], ["1", "1a", "1b", "2"]),
    (["Q1. a", "Q1.a - x", "Q2. b"], ["1", "1a", "2"]),
    (["Question One: a", "Question Two: b"], ["1", "2"]),
    (["1", "How many cars?", "2", "How many vans?"], ["1", "2"]),
    (["Q1.The first", "Q2.The second"], ["1", "2"]),
]


@pytest.mark.parametrize(
    ("request_lines", "expected"), NUMBERING, ids=[" / ".join(c[0])[:40] for c in NUMBERING]
)
def test_numbering(request_lines: list[str], expected: list[str]) -> None:
    assert numbers([NOTE, *request_lines, DECIDE]) == expected


def test_request_text_and_single_question() -> None:
    request, questions, _ = parse_questions(
        [NOTE, "Please provide the policy on drones.", "It is public.", DECIDE]
    )
    assert request == "Please provide the policy on drones.\nIt is public."
    assert [(q.number, q.text) for q in questions] == [("1", request)]


@pytest.mark.parametrize(
    ("opening", "first"),
    [
        ("Request:", "1. a"),
        ("Request: 1. a", "1. a"),
        ("You asked:", "1. a"),
        ("Your request:", "1. a"),
        ("Dear FOI team,", "1. a"),
        (
            "I write about your request. I note you seek access to the following information:",
            "1. a",
        ),
    ],
)
def test_request_openings(opening: str, first: str) -> None:
    lines = [
        "FOI Reference: 75/24",
        opening,
        *([first] if first != opening.split(": ", 1)[-1] else []),
        "2. b",
        "Response:",
        "Q1 - a",
        "45",
    ]
    request, questions, _ = parse_questions(lines)
    assert request.startswith("1. a")
    assert [q.number for q in questions] == ["1", "2"]
    assert questions[0].answer == "45"


@pytest.mark.parametrize(
    "decision",
    [
        "I have today decided to disclose some of the requested information.",
        "Decision",
        "DECISION",
        "Having considered your request, I have decided to disclose the information.",
        "Having located and considered the relevant information, I have decided...",
        "Section 1 of the Freedom of Information Act 2000 (FOIA) places two duties on public authorities.",
        "I regret to advise that the cost of complying would exceed the limit.",
        "Response:",
        "Response 1 – 7:",
        "Our response",
        "After careful consideration of your request, I regret to inform you...",
    ],
)
def test_decision_markers_end_the_request(decision: str) -> None:
    request, questions, _ = parse_questions([NOTE, "1. a", "2. b", decision, "More text"])
    assert request == "1. a\n2. b"
    assert [q.text for q in questions] == ["a", "b"]


def test_request_without_decision_marker_ends_at_first_reply_cue() -> None:
    lines = [NOTE, "1. a", "2. b", "Q1 - a", "Yes", "Q2 - b", "No"]
    request, questions, warnings = parse_questions(lines)
    assert request == "1. a\n2. b"
    assert answers(lines) == {"1": "Yes", "2": "No"}


ANSWERS = [
    # restated Q-labels, answers after them
    (
        [
            "1. How many cars?",
            "2. How many vans?",
            DECIDE,
            "Q1 - How many cars?",
            "12 cars",
            "Q2 - How many vans?",
            "3",
        ],
        {"1": "12 cars", "2": "3"},
    ),
    # in-line answers matched by number
    (["1. How many cars?", "2. How many vans?", DECIDE, "1. 45", "2. 12"], {"1": "45", "2": "12"}),
    (
        ["1. How many cars?", "2. How many vans?", DECIDE, "Question 1: 45", "Question 2: 12"],
        {"1": "45", "2": "12"},
    ),
    # table rows
    (
        ["1. How many cars?", "2. How many vans?", DECIDE, "Q1 | 45", "Q2 | 12"],
        {"1": "45", "2": "12"},
    ),
    (
        [
            "1. How many cars?",
            "2. How many vans?",
            DECIDE,
            "Question | Answer",
            "1 | How many cars? | 45",
            "2 | How many vans? | 12",
        ],
        {"1": "45", "2": "12"},
    ),
    (
        [
            "1. How many cars are there?",
            "2. How many vans are there?",
            DECIDE,
            "How many cars are there? | 45",
            "How many vans are there? | 12",
        ],
        {"1": "45", "2": "12"},
    ),
    # the request's "1. question" repeated with the answer under it
    (
        [
            "1. How many cars are there?",
            "2. How many vans are there?",
            DECIDE,
            "1. How many cars are there?",
            "45",
            "2. How many vans are there?",
            "12",
        ],
        {"1": "45", "2": "12"},
    ),
    # several restated, one answer; a question never restated gets None
    (
        [
            "1. How many cars?",
            "a. How many red?",
            "2. How many vans?",
            DECIDE,
            "Q1 - How many cars?",
            "Q1a - How many red?",
            "Both are 4.",
            "Complaint rights",
            "Q2 - x",
        ],
        {"1": "Both are 4.", "1a": "Both are 4.", "2": None},
    ),
    # a list inside an answer is not the next question
    (
        [
            "1. Which languages?",
            "2. Which supplier?",
            DECIDE,
            "Q1 - Which languages?",
            "In order:",
            "1. Romanian",
            "2. Polish",
            "Q2 - Which supplier?",
            "Acme",
        ],
        {"1": "In order:\n1. Romanian\n2. Polish", "2": "Acme"},
    ),
    # "Answer:" tags are dropped; closing boilerplate ends the last answer
    (
        [
            "Question 1 – How many horses?",
            "Question 2 – Where?",
            DECIDE,
            "Question 1 – How many horses?",
            "Answer: 118 horses.",
            "Question 2 – Where?",
            "Answer: Hyde Park.",
            "If you are dissatisfied with this response",
            "Yours sincerely",
        ],
        {"1": "118 horses.", "2": "Hyde Park."},
    ),
    # "a." restated under "Q3" belongs to 3
    (
        [
            "1. w question here",
            "2. v question here",
            "3. x question here",
            "a. y question here",
            DECIDE,
            "Q3 - x question here",
            "a. y question here",
            "Done.",
        ],
        {"1": None, "2": None, "3": "Done.", "3a": "Done."},
    ),
]


@pytest.mark.parametrize(("body", "expected"), ANSWERS, ids=[str(i) for i in range(len(ANSWERS))])
def test_answers(body: list[str], expected: dict) -> None:
    assert answers([NOTE, *body]) == expected


def test_single_question_answer_after_full_decision() -> None:
    lines = [
        NOTE,
        "How many police dogs does the Met have?",
        DECIDE,
        "As at 1 October the MPS has 248 dogs.",
    ]
    assert answers(lines) == {"1": "As at 1 October the MPS has 248 dogs."}


def test_questions_taken_from_reply_when_request_is_empty() -> None:
    lines = [
        NOTE,
        "I have today decided to disclose some of the requested information.",
        "Disclosure",
        "Q1 - How many cars?",
        "45",
        "Q2 - How many vans?",
        "12",
    ]
    _, questions, warnings = parse_questions(lines)
    assert [(q.number, q.text, q.answer) for q in questions] == [
        ("1", "How many cars?", "45"),
        ("2", "How many vans?", "12"),
    ]
    assert any("reply" in w for w in warnings)


def test_empty_and_odd_input() -> None:
    assert parse_questions([]) == (
        "",
        (),
        ("no decision found: the whole text was read as the request", "no request text found"),
    )
    request, questions, _ = parse_questions(["Request", "I have today dec"])  # cut mid-word
    assert isinstance(request, str)


def test_labels_and_sequence() -> None:
    assert read_label("Q5d - For what").letter == "d"
    assert read_label("Questions 1-6 relate to") is None
    assert read_label("26.02.2022 x") is None
    seq = Sequence()
    assert [seq.accept(read_label(t)) for t in ("1. a", "a. b", "b. c", "3. d", "2. e")] == [
        "1",
        "1a",
        "1b",
        None,
        "2",
    ]


@pytest.mark.timeout(20)
def test_huge_single_line_is_linear() -> None:
    line = ("Section 31(1)(a)(b) and 1. Q1 - (a)(b)(c) " * 5000)[:200_000]
    request, questions, _ = parse_questions([NOTE, line, DECIDE, line])
    assert request == line
    assert len(questions) == 1


def test_quotation_after_colon_is_not_a_list() -> None:
    lines = [
        NOTE,
        "Please list the closed front counters.",
        "On 19/02/2024 you contacted us and stated:",
        "“I have found the information I need on the MOPAC website so please cancel it.”",
        "As you have withdrawn your request, the MPS has closed it and will take no further action.",
    ]
    request, questions, _ = parse_questions(lines)
    assert [q.number for q in questions] == ["1"]
    assert questions[0].text.startswith("Please list the closed front counters.")
    assert questions[0].answer is None


def test_no_answer_after_an_ncnd_decision() -> None:
    lines = [
        NOTE,
        "Please provide the number of IMSI catchers.",
        "Having considered this request, the MPS can neither confirm nor deny whether it holds the information, "
        "by virtue of the following exemptions:",
        "Section 23(5) - Security Bodies",
    ]
    assert answers(lines) == {"1": None}


def test_clarification_list_restarting_at_one_is_not_questions() -> None:
    assert numbers([NOTE, "1. a", "Clarification -", "1. x", "2. y", DECIDE]) == ["1"]


def test_flattened_list_after_the_following_without_colon() -> None:
    lines = [
        NOTE,
        "I would like the following information",
        "The number of officers who left the force last year",
        "The number of those with under two years' service",
        DECIDE,
    ]
    assert numbers(lines) == ["1", "2"]


def test_restated_question_under_its_own_label_line() -> None:
    lines = [
        NOTE,
        "1. How many police horses does the Mounted Branch have today?",
        "2. Where are the horses stabled?",
        DECIDE,
        "Question 1",
        "How many police horses does the Mounted Branch currently have?",
        "118 horses.",
        "Question 2",
        "Where are the horses stabled?",
        "At Hyde Park.",
    ]
    assert answers(lines) == {"1": "118 horses.", "2": "At Hyde Park."}


def test_question_answer_table_without_numbers_reworded() -> None:
    lines = [
        NOTE,
        "1. How many police horses does the Mounted Branch have today?",
        "2. Where are the horses stabled?",
        DECIDE,
        "Question | Answer",
        "How many police horses does the Mounted Branch currently have? | 118",
        "Where are all the horses stabled? | Hyde Park",
    ]
    assert answers(lines) == {"1": "118", "2": "Hyde Park"}


def test_disclosure_before_the_reasons() -> None:
    lines = [
        NOTE,
        "1. How many cars?",
        "2. Names of drivers?",
        "I have today decided to disclose some of the requested information.",
        "Disclosure",
        "Q1 - How many cars?",
        "45",
        "Q2 - Names of drivers?",
        "Exempt, see below.",
        "Reason for decision",
        "Section 40(2) applies to the names.",
    ]
    assert answers(lines) == {"1": "45", "2": "Exempt, see below."}


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            ["Response 1 – 3:", "None of these are held."],
            {
                "1": "None of these are held.",
                "2": "None of these are held.",
                "3": "None of these are held.",
            },
        ),
        (
            ["Response:", "Answer 1: 45", "Answer 2: 12", "Answer 3: 7"],
            {"1": "45", "2": "12", "3": "7"},
        ),
        (["Response:", "Response to question 2 - 12"], {"1": None, "2": "12", "3": None}),
        (["Response:", "A1: 45", "A3: 7"], {"1": "45", "2": None, "3": "7"}),
    ],
)
def test_answer_labels(reply: list[str], expected: dict) -> None:
    lines = ["Request:", "1. How many cars?", "2. How many vans?", "3. How many bikes?", *reply]
    assert answers(lines) == expected


def test_answer_text_starting_with_a_number_is_not_a_label() -> None:
    lines = [
        "Request:",
        "1. How many cars?",
        "2. How many vans?",
        "Response:",
        "Answer 1: 45",
        "A 2-year plan is in place.",
        "Answer 2: 12",
    ]
    assert answers(lines) == {"1": "45\nA 2-year plan is in place.", "2": "12"}


def test_request_labelled_q1_without_decision_marker() -> None:
    lines = [
        NOTE,
        "Q1. How many cars?",
        "Q2. How many vans?",
        "Q1 - How many cars?",
        "45",
        "Q2 - How many vans?",
        "12",
    ]
    request, questions, _ = parse_questions(lines)
    assert request == "Q1. How many cars?\nQ2. How many vans?"
    assert {q.number: q.answer for q in questions} == {"1": "45", "2": "12"}


def test_questions_and_answers_in_one_table() -> None:
    lines = [
        NOTE,
        "I have today decided to disclose the located information to you in full.",
        "No. | Question | Answer",
        "1 | How many cars? | 45",
        "2 | How many vans? | 12",
    ]
    _, questions, _ = parse_questions(lines)
    assert [(q.number, q.text, q.answer) for q in questions] == [
        ("1", "How many cars?", "45"),
        ("2", "How many vans?", "12"),
    ]


def test_question_text_keeps_its_own_clarifications_but_not_closing_remarks() -> None:
    lines = [
        NOTE,
        "1. How many hearings were there?",
        "If possible, please break this down by year.",
        "2. How much did they cost?",
        "If this request would exceed the cost limit, please answer question 1 only.",
        "Many thanks",
        DECIDE,
    ]
    _, questions, _ = parse_questions(lines)
    assert (
        questions[0].text
        == "How many hearings were there?\nIf possible, please break this down by year."
    )
    assert questions[1].text == "How much did they cost?"


def test_answers_that_name_their_question_in_a_sentence() -> None:
    lines = [
        NOTE,
        "1. How many cars?",
        "2. How many vans?",
        "I have today decided to disclose the located information to you in full.",
        "Disclosure",
        "In response to question 1, the MPS has 45 cars.",
        "With regards to Q2, there are 12 vans.",
        "They are leased.",
    ]
    assert answers(lines) == {
        "1": "In response to question 1, the MPS has 45 cars.",
        "2": "With regards to Q2, there are 12 vans.\nThey are leased.",
    }
