"""Outcome and NCND from the decision wording: the seeds, then one case per wording."""

from __future__ import annotations

import pytest

from parsers.exemptions import find_exemptions
from parsers.outcome import decide_outcome
from parsers.questions import parse_questions
from tests.parsers.test_questions import seed

NOTE = "I note you seek access to the following information:"


def decide(lines: list[str]) -> tuple[str, bool]:
    exemptions, _ = find_exemptions(lines)
    _, questions, _ = parse_questions(lines)
    outcome, ncnd, _ = decide_outcome(lines, exemptions, questions)
    return outcome, ncnd


@pytest.mark.parametrize(
    ("number", "expected"),
    [("000", ("partial", True)), ("001", ("partial", False)), ("002", ("partial", False))],
)
def test_seeds(number: str, expected: tuple) -> None:
    assert decide(seed(number)) == expected


CASES = [
    (["I have today decided to disclose the located information to you in full."], ("full", False)),
    (["I have today decided to disclose the requested information."], ("full", False)),
    (
        [
            "I have today decided to disclose some of the requested information. Some data has been withheld ... by virtue of the following exemptions:",
            "Section 31(1)(a)(b) - Law Enforcement",
        ],
        ("partial", False),
    ),
    (
        [
            "I have today decided to disclose the majority of the requested information. Therefore this response serves as a partial Refusal Notice"
        ],
        ("partial", False),
    ),
    (
        [
            "Having located and considered the relevant information, this response serves as a Partial Refusal Notice under Section 17."
        ],
        ("partial", False),
    ),
    (
        [
            "I have today decided not to disclose the requested information. The information is exempt from disclosure ... by virtue of the following exemption:",
            "Section 22(1)(a) - Information intended for future publication",
        ],
        ("refused", False),
    ),
    (
        ["Decision", "The information you have requested is not held by the MPS."],
        ("not_held", False),
    ),
    (["I have today decided to inform you that no information is held."], ("not_held", False)),
    (
        [
            "Having considered this request, I regret to advise that the duty in Section 1(1)(a) of the Freedom of Information Act 2000 (the Act) does not apply, by virtue of the following exemptions:",
            "Section 23(5) – Security Bodies",
            "Section 24(2) – National Security",
        ],
        ("ncnd", True),
    ),
    (
        [
            "Decision",
            "The MPS can neither confirm nor deny that it holds the information you requested.",
        ],
        ("ncnd", True),
    ),
    (
        [
            "DECISION",
            "I regret to inform you that I am unable to provide the information as the cost of complying would exceed the appropriate limit (Section 12) of the Act.",
        ],
        ("cost_limit", False),
    ),
    (
        [
            "Decision",
            "I have decided to refuse your request under Section 14(1) of the Act as it is vexatious.",
        ],
        ("vexatious", False),
    ),
    (
        ["Decision", "Your email is not a valid request for information under the Act."],
        ("invalid", False),
    ),
    (["Decision", "This is not a request for recorded information."], ("invalid", False)),
    (["Decision", "Your request has been withdrawn."], ("invalid", False)),
    (["Decision", "Lorem ipsum dolor sit amet."], ("unknown", False)),
    # the reply's NCND wording counts; a disclaimer does not
    (
        [
            "I have today decided to disclose the located information to you in full.",
            "This should not be taken as an indication of whether we neither confirm nor deny, or whether information does or does not exist.",
        ],
        ("full", False),
    ),
    (
        [
            "I have today decided to disclose some of the requested information.",
            "Reason for decision",
            "In addition, the MPS will neither confirm nor deny whether any further information is held.",
        ],
        ("partial", True),
    ),
]


@pytest.mark.parametrize(("reply", "expected"), CASES, ids=[" ".join(c[0])[:50] for c in CASES])
def test_outcome_wording(reply: list[str], expected: tuple) -> None:
    assert decide([NOTE, "1. How many cars?", "2. How many vans?", *reply]) == expected


def test_no_decision_statement_uses_exemptions() -> None:
    lines = [
        NOTE,
        "1. How many?",
        "Q1 - How many?",
        "This is exempt under Section 12 as it exceeds the appropriate limit.",
    ]
    assert decide(lines) == ("cost_limit", False)


def test_request_wording_does_not_decide() -> None:
    lines = [
        NOTE,
        "1. Is information not held on vexatious requests?",
        "I have today decided to disclose the located information to you in full.",
    ]
    assert decide(lines) == ("full", False)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            [
                "Response:",
                "North Yorkshire Police can confirm that the information you have requested is held.",
                "1) 45",
            ],
            "full",
        ),
        (
            [
                "As you have withdrawn your request, the MPS has closed it and will take no further action."
            ],
            "invalid",
        ),
        (["I have today decided to disclose the requested information."], "full"),
    ],
)
def test_other_decision_wordings(reply: list[str], expected: str) -> None:
    assert decide(["Request:", "1) How many?", "2) Where?", *reply])[0] == expected


