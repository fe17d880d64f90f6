"""Other forces' wording: references as printed, URL months, Welsh chrome, headings."""

from __future__ import annotations

import pytest

from parsers import parse_response
from parsers.chrome import drop_chrome_lines
from parsers.dates import month_from_url
from parsers.reference import find_reference, page_reference
from parsers.reference_formats import reference_from_slug
from parsers.sections import split_parts


@pytest.mark.parametrize(
    "line, ref",
    [
        ("Enquiry Reference: 536-25", "536-25"),
        ("Enquiry Reference: 700 - 24", "700-24"),
        ("Enquiry Reference: 89- 26", "89-26"),
        ("Enquiry Reference: FOI 416-25", "416-25"),
        ("FOI Reference: 412/25", "412/25"),
        ("FREEDOM OF INFORMATION REQUEST REFERENCE NO: 842-2023", "842-2023"),
        ("FREEDOM OF INFORMATION REQUEST REFERENCE NO: FOI-456-2024", "FOI-456-2024"),
        ("Freedom of Information (FOI) Act request ref: 01/FOI/25/009208/R", "01/FOI/25/009208/R"),
        ("Freedom of Information (FOI) Act request ref: 01/FIN/25/000123", "01/FIN/25/000123"),
        ("FOI Number: 18280", "18280"),
        ("FREEDOM OF INFORMATION REQUEST REFERENCE NO: 266818", "266818"),
    ],
)
def test_printed_references_without_their_label(line: str, ref: str) -> None:
    assert find_reference([line, "Request:"], None, None) == ref


def test_mps_form_is_normalised_only_where_the_force_prefix_is_known() -> None:
    assert find_reference(["Reference: 01/FOI/22/026147"], None, "01") == "01.FOI.22.026147"
    assert find_reference(["Reference: 01/FOI/24/007183/S"], None, None) == "01/FOI/24/007183/S"


def test_essex_structured_fields() -> None:
    lines = ["Drones, Unmanned, Aerial, UAV", "PUB 1278", "16188", "Drone operations"]
    assert find_reference(lines) == "16188"


@pytest.mark.parametrize(
    "force, slug, ref",
    [
        ("south-wales-police", "foi-65625", "656/25"),
        ("south-wales-police", "foi-1432-24", "1432/24"),
        ("dyfed-powys-police", "facial-recognition-technology-4122025", "412/2025"),
        ("dyfed-powys-police", "shoplifting-incidents-7524", "75/24"),
        ("gwent-police", "202225392---dogs", "2022/25392"),
        ("cleveland-police", "foi-41625-children", "416-25"),
        ("cleveland-police", "foi-422-24-drones", "422-24"),
        ("north-yorkshire-police", "foi-taser-costs-161-202425", "0161.2024-25"),
        ("north-yorkshire-police", "foi-0622-202425--dogs", "0622.2024-25"),
        ("northamptonshire-police", "foi-11554-25-thefts", "11554-25"),
        ("warwickshire-police", "foi-842-2023--oct-2023--fleet", "842-2023"),
        ("west-mercia-police", "foi-266818", "266818"),
        ("wiltshire-police", "foi-2022-1022", "2022-1022"),
        ("some-new-police", "foi-1234-25-drones", "1234-25"),
        ("some-new-police", "drones-and-tasers", None),
        ("gwent-police", "dogs-seized", None),
    ],
)
def test_reference_from_the_url_slug(force: str, slug: str, ref: str | None) -> None:
    assert reference_from_slug(slug, force) == ref


def test_the_text_wins_over_the_url_and_the_record_says_which() -> None:
    url = "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2024/july-2024/foi-611-2024--july-2024--fleet/"
    found = page_reference(["FOI Reference: 612-2024"], None, url, "warwickshire-police", None)
    assert (found.value, found.source) == ("612-2024", "text")
    found = page_reference(["Request", "How many?"], None, url, "warwickshire-police", None)
    assert (found.value, found.source) == ("611-2024", "url")


def test_an_original_requests_reference_is_not_the_internal_reviews() -> None:
    url = "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/june/foi-66625/"
    lines = ["Original FOI request (622/25)", "I write to request..."]
    found = page_reference(lines, None, url, "south-wales-police", None)
    assert (found.value, found.source) == ("666/25", "url")
    nyp = "https://northyorkshire.police.uk/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/june-2024/foi-0622-202425--dogs/"
    found = page_reference(
        ["Original request (0622.2024-25)"], None, nyp, "north-yorkshire-police", None
    )
    assert (found.value, found.source) == ("0622.2024-25", "text")


