"""Force definitions (parsers/forces.toml) and the URL rules of every force, from real URLs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parsers.dates import month_from_url
from parsers.sites import (
    MPS,
    SITES,
    WELSH_FORCE_SLUGS,
    english_path,
    force_from_url,
    language_from_url,
    load_forces,
    site_for,
    site_for_url,
    url_parts,
)

SAMPLES = Path(__file__).parents[2] / "fixtures/content/forces/source/other_forces_openings.jsonl"
SAMPLE_URLS = [json.loads(line)["url"] for line in SAMPLES.read_text().splitlines()]

# url -> (force, language, month) as the page's address gives them
EXPECTED = {
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2025/202528825---self-declared-religion-officers-and-staff/": (
        "gwent-police",
        "en",
        None,  # from 2025 Gwent's addresses have no month
    ),
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2022/12---december/202225597---facial-recognition/": (
        "gwent-police",
        "en",
        "2022-12",
    ),
    "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/licence-plate-offences-3872025/": (
        "dyfed-powys-police",
        "cy",
        "2025-04",
    ),
    "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/disclosure2022/november/auditors-visits-at-police-stations-7832022/": (
        "dyfed-powys-police",
        "cy",
        "2022-11",
    ),
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2026/january/police-staff-misconduct-12372025/": (
        "dyfed-powys-police",
        "en",
        "2026-01",
    ),
    "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2024/april/foi-422-24-drones/": (
        "cleveland-police",
        "en",
        "2024-04",
    ),
    "https://www.devon-cornwall.police.uk/foi-ai/devon--cornwall-police/disclosure-logs/2025-disclosures/maritime-police-unit/": (
        "devon--cornwall-police",
        "en",
        None,  # a year, no month
    ),
    "https://www.essex.police.uk/foi-ai/essex-police/other-information/answers-to-previous-foi-requests/policies-and-guidance-on-use-of-body-worn-video/": (
        "essex-police",
        "en",
        None,
    ),
    "https://northyorkshire.police.uk/foi-ai/north-yorkshire-police/foi-disclosure-2021-22/january-2026/foi-0260-202425---dangerous-dogs/": (
        "north-yorkshire-police",
        "en",
        "2026-01",  # the section kept its 2021-22 name; the month segment counts
    ),
    "https://www.northants.police.uk/foi-ai/northamptonshire-police/disclosure-logs/2025/february/foi-940-25-crime-statistics/": (
        "northamptonshire-police",
        "en",
        "2025-02",
    ),
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/march/foi-1432-24/": (
        "south-wales-police",
        "en",
        "2025-03",
    ),
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2023/october-2023/foi-982-2023--oct-2023--foi-request/": (
        "warwickshire-police",
        "en",
        "2023-10",
    ),
    "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2026/january---2026/x/": (
        "metropolitan-police",
        "en",
        "2026-01",
    ),
    "https://www.met.police.uk/foi-ai/metropolitan-police/d/july-2022/x/": (
        "metropolitan-police",
        "en",
        "2022-07",
    ),
}


@pytest.mark.parametrize("url", SAMPLE_URLS + list(EXPECTED))
def test_every_real_url_is_a_response_page_of_its_force(url):
    site = site_for_url(url)
    assert site is not None and site.key == force_from_url(url)
    assert site.is_detail_path(url.split(".uk", 1)[1])
    assert url_parts(url).get("slug") == url.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.parametrize(("url", "expected"), EXPECTED.items())
def test_force_language_and_month_from_the_url(url, expected):
    assert (force_from_url(url), language_from_url(url), month_from_url(url)) == expected


def test_samples_with_a_month_segment_all_give_one():
    months = {url: month_from_url(url) for url in SAMPLE_URLS}
    no_month = sorted(url for url, month in months.items() if month is None)
    # only the forces whose addresses carry no month: Essex, Devon & Cornwall, Gwent 2025
    assert all(
        "/essex-police/" in u or "-disclosures/" in u or "/disclosure2/2025/" in u for u in no_month
    )
    assert len(no_month) == 5


@pytest.mark.parametrize(
    "path",
    [
        "/foi-ai/af/accessing-information/published-items/",
        "/foi-ai/gwent-police/publication-scheme/who-we-are/",
        "/SysSiteAssets/foi-media/gwent-police/disclosure2/2025/x.pdf",
        "/foi-ai/gwent-police/disclosure2/",
        "/foi-ai/cleveland-police/disclosure/2025/",
    ],
)
def test_not_response_pages(path):
    assert site_for_url("https://www.gwent.police.uk" + path) is None


def test_a_path_of_one_force_is_not_another_forces():
    cleveland = SITES["cleveland-police"]
    assert not cleveland.is_detail_path(
        "/foi-ai/northamptonshire-police/disclosure-logs/2025/may/x/"
    )
    assert not MPS.is_detail_path("/foi-ai/cleveland-police/disclosure/2025/april/x/")


def test_the_forces_file_defines_every_force_on_the_platform():
    assert len(SITES) >= 36
    for key, site in SITES.items():
        assert re.fullmatch(r"[a-z]+(?:-{1,2}[a-z]+)*", key)
        assert site.base_url == f"https://{site.hosts[0]}" and site.hosts[0].endswith(".police.uk")
        assert site.detail_patterns and site.lister_path.startswith("/foi-ai/")
        for pattern in site.reference_patterns:
            assert "(?P<ref>" in pattern and re.compile(pattern)
    sampled = {force_from_url(u) for u in SAMPLE_URLS} | {"metropolitan-police"}
    assert len(sampled) == 10 and sampled <= set(SITES)
    assert all(SITES[k].evidence == "pages" for k in sampled)
    assert WELSH_FORCE_SLUGS["heddlu-dyfed-powys"] == "dyfed-powys-police"


def test_site_for_keys_aliases_hosts_and_mirrors():
    assert site_for("mps") is MPS and site_for("gwent-police").key == "gwent-police"
    assert site_for("heddlu-gwent").key == "gwent-police"
    assert site_for("https://www.gwent.police.uk").key == "gwent-police"
    assert site_for("https://northyorkshire.police.uk").key == "north-yorkshire-police"
    mirror = site_for("http://127.0.0.1:8765")
    assert mirror.key == "metropolitan-police" and mirror.base_url == "http://127.0.0.1:8765"


def test_a_force_under_a_mirror_prefix_keeps_its_rules():
    gwent = SITES["gwent-police"].rebased("http://127.0.0.1:9/www.gwent.police.uk")
    path = "/www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2022/07---july/202225222---x/"
    assert gwent.is_detail_path(path)
    url = "http://127.0.0.1:9" + path
    assert force_from_url(url) == "gwent-police" and month_from_url(url) == "2022-07"


# Where the force puts its reference in the slug, the data gives it as the force writes it.
SLUG_REFERENCES = {
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/july/foi-80025/": "800/25",
    "https://www.south-wales.police.uk/foi-ai/south-wales-police/disclosure-log/2025/march/foi-1432-24/": "1432/24",
    "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2022/07---july/202225222---sexual-offences/": "2022/25222",
    "https://www.northants.police.uk/foi-ai/northamptonshire-police/disclosure-logs/2025/may/foi-8057-25-tool-theft-data/": "8057-25",  # "FOI " is label (parsers/reference.py)
    "https://www.cleveland.police.uk/foi-ai/cleveland-police/disclosure/2024/april/foi-422-24-drones/": "422-24",
    "https://www.dyfed-powys.police.uk/foi-ai/dyfed-powys-police/disclosure-2025/april/facial-recognition-technology-4122025/": "412/2025",
    "https://www.warwickshire.police.uk/foi-ai/warwickshire-police/foi-disclosure-2024/july-2024/foi-611-2024--july-2024--fleet/": "611-2024",
}


@pytest.mark.parametrize(("url", "reference"), SLUG_REFERENCES.items())
def test_reference_in_slug_data(url, reference):
    site = site_for_url(url)
    slug = url_parts(url)["slug"]
    for rule in site.reference_in_slug:
        found = re.search(rule.pattern, slug)
        if found:
            assert rule.format.format(**found.groupdict()) == reference
            return
    pytest.fail(f"no reference_in_slug rule matched {slug}")


def test_a_user_can_add_a_force_without_code():
    text = r"""
[platform]
lister_path = "/foi-ai/af/accessing-information/published-items/"
detail_patterns = ['{root}/disclosure/(?P<year>\d{4})/(?P<slug>[^/]+)/?']
[forces.new-force-police]
name = "New Force Police"
host = "www.newforce.police.uk"
"""
    sites = load_forces(text)
    assert sites["new-force-police"].is_detail_path("/foi-ai/new-force-police/disclosure/2025/x/")


def test_english_path_pairs_welsh_pages_with_their_twins():
    welsh = "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/ebrill/licence-plate-offences-3872025/"
    assert english_path(welsh) == (
        "/foi-ai/dyfed-powys-police/disclosure-2025/april/licence-plate-offences-3872025/"
    )
    english = "https://www.gwent.police.uk/foi-ai/gwent-police/disclosure2/2025/x/"
    assert english_path(english) == "/foi-ai/gwent-police/disclosure2/2025/x/"
    # a Welsh month word in the item slug itself stays as it is
    slug = "https://www.dyfed-powys.police.uk/cy-GB/foi-ai/heddlu-dyfed-powys/datgeliadau-2025/mai/mai-festival-policing-1232025/"
    assert english_path(slug).endswith("/disclosure-2025/may/mai-festival-policing-1232025/")
