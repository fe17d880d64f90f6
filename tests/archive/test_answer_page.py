"""The response page: decision first, each answer once under its questions, tables as tables.

Runs the real app (`build_datasette`) over the mirror archive and over a small archive of
hand-built records for the cases the mirror does not have.
"""

from __future__ import annotations

import html
import re

import pytest
import sqlite_utils

from db.load import Provenance, load_response, response_key
from db.schema import ensure_schema
from parsers.record import Answer, Exemption, Question, Table
from plugins.answers_view import Block, TableView, split_blocks
from plugins.app import build_datasette
from plugins.decision_view import decision_for
from tests.archive.build import SCRIPT, SEED_001_ID
from tests.archive.records import make_response

STOPS_ID = "metropolitan-police/disclosure-2024/march-2024/stop-and-search-borough-2023"
IMSI_ID = "metropolitan-police/d/march-2022/imsi-catchers-protests-parliament-square"


def qa_section(page: str) -> str:
    start = page.index('<section class="questions">')
    return page[start : page.index("</section>", start)]


def decision_section(page: str) -> str:
    start = page.index('<section class="decision')
    return page[start : page.index("</section>", start)]


def groups(page: str) -> list[str]:
    return re.findall(r'<li class="qa-pair"[^>]*>(.*?)</div>\s*</li>', qa_section(page), re.S)


def text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


async def get(ds, rid: str) -> str:
    response = await ds.client.get("/response/" + rid)
    assert response.status_code == 200
    return response.text


async def test_seed_shows_each_answer_once_per_group_of_questions(ds):
    page = await get(ds, SEED_001_ID)
    section = qa_section(page)
    assert section.count("fall outside the act") == 1
    assert section.count("LFR - Deployment Records") == 3
    assert "Questions and answers (20 questions, 7 answers)" in section
    found = groups(page)
    outside = [g for g in found if "fall outside the act" in g]
    assert len(outside) == 1
    numbers = re.findall(r'<span class="number">([^<]+)\.</span>', outside[0])
    assert numbers == ["7", "8", "9", "10"]
    assert "Answer to questions 7 – 10:" in outside[0]
    deployment = [g for g in found if "LFR - Deployment Records" in g]
    assert [re.findall(r'<span class="number">([^<]+)\.</span>', g) for g in deployment] == [
        ["1", "1a"],
        ["5", "5a", "5b", "5c", "5d"],
        ["6", "6a", "6b"],
    ]
    assert "No separate answer" not in page


async def test_seed_decision_comes_first(ds):
    page = await get(ds, SEED_001_ID)
    assert page.index('<section class="decision') < page.index('<dl class="facts">')
    decision = decision_section(page)
    assert "Disclosed in part: some information withheld" in decision
    assert "Section 31(1)(a)&amp;(b)" in decision and "Law enforcement" in decision
    assert '<details class="reasons" open>' in decision
    assert "The Section 31 Exemption has been applied in relation to Question 2 part A" in decision


async def test_a_table_in_an_answer_is_an_html_table(ds):
    page = await get(ds, STOPS_ID)
    section = qa_section(page)
    assert section.count('<table class="answer-table">') == 1
    head = re.search(r"<thead>(.*?)</thead>", section, re.S).group(1)
    assert re.findall(r'<th scope="col">([^<]*)</th>', head) == [
        "Borough",
        "Total stop and searches",
        "Section 60 searches",
        "Arrests",
    ]
    assert "<tr><td>Barnet</td><td>4,723</td><td>156</td><td>755</td></tr>" in section
    assert "Borough | Total" not in section  # not flattened any more
    assert "Please see the table below." in section


def full_text_section(page: str) -> str:
    start = page.index('<section class="body">')
    return page[start : page.index("</section>", start)]


async def test_the_full_text_shows_tables_as_tables(ds):
    body = full_text_section(await get(ds, STOPS_ID))
    assert body.count('<table class="answer-table">') == 1
    assert "<tr><td>Barnet</td><td>4,723</td><td>156</td><td>755</td></tr>" in body
    assert "Borough | Total" not in body
    before, after = body.split('<div class="table-wrap"')
    assert "Please see the table below." in before  # the text around it, in place
    assert 'aria-label="Table 1 in the full text"' in body


async def test_the_full_text_without_tables_is_the_text(small):
    page = await get(small, rid("shared-apart"))
    body = full_text_section(page)
    assert "<table" not in body and body.count('<div class="text">') == 1


async def test_ncnd_reasons_are_open_with_their_headings(ds):
    page = await get(ds, IMSI_ID)
    decision = decision_section(page)
    assert "Neither confirmed nor denied" in decision
    assert decision.count('<span class="ncnd">NCND: used to neither confirm nor deny</span>') == 3
    assert '<details class="reasons" open>' in decision
    assert re.findall(r"<h3>([^<]+)</h3>", decision) == [
        "Harm in confirming or denying that information is held",
        "Public interest considerations favouring confirming or denying",
        "Public interest considerations favouring neither confirming nor denying",
        "Balance test",
    ]
    section = qa_section(page)
    assert section.count('class="answer missing"') == 1
    assert "see the decision and its reasons above" in section
    assert "No separate answer" not in page


# A small archive of hand-built records for what the mirror does not show.
TABLE = Table(1, (("Kind", "Count"), (SCRIPT, "<b>2</b>"), ("Vans", "3")), 1, 3)
TABLE_TEXT = f"Our fleet:\nKind | Count\n{SCRIPT} | <b>2</b>\nVans | 3\nFigures at 1 April."


