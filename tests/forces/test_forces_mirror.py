"""The other forces' sites in the mirror hold the real openings, in the right chrome."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser

from parsers.sites import site_for_url

ROOT = Path(__file__).parents[2] / "fixtures"
SAMPLES = ROOT / "content/forces/source/other_forces_openings.jsonl"
SITE = ROOT / "site"


def page_text(url: str) -> str:
    parts = urlsplit(url)
    host = site_for_url(url).hosts[0]  # northyorkshire.police.uk is filed under www.
    html = (SITE / host / parts.path.strip("/") / "index.html").read_text(encoding="utf-8")
    return LexborHTMLParser(html).body.text(separator="\n")


def test_every_real_opening_is_a_page_of_its_force_with_its_text():
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        sample = json.loads(line)
        text = page_text(sample["url"])
        body = [x for x in sample["text"].splitlines() if len(x) > 30][-2]  # a body line
        assert body.strip() in text, sample["url"]


def test_welsh_pages_carry_welsh_chrome_only():
    for line in SAMPLES.read_text(encoding="utf-8").splitlines():
        url = json.loads(line)["url"]
        text = page_text(url)
        if "/cy-GB/" in url:
            assert "Allanfa Gyflym" in text and "Rydym yn defnyddio rhai cwcis" in text
            assert "We use some essential cookies" not in text and "Leave this site" not in text
        else:
            assert "We use some essential cookies" in text and "Allanfa Gyflym" not in text
