"""Exemptions relied on: the seeds, the real samples' exemption lists, notation cases."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parsers.citations import find_citations
from parsers.exemptions import find_exemptions
from parsers.foia import CATALOGUE, SECTION_22A, is_ncnd_provision, lookup
from tests.parsers.test_questions import seed

SAMPLES = Path("/work/shared/real-samples")
CHROME = re.compile(
    r"^(Quickly exit|Leave this site|We use some essential cookies|You can manage your preferences"
    r"|Your cookie preferences|Sorry, there was a technical|This site is a beta)"
)
HEAD = "I have today decided to disclose some of the requested information. Some data has been withheld as it is exempt from disclosure and therefore this response serves as a Refusal Notice under Section 17 of the Freedom of Information Act 2000 (the Act) by virtue of the following exemptions:"
NOTE = "I note you seek access to the following information:"


def sections(lines: list[str]) -> set[tuple[int, bool]]:
    return {(e.section, e.ncnd) for e in find_exemptions(lines)[0]}


def test_seed_000() -> None:
    found = find_exemptions(seed("000"))[0]
    assert {e.section for e in found} == {24, 31, 40}
    assert {(e.section, e.subsection) for e in found if e.ncnd} == {(24, "(2)"), (31, "(3)")}
    assert {(e.section, e.ncnd) for e in found} == {
        (24, False),
        (31, False),
        (40, False),
        (24, True),
        (31, True),
    }
    s31 = next(e for e in found if e.section == 31 and not e.ncnd)
    assert (s31.subsection, s31.citation, s31.name) == (
        "(1)(a)(b)",
        "Section 31(1)(a)(b)",
        "Law enforcement",
    )


def test_seed_001() -> None:
    found = find_exemptions(seed("001"))[0]
    assert [(e.section, e.subsection, e.citation, e.ncnd) for e in found] == [
        (31, "(1)(a)(b)", "Section 31(1)(a)&(b)", False)
    ]


def test_seed_002() -> None:
    found = find_exemptions(seed("002"))[0]
    assert [(e.section, e.subsection, e.name, e.ncnd) for e in found] == [
        (40, "(2)(3)(4)", "Personal information", False)
    ]


def _samples() -> list[tuple[str, list[str], str]]:
    out = []
    for name in ("mps_openings.jsonl", "other_forces_openings.jsonl"):
        for i, row in enumerate((SAMPLES / name).read_text(encoding="utf-8").splitlines()):
            data = json.loads(row)
            lines = [" ".join(line.split()) for line in data["text"].split("\n")]
            out.append(
                (
                    f"{name[:3]}{i}",
                    [line for line in lines if line and not CHROME.match(line)],
                    data["text"],
                )
            )
    return out


def _listed_sections(lines: list[str]) -> set[int]:
    """An independent reading: "Section NN" lines right after "following exemptions"."""
    found, in_list = set(), False
    for line in lines:
        m = re.match(r"^Section (\d+)", line)
        if in_list and m and line != lines[-1]:  # the last line may be cut mid-citation
            found.add(int(m.group(1)))
            continue
        in_list = line.rstrip().endswith(("following exemptions:", "following exemption:"))
    return found


@pytest.mark.parametrize(
    ("name", "lines", "raw"),
    _samples(),
    ids=lambda v: v if isinstance(v, str) and len(v) < 8 else "",
)
def test_real_sample(name: str, lines: list[str], raw: str) -> None:
    found, _ = find_exemptions(lines)
    got = {e.section for e in found}
    assert _listed_sections(lines) <= got
    assert got <= set(CATALOGUE)
    assert all(e.name == lookup(e.section, e.subsection).name for e in found)
    assert all(
        e.citation and e.citation in raw.replace("\n", " ") or e.citation in " ".join(lines)
        for e in found
    )


def test_samples_other_acts_are_not_exemptions() -> None:
    by_name = {name: lines for name, lines, _ in _samples()}
    assert 43 not in {e.section for e in find_exemptions(by_name["mps31"])[0]}  # Terrorism Act s.43
    assert {e.section for e in find_exemptions(by_name["mps16"])[0]} == {21, 31, 40}


# (text after the exemption-list header or as a sentence in the reasons, expected (section, subsection, ncnd))
NOTATIONS = [
    ("Section 31(1)(a)&(b) - Law Enforcement", [(31, "(1)(a)(b)", False)]),
    ("Section 40(2)(3)&(4) – Personal Information", [(40, "(2)(3)(4)", False)]),
    ("Section 40(2(3)(a) - Personal Information", [(40, "(2)(3)(a)", False)]),
    (
        "Section 40(2)(a)(b) and (3)(a)(i)(ii)(b) Personal information",
        [(40, "(2)(a)(b)(3)(a)(i)(ii)(b)", False)],
    ),
    ("Section 38 (1)(a)(b) – Health & Safety", [(38, "(1)(a)(b)", False)]),
    ("Section 43 (2) Commercial Interests", [(43, "(2)", False)]),
    ("Sections 24(1) and 31(1)", [(24, "(1)", False), (31, "(1)", False)]),
    ("Section 40(2) and 40(3A) (a) - Personal information.", [(40, "(2)(3A)(a)", False)]),
    ("Section 22A(1)(a) - Research", [(22, "A(1)(a)", False)]),
    ("S31", [(31, "", False)]),
    ("s.40(2)", [(40, "(2)", False)]),
    (
        "Section 21 - information requested has been identified as being accessible via other means",
        [(21, "", False)],
    ),
    ("Section 40(2)&(3A)(a) - Personal Information", [(40, "(2)(3A)(a)", False)]),
]


@pytest.mark.parametrize(("item", "expected"), NOTATIONS, ids=[n[0][:30] for n in NOTATIONS])
def test_list_notations(item: str, expected: list) -> None:
    found = find_exemptions([NOTE, "1. a", HEAD, item, "Reason for decision", "Text."])[0]
    assert [(e.section, e.subsection, e.ncnd) for e in found] == expected


REASONS = [
    ("This information is exempt under S31, please see above.", {(31, False)}),
    ("The Section 40(2) exemption has been applied to the names.", {(40, False)}),
    (
        "I have applied the exemption provided under Section 40(2) of the Freedom of Information Act.",
        {(40, False)},
    ),
    (
        "The cost of complying would exceed the appropriate limit (Section 12) of the Act.",
        {(12, False)},
    ),
    (
        "Section 14(1) of the Act provides that a public authority need not comply with a vexatious request.",
        {(14, False)},
    ),
    (
        "Section 1 of the Freedom of Information Act 2000 places two duties on public authorities.",
        set(),
    ),
    ("This letter is a Refusal Notice under Section 17 of the Act.", set()),
    ("Section 16 of the Act places a duty to provide advice and assistance.", set()),
    ("Section 3 of the Data Protection Act 2018 confirms what personal data is.", set()),
    (
        "There are six principles set out in the 2018 act and these can be found at section 34.",
        set(),
    ),
    (
        "(as amended by Schedule 19 of the Data Protection Act 2018, specifically Section 58 of that schedule)",
        set(),
    ),
    ("Searches under section 43 of the Terrorism Act 2000 were counted.", set()),
    ("The dogs were seized under Section 5 of the Animal Welfare Act.", set()),
    ("The person was detained under Section 136 Mental Health Act.", set()),
    ("Section 60 stop and search authorisations were made twice.", set()),
    ("Of the persons searched under Section 44, 52 were arrested.", set()),
    ("Section 35 dispersal orders were issued 12 times.", set()),
    ("If you are dissatisfied you may complain under Section 50 of the Act.", set()),
    ("Section 30 has not been applied to this request.", set()),
    (
        "The MPS can neither confirm nor deny that it holds information by virtue of Section 23(5) and Section 24(2).",
        {(23, True), (24, True)},
    ),
    (
        "Sections 23(5), 24(2), 30(3), 31(3) apply: the MPS will neither confirm nor deny.",
        {(23, True), (24, True), (30, True), (31, True)},
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), REASONS, ids=[r[0][:30] for r in REASONS])
def test_reasons_mentions(sentence: str, expected: set) -> None:
    assert (
        sections(
            [NOTE, "1. a", "I have today decided to disclose some of the information.", sentence]
        )
        == expected
    )


def test_request_and_complaint_rights_are_not_read() -> None:
    lines = [
        NOTE,
        "1. Was Section 31(1) used? The MPS refused citing Section 40(2).",
        "I have today decided to disclose the located information to you in full.",
        "COMPLAINT RIGHTS",
        "You can complain under Section 50; Section 31 does not change that.",
    ]
    assert find_exemptions(lines)[0] == ()


def test_answers_need_a_reliance_cue() -> None:
    head = [
        NOTE,
        "1. How many Section 35 dispersal orders?",
        "2. Names?",
        "I have today decided to disclose some of the requested information.",
        "Disclosure",
    ]
    assert sections(head + ["Q1 - How many Section 27 directions were given?", "45"]) == set()
    assert sections(
        head
        + ["Q2 - Names?", "This is exempt for LFR technology under S40(2) Personal Information."]
    ) == {(40, False)}
    assert sections(head + ["Q2 - Names?", "S40(2) Personal Information"]) == {(40, False)}


def test_ncnd_list_and_merging() -> None:
    lines = [
        NOTE,
        "1. a",
        HEAD,
        "Section 31(1)(a)(b) - Law Enforcement",
        "Section 40(2) – Personal Information",
        "Reason for decision",
        "Section 31(1)(a)&(b) of the Act provides ...",
        "this request also requires the MPS to Neither Confirm nor Deny whether it holds any further information. "
        "This is because the duty in Section 1(1)(a) of the Act does not apply, by virtue of the following exemptions",
        "Section 24 National Security",
        "Section 31 Law Enforcement",
        "Confirming or denying would harm.",
    ]
    found = find_exemptions(lines)[0]
    assert [(e.section, e.subsection, e.citation, e.ncnd) for e in found] == [
        (31, "(1)(a)(b)", "Section 31(1)(a)(b)", False),
        (40, "(2)", "Section 40(2)", False),
        (24, "", "Section 24", True),
        (31, "", "Section 31", True),
    ]


def test_plain_list_on_a_page_without_ncnd_wording_is_not_ncnd() -> None:
    lines = [
        NOTE,
        "1. a",
        HEAD,
        "Section 42(2) - Legal Professional Privilege",
        "Reason for decision",
        "Text.",
    ]
    assert sections(lines) == {(42, False)}


def test_catalogue() -> None:
    assert CATALOGUE[40].name == "Personal information" and CATALOGUE[40].kind == "absolute"
    assert (
        CATALOGUE[31].kind == "qualified"
        and CATALOGUE[12].kind == "procedural"
        and CATALOGUE[14].kind == "procedural"
    )
    assert {s for s, e in CATALOGUE.items() if e.kind == "absolute"} == {21, 23, 32, 34, 40, 41, 44}
    assert (
        CATALOGUE[31].legislation_url == "https://www.legislation.gov.uk/ukpga/2000/36/section/31"
    )
    assert lookup(22, "A(1)") is SECTION_22A and SECTION_22A.legislation_url.endswith(
        "/section/22A"
    )
    assert 25 not in CATALOGUE and 17 not in CATALOGUE and 1 not in CATALOGUE
    assert (
        is_ncnd_provision(31, "(3)")
        and is_ncnd_provision(40, "(5B)(a)")
        and not is_ncnd_provision(40, "(2)")
    )


def test_personnel_typo_gets_the_acts_heading() -> None:
    lines = [NOTE, "1. a", HEAD, "Section 40(2) – Personnel Information", "Reason for decision"]
    assert find_exemptions(lines)[0][0].name == "Personal information"


@pytest.mark.timeout(20)
def test_huge_single_line_is_linear() -> None:
    line = (
        "Section 31(1)(a)(b) and (2)(3)(4) & 40(2(3)(a) - Law. s 43 of the Terrorism Act " * 3000
    )[:200_000]
    assert {e.section for e in find_exemptions([NOTE, "1. a", HEAD, line])[0]} == {31, 40}
    assert len(find_citations("(" * 200_000)) == 0
    assert len(find_citations("Section 31" + "(1)" * 60_000)) == 1


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        (
            ["31(1)(a)(b) - Law Enforcement", "40(2) - Personal Information"],
            [(31, "(1)(a)(b)", "31(1)(a)(b)"), (40, "(2)", "40(2)")],
        ),
        (
            ["Law Enforcement - Section 31(1)(a)(b)", "Personal Information - Section 40(2)"],
            [(31, "(1)(a)(b)", "Section 31(1)(a)(b)"), (40, "(2)", "Section 40(2)")],
        ),
        (
            ["• Section 31 – Law Enforcement", "• S.38 Health and Safety"],
            [(31, "", "Section 31"), (38, "", "S.38")],
        ),
    ],
)
def test_list_item_shapes(items: list[str], expected: list) -> None:
    lines = [NOTE, "1. a", HEAD, *items, "Reason for decision", "In 2019, 12 people were counted."]
    assert [(e.section, e.subsection, e.citation) for e in find_exemptions(lines)[0]] == expected


def test_other_list_headers() -> None:
    ncnd = [
        NOTE,
        "1. a",
        "Decision",
        "The duty in Section 1(1)(a) does not apply by virtue of:",
        "Section 24(2) National Security",
        "Section 30(3) Investigations",
        "More.",
    ]
    assert sections(ncnd) == {(24, True), (30, True)}
    applied = [
        NOTE,
        "1. a",
        "Decision",
        "Exemptions applied:",
        "Section 31(1)(a) Law Enforcement",
        "More.",
    ]
    assert sections(applied) == {(31, False)}


def test_template_slip_does_not_make_a_plain_list_ncnd() -> None:
    lines = [
        NOTE,
        "1. a",
        "Having considered this request, I regret to advise that the duty in Section 1(1)(a) of the Act. "
        "I have today decided to disclose some of the requested information ... by virtue of the following exemptions:",
        "Section 31 (1) (a) (b) – Law Enforcement",
        "Reason for decision",
    ]
    assert [(e.section, e.subsection, e.ncnd) for e in find_exemptions(lines)[0]] == [
        (31, "(1)(a)(b)", False)
    ]


def test_legal_annex_quoting_the_act_is_not_relied_on() -> None:
    lines = [
        NOTE,
        "1. a",
        HEAD,
        "Section 24(1) - National Security",
        "Reason for decision",
        "Text.",
        "Legal Annex",
        "Section 24(1) provides: Information which does not fall within section 23(1) is exempt information ...",
        "Section 31(1) provides: Information which is not exempt information by virtue of section 30 ...",
    ]
    assert sections(lines) == {(24, False)}


def test_passing_mention_with_a_list_needs_reliance() -> None:
    lines = [
        NOTE,
        "1. a",
        HEAD,
        "Section 31(1)(a)(b) - Law Enforcement",
        "Reason for decision",
        "The ICO guidance notes that section 30 and this exemption are mutually exclusive.",
        "I have also applied Section 38(1)(a) to the building plans.",
    ]
    assert sections(lines) == {(31, False), (38, False)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Section 31 of the APP guidance sets out the checks.", []),
        ("Section 24 of our policy covers this.", []),
        ("Section 31 of the 2000 Act applies.", [31]),
        ("section 34 of the 2018 Act lists the principles.", []),
        ("Section 38 of FOIA applies.", [38]),
        ("Sections 30 and 31 are mutually exclusive.", [30, 31]),
        ("SECTION 31(1)(a)", [31]),
        ("s31(1)(a) and S.40(2)", [31, 40]),
        ("section31", [31]),
        ("the officer’s 24 hour shift and officers 40 hours", []),
        ("Section 2.5 of the guidance", []),
        ("Section 2020", []),
        ("The store at S31 8AB, Sheffield", []),
        ("SE14 and SW18 and SO15", []),
        ("Section 21 notices served by landlords", []),
        ("exempt by virtue of Section 44(1)(a) under the Contempt of Court Act 1981", [44]),
        ("stop and search under Section 44 of the Terrorism Act 2000", []),
    ],
)
def test_citation_scanner(text: str, expected: list[int]) -> None:
    assert [c.section for c in find_citations(text)] == expected


def test_samples_precision_and_recall(capsys: pytest.CaptureFixture) -> None:
    """Over the samples that show an exemption list: what we find against that list."""
    tp = fp = fn = 0
    for _, lines, _ in _samples():
        listed = _listed_sections(lines)
        if listed:
            found = {e.section for e in find_exemptions(lines)[0]}
            tp, fp, fn = (
                tp + len(listed & found),
                fp + len(found - listed),
                fn + len(listed - found),
            )
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nreal samples with a list: {tp + fn} sections listed; precision {precision:.3f} recall {recall:.3f}"
        )
    assert precision >= 0.98 and recall >= 0.98


def test_a_possibility_is_not_reliance_when_a_list_says_what_was_relied_on() -> None:
    lines = [
        NOTE,
        "1. a",
        HEAD,
        "Section 31(1)(a)(b) - Law Enforcement",
        "Reason for decision",
        "Section 30 would apply if there were an ongoing investigation, but there is none.",
    ]
    assert sections(lines) == {(31, False)}


def test_provision_labels() -> None:
    from parsers.foia import PROVISIONS, provision

    assert (
        provision(22, "A(1)(a)") == "22A"
        and provision(22, "(1)(a)") == "22"
        and provision(31, "") == "31"
    )
    assert (
        PROVISIONS["22A"].name == "Research"
        and PROVISIONS["22"].name == "Information intended for future publication"
    )
    assert set(PROVISIONS) == {str(s) for s in CATALOGUE} | {"22A"}