def _record(slug: str, **changes):
    return make_response(slug, **changes)


RECORDS = {
    "hostile-table": _record(
        "hostile-table",
        questions=(Question("1", "Fleet?", TABLE_TEXT, 1), Question("2", "Plans?", "None.", 2)),
        answers=(Answer(1, ("1",), TABLE_TEXT, (1,)), Answer(2, ("2",), "None.", ())),
        tables=(TABLE,),
        outcome="full",
        exemptions=(),
        body_text="I have today decided to disclose the located information to you in full.",
    ),
    "shared-apart": _record(
        "shared-apart",
        questions=(
            Question("1", "Cars?", "Not held.", 1),
            Question("2", "Vans?", "Three.", 2),
            Question("3", "Bikes?", "Not held.", 1),
        ),
        answers=(Answer(1, ("1", "3"), "Not held.", ()), Answer(2, ("2",), "Three.", ())),
    ),
    "before-migration": _record(
        "before-migration",
        questions=(
            Question("1", "Cars?", "Not held."),
            Question("1a", "Which?", "Not held."),
            Question("2", "Vans?", "Three."),
        ),
    ),
    "ncnd-no-heading": _record(
        "ncnd-no-heading",
        questions=(Question("1", "Do you use IMSI catchers?"), Question("2", "How many?")),
        outcome="ncnd",
        ncnd=True,
        exemptions=(Exemption(24, "(2)", "Section 24(2)", "National security", True),),
        body_text="\n".join(
            [
                "I note you seek access to the following information:",
                "1. Do you use IMSI catchers?",
                "2. How many?",
                "The MPS can neither confirm nor deny that it holds the information you requested.",
                "Harm in confirming or denying",
                "Confirming would help criminals.",
                "Yours sincerely",
            ]
        ),
    ),
}


@pytest.fixture(scope="module")
def small_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("answers") / "foi.db"
    db = sqlite_utils.Database(path)
    ensure_schema(db)
    for record in RECORDS.values():
        load_response(db, record, Provenance(record.url, "2024-09-01T00:00:00Z", "sha"))
    db.conn.close()
    return path


@pytest.fixture
async def small(small_path):
    datasette = build_datasette(small_path)
    await datasette.invoke_startup()
    return datasette


def rid(slug: str) -> str:
    return response_key(RECORDS[slug].url)


async def test_table_cells_are_escaped(small):
    section = qa_section(await get(small, rid("hostile-table")))
    assert SCRIPT not in section and "<b>2</b>" not in section
    assert "<td>&lt;script&gt;alert(1)&lt;/script&gt;</td><td>&lt;b&gt;2&lt;/b&gt;</td>" in section
    assert '<th scope="col">Kind</th>' in section
    before, after = section.split('<div class="table-wrap"')
    assert "Our fleet:" in before and "Figures at 1 April." in after
    assert "Kind | Count" not in section


async def test_full_disclosure_has_no_reasons_block(small):
    page = await get(small, rid("hostile-table"))
    decision = decision_section(page)
    assert "Disclosed in full" in decision and "No exemptions cited." in decision
    assert "Reason for decision" not in decision


async def test_an_answer_shared_by_questions_apart_is_shown_once(small):
    page = await get(small, rid("shared-apart"))
    found = groups(page)
    assert len(found) == 3
    assert qa_section(page).count("Not held.") == 1
    assert 'id="answer-1"' in found[0] or 'id="answer-1"' in qa_section(page)
    assert "Answered together with question 1" in found[2]
    assert 'href="#answer-1"' in found[2]


async def test_an_archive_not_reparsed_groups_equal_answers_in_a_row(small):
    found = groups(await get(small, rid("before-migration")))
    assert len(found) == 2
    assert "Answer to questions 1 – 1a:" in found[0] and "Not held." in found[0]


async def test_ncnd_without_a_reasons_heading_shows_the_reasoning_after_the_decision(small):
    page = await get(small, rid("ncnd-no-heading"))
    decision = decision_section(page)
    assert '<details class="reasons" open>' in decision
    assert "<h3>Harm in confirming or denying</h3>" in decision
    assert "<p>Confirming would help criminals.</p>" in decision
    assert '<span class="ncnd">NCND: used to neither confirm nor deny</span>' in decision
    assert "Yours sincerely" not in decision
    section = qa_section(page)
    assert section.count('class="answer missing"') == 1
    assert "No separate answer" not in page


def test_split_blocks_puts_each_table_where_its_rows_are() -> None:
    table = TableView((("a", "b"),), (("1", ""),), 2)
    blocks = split_blocks("Intro\na | b\n1 |\nOutro", [table])
    assert blocks == (Block("Intro"), Block(table=table), Block("Outro"))
    assert split_blocks("No table here", [table]) == (Block("No table here"),)


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Balance test", True),
        ("Public interest considerations favouring disclosure", True),
        ("Section 31(1)(a) - Law Enforcement", True),
        ("The MPS holds no information.", False),
        ("Evidence of harm:", False),
        ("a | b", False),
        ("lower case start", False),
    ],
)
def test_reason_headings(line: str, heading: bool) -> None:
    body = "\n".join(
        ["Request: x", "I have today decided to refuse.", "Reason for decision", line, "Text."]
    )
    decision = decision_for({"outcome": "refused", "body_text": body}, answered=False)
    assert decision.reasons[0].heading is heading
    assert decision.reasons_open