@pytest.mark.parametrize(
    "path, month",
    [
        ("/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/x-3872025/", "2025-04"),
        ("/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2024/gorffennaf/x/", "2024-07"),
        ("/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2024/rhagfyr/x/", "2024-12"),
        ("/foi-ai/gwent-police/disclosure2/2022/12---december/202225597---x/", "2022-12"),
        ("/foi-ai/gwent-police/disclosure2/2025/202528825---x/", None),
        ("/foi-ai/cleveland-police/disclosure/2024/july/foi-70024-x/", "2024-07"),
        ("/foi-ai/devon--cornwall-police/disclosure-logs/2025-disclosures/x/", None),
        ("/foi-ai/essex-police/other-information/previous-foi-requests/drones-2020-2021/", None),
        (
            "/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/january-2026/foi-0260-202425/",
            "2026-01",
        ),
    ],
)
def test_month_from_other_forces_urls(path: str, month: str | None) -> None:
    assert month_from_url("https://www.example.police.uk" + path) == month


WELSH_BANNERS = [
    "Allanfa Gyflym",
    "Rydym yn defnyddio rhai cwcis hanfodol i wneud i\u2019n gwefan weithio. Hoffem osod cwcis "
    "ychwanegol fel y gallwn gofio eich dewisiadau a deall sut rydych yn defnyddio ein gwefan.",
    "Mae eich dewisiadau cwcis wedi\u2019u cadw. Gallwch ddiweddaru eich gosodiadau cwcis unrhyw "
    "bryd ar y dudalen cwcis.",
    "Mae\u2019n ddrwg gennym, roedd problem dechnegol. Rhowch gynnig arall arni.",
    "Diolch am roi cynnig ar fersiwn 'beta' ein gwefan newydd. Mae'n waith ar y gweill, byddwn yn "
    "ychwanegu gwasanaethau newydd dros yr wythnosau nesaf, felly cymerwch gip a gadewch i ni "
    "wybod beth yw eich barn chi.",
]


def test_welsh_banners_and_a_notice_after_them_go_welsh_text_stays() -> None:
    notice = "Nid yw ein chwiliwr cyfeiriadau ar gael dros dro. Rydym yn ymddiheuro am unrhyw anghyfleustra."
    body = ["FOI Reference: 387/25", "Cais:", "Faint o ddirwyon a roddwyd?"]
    assert drop_chrome_lines(WELSH_BANNERS + [notice] + body) == body


def test_an_english_notice_after_the_beta_banner_goes() -> None:
    beta = (
        "This site is a beta, which means it's a work in progress and we'll be adding more to it over "
        "the next few weeks. Your feedback helps us make things better, so please let us know what you think."
    )
    notice = "Our address finder is temporarily unavailable. We apologise for any inconvenience."
    body = ["FOI Reference: 75/24", "Request:"]
    assert drop_chrome_lines([beta, notice] + body) == body
    assert drop_chrome_lines([notice] + body) == body  # banners removed with their markup
    # The same words inside the response are the response.
    inside = ["Request:", "Why was the address finder unavailable in May?"]
    assert drop_chrome_lines(inside) == inside
    assert drop_chrome_lines(
        ["Fleet costs", "Repair costs when vehicles were temporarily unavailable."]
    )[1]


def _parts(lines: list[str]) -> tuple[str, str]:
    parts = split_parts(lines)
    return lines[parts.request_start], lines[parts.decision]


def test_headings_of_other_forces() -> None:
    assert _parts(["REQUEST", "How many drones?", "RESPONSE", "Two."]) == (
        "How many drones?",
        "RESPONSE",
    )
    assert _parts(["Request", "Q1. How many?", "Response", "Decision", "I have today decided"]) == (
        "Q1. How many?",
        "Response",
    )
    warwick = [
        "FREEDOM OF INFORMATION REQUEST REFERENCE NO: 606-2025",
        "I write in connection with your request for information which was received on 5th June 2025 as follows:",
        "Q1. The number of vehicles procured.",
        "Please find the Warwickshire Police response set out below.",
        "Response: Section 1 of the Freedom of Information Act 2000 places two duties on public authorities.",
    ]
    assert _parts(warwick) == (warwick[2], warwick[3])
    cleveland = [
        "Dear Sir/Madam",
        "Enquiry Reference: 700 - 24",
        "I write in connection with regards to your Freedom of Information request. Below is your request and our response.",
        "Please provide a list of all types of firearms.",
    ]
    assert split_parts(cleveland).request_start == 3