# Arbitrary pages built from the pieces that matter: nothing may raise, and the
# results keep their contract (known outcome, numbers unique, exemptions from the Act).
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from parsers.foia import CATALOGUE  # noqa: E402
from parsers.record import OUTCOMES  # noqa: E402

_PIECES = st.sampled_from(
    [
        "I note you seek access to the following information:",
        "Request:",
        "1. How many?",
        "2. Where?",
        "a. x",
        "(b) y",
        "ii. z",
        "Q1 - How many?",
        "Q2 - Where?",
        "Q1a - x",
        "2.1 If so",
        "• bullet text here and more",
        "Decision",
        "I have today decided to disclose some of the requested information.",
        "Disclosure",
        "Reason for decision",
        "by virtue of the following exemptions:",
        "Section 31(1)(a)&(b) - Law Enforcement",
        "Section 40(2(3)(a)",
        "Section 24(2) National Security",
        "neither confirm nor deny",
        "Section 12",
        "Q1 | 45",
        "1 | How many? | 45",
        "COMPLAINT RIGHTS",
        "45",
        "Answer: 12",
        "",
        "(",
        "Section",
        "Q",
        "1.",
        "a.",
        "Questions 1-6 relate to 2023.",
        "26.02.2022",
        "Legal Annex",
        "Clarification -",
        "Please provide:",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=25))
def test_any_page_keeps_the_contract(lines: list[str]) -> None:
    lines = [" ".join(line.split()) for line in lines if line.strip()]
    request, questions, warnings = parse_questions(lines)
    exemptions, more = find_exemptions(lines)
    outcome, ncnd, last = decide_outcome(lines, exemptions, questions)
    assert isinstance(request, str) and all(isinstance(w, str) for w in warnings + more + last)
    assert len({q.number for q in questions}) == len(questions)
    assert outcome in OUTCOMES and isinstance(ncnd, bool)
    assert all(e.section in CATALOGUE for e in exemptions)
    assert len({(e.section, e.subsection.startswith("A"), e.ncnd) for e in exemptions}) == len(
        exemptions
    )


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("I have today decided to disclose the information located to you in full.", "full"),
        (
            "Having located and considered the relevant information, I am able to disclose it to you in full.",
            "full",
        ),
        ("I have today decided not to disclose the located information to you.", "refused"),
        (
            "I have today decided to inform you that the Metropolitan Police Service does not hold the information you have requested.",
            "not_held",
        ),
        ("I have today decided to partially disclose the information.", "partial"),
        (
            "Searches located no records relevant to your request, no information is held.",
            "not_held",
        ),
        ("Your request has been deemed vexatious under Section 14(1).", "vexatious"),
        (
            "The cost of complying would exceed the appropriate limit under Section 12(2) of the Act.",
            "cost_limit",
        ),
    ],
)
def test_statement_wordings(statement: str, expected: str) -> None:
    assert decide([NOTE, "1. How many?", "Decision", statement])[0] == expected


def test_samples_outcome_where_stated() -> None:
    """Samples whose (cut) text states the MPS decision in its standard words."""
    from tests.parsers.test_exemptions import _samples

    checked = right = 0
    for _, lines, _ in _samples():
        text = " ".join(lines)
        if "decided to disclose some of the requested information" in text:
            expected = "partial"
        elif "disclose the located information to you in full" in text:
            expected = "full"
        else:
            continue
        checked += 1
        right += decide(lines)[0] == expected
    assert checked >= 30 and right == checked


def test_every_sample_cut_mid_word_parses() -> None:
    """The samples stop after ~2,000 characters, often mid-word: all three readers cope."""
    from tests.parsers.test_exemptions import _samples

    for name, lines, _ in _samples():
        request, questions, _ = parse_questions(lines)
        outcome, ncnd, _ = decide_outcome(lines, find_exemptions(lines)[0], questions)
        assert outcome in OUTCOMES, name
        marker = next(
            (i for i, line in enumerate(lines) if line.startswith("I note you seek access")), None
        )
        if (
            marker is not None
            and marker + 1 < len(lines)
            and not lines[marker + 1].startswith("I have today decided")
        ):
            assert request.startswith(lines[marker + 1][:30]), name
            assert questions, name


def test_please_find_below_with_an_exemption_is_partial() -> None:
    head = [
        NOTE,
        "1. How many?",
        "2. Names?",
        "Decision",
        "Please find below the information you requested.",
    ]
    assert decide(head + ["Q1 - How many?", "45"])[0] == "full"
    assert (
        decide(head + ["Q2 - Names?", "The names are exempt under Section 40(2)."])[0] == "partial"
    )