@pytest.mark.parametrize(
    "label, outcome",
    [("Full Disclosure", "full"), ("Part Disclosure with Section 40(2) Exemption", "partial")],
)
def test_essex_outcome_label(label: str, outcome: str) -> None:
    lines = [
        "Fleet, Fuel, Maintenance, Repair, Electric",
        "PUB 1161",
        "15453",
        "Essex Police Vehicle Fleet",
        "How much does the force spend on fuel?",
        label,
        "16 March 2021",
        "01 April 2021",
        "Having completed enquiries within Essex Police in respect of Section 1(1)(a), Essex Police does hold information.",
    ]
    html = "<main><h1>Fleet</h1>" + "".join(f"<p>{line}</p>" for line in lines) + "</main>"
    record = parse_response(
        html,
        "https://www.essex.police.uk/foi-ai/essex-police/other-information/previous-foi-requests/fleet/",
    )
    assert record.reference == "15453" and record.reference_source == "text"
    assert record.outcome == outcome
    assert record.request_text.endswith("How much does the force spend on fuel?")
    assert record.force == "essex-police" and record.month is None


@pytest.mark.parametrize(
    "lines, response, received",
    [
        (["Enquiry Reference: 536-25", "Date: 29/07/25"], "2025-07-29", None),
        (["FOI ref: 01/FOI/25/009208/R", "Version Date: 07/02/2025"], "2025-02-07", None),
        (
            [
                "I write in connection with your request for information which was received on 24th October 2023 as follows:"
            ],
            None,
            "2023-10-24",
        ),
        (["Full Disclosure", "16 March 2021", "01 April 2021", "N/A"], "2021-04-01", "2021-03-16"),
        (["Request:", "How many arrests on 12 May 2024?"], None, None),
    ],
)
def test_dates_printed_in_the_body(
    lines: list[str], response: str | None, received: str | None
) -> None:
    from parsers.body_dates import printed_dates

    found = printed_dates(lines)
    assert (found.response, found.received) == (response, received)


def test_printed_date_is_the_published_fallback() -> None:
    html = "<main><h1>Drones</h1><p>Enquiry Reference: 536-25</p><p>Date: 29/07/25</p><p>Request:</p><p>How many?</p></main>"
    record = parse_response(
        html,
        "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2025/july/foi-53625-drones/",
    )
    assert record.published == "2025-07-29" and record.reference == "536-25"
    with_meta = html.replace(
        "<main>", '<head><meta name="dcterms.issued" content="2025-08-01"></head><main>'
    )
    assert parse_response(with_meta, "https://x/").published == "2025-08-01"


def test_you_wrote_our_response_pairs_are_questions_and_answers() -> None:
    lines = [
        "You wrote:",
        "How many tasers does the force have?",
        "Our response:",
        "120 Taser devices are held.",
        "You wrote: How many were discharged in 2023?",
        "Our response: Four discharges were recorded.",
        "If you are dissatisfied with this response, you may ask for a review.",
    ]
    html = "<main><h1>Tasers</h1>" + "".join(f"<p>{line}</p>" for line in lines) + "</main>"
    url = "https://www.wiltshire.police.uk/foi-ai/wiltshire-police/fois-with-spreadsheets/2022/foi-2022-1022/"
    record = parse_response(html, url)
    assert [(q.number, q.text, q.answer) for q in record.questions] == [
        ("1", "How many tasers does the force have?", "120 Taser devices are held."),
        ("2", "How many were discharged in 2023?", "Four discharges were recorded."),
    ]
    assert record.outcome == "full"
    assert (record.reference, record.reference_source) == ("2022-1022", "url")


def test_welsh_headings_and_reference_label() -> None:
    lines = [
        "Cyfeirnod Rhyddid Gwybodaeth: 412/25",
        "Cais:",
        "Faint o gamerâu sydd gennych?",
        "Ymateb:",
        "Mae gennym 12.",
    ]
    assert find_reference(lines) == "412/25"
    assert _parts(lines) == ("Faint o gamerâu sydd gennych?", "Ymateb:")
