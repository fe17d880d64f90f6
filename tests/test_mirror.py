"""The built mirror (fixtures/site): seeds word for word, samples kept, manifest true."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
from selectolax.lexbor import LexborHTMLParser

from parsers.sites import MPS

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
SITE = FIXTURES / "site"
CONTENT = FIXTURES / "content"
sys.path.insert(0, str(FIXTURES))

import build_mirror  # noqa: E402
from mirror_import import CHROME_LINES, strip_chrome  # noqa: E402

BLOCK = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "td",
    "th",
    "table",
    "section",
    "article",
    "main",
    "header",
    "footer",
    "nav",
    "aside",
    "form",
    "fieldset",
    "legend",
    "br",
    "dd",
    "dt",
    "dl",
    "blockquote",
    "pre",
    "button",
    "body",
    "label",
    "select",
    "option",
}
INVISIBLE = {"script", "style", "noscript", "template", "head", "svg", "title"}


def visible_lines(html: str) -> list[str]:
    """The page's text one block per line, as a browser's text dump lays it out."""
    out: list[list[str]] = [[]]

    def walk(node) -> None:
        for child in node.iter(include_text=True):
            if child.tag == "-text":
                out[-1].append(child.text_content or "")
            elif child.tag in INVISIBLE:
                continue
            elif child.tag in BLOCK:
                out.append([])
                walk(child)
                out.append([])
            else:
                walk(child)

    walk(LexborHTMLParser(html).root)
    lines = (re.sub(r"[ \t\r\n]+", " ", "".join(parts)).strip(" ") for parts in out)
    return [line for line in lines if line]


@pytest.fixture(scope="module")
def manifest() -> dict:
    return json.loads((SITE / "manifest.json").read_text(encoding="utf-8"))


def page_text(item: dict) -> str:
    raw = (SITE / item["path"]).read_bytes()
    return raw.decode("cp1252" if item["encoding"] == "windows-1252" else "utf-8")


def test_seeds_are_reproduced_word_for_word(manifest):
    seeds = [r for r in manifest["responses"] if r["source"] == "seed"]
    assert len(seeds) == 3
    for item in seeds:
        meta, _ = build_mirror.read_content(CONTENT / item["file"])
        seed_text = (CONTENT / "seeds" / meta["expect"]["seed_file"]).read_text(encoding="utf-8")
        page_lines = set(visible_lines(page_text(item)))
        seed_lines = [line for line in seed_text.split("\n") if line.strip()]
        missing = [line for line in seed_lines if line not in page_lines]
        assert not missing, (
            f"{item['url_path']}: {len(missing)} seed lines missing, first {missing[0]!r}"
        )
        # The chrome lines (cookie banner, confirmations, beta banner) are on the page too.
        assert CHROME_LINES & page_lines


def normalise(line: str) -> str:
    line = line.replace("\u00a0", " ")
    line = re.sub(r"^(\d{1,2}[.)]|[•·▪])\s*", "", line.strip())
    return re.sub(r"\s+", " ", line).strip()


def test_samples_keep_every_line(manifest):
    """Sample pages keep each line (list numbers and bullets may become <ol>/<ul>)."""
    samples = {}
    for name in ("mps_openings.jsonl", "other_forces_openings.jsonl"):
        for line in (
            (CONTENT / "samples" / "source" / name).read_text(encoding="utf-8").splitlines()
        ):
            sample = json.loads(line)
            samples[re.sub(r"^https://[^/]+", "", sample["url"])] = sample["text"]
    items = [r for r in manifest["responses"] + manifest["other_forces"] if r["source"] == "sample"]
    assert len(items) == 55 and len(samples) == 55
    for item in items:
        page = {normalise(x) for x in visible_lines(page_text(item))}
        lines = [normalise(x) for x in strip_chrome(samples[item["url_path"]]) if x.strip()]
        missing = [x for x in lines if x and x not in page]
        assert not missing, f"{item['url_path']}: missing {missing[0]!r}"


def test_manifest_matches_the_files(manifest):
    responses = manifest["responses"]
    assert manifest["count"] == len(responses) >= 55
    # Every response page on disk is in the manifest, and nothing else is.
    pages = {"/" + p.parent.relative_to(SITE).as_posix() + "/" for p in SITE.rglob("index.html")}
    detail_pages = {p for p in pages if MPS.is_detail_path(p)}
    assert detail_pages == {r["url_path"] for r in responses}
    for item in responses + manifest["other_forces"]:
        assert (SITE / item["path"]).is_file(), item["path"]
        assert item["path"] == item["url_path"].lstrip("/") + "index.html"
    for item in responses:
        assert item["url_path"].startswith("/foi-ai/metropolitan-police/")
        assert re.fullmatch(r"\d{4}-\d{2}", item["month"] or ""), item
        assert item["reference"], item
    assert len({r["url_path"] for r in responses}) == len(responses)
    assert len(manifest["other_forces"]) >= 3
    assert not any(
        r["url_path"].startswith("/foi-ai/metropolitan-police/") for r in manifest["other_forces"]
    )
    assert 12 <= len(manifest["publication_scheme"]) <= 20
    assert any("/d/" in r["url_path"] for r in responses)
    assert any("/january---2026/" in r["url_path"] and r["month"] == "2026-01" for r in responses)


def test_encodings_are_real_windows_1252(manifest):
    cp1252 = [r for r in manifest["responses"] if r["encoding"] == "windows-1252"]
    assert len(cp1252) >= 4
    headers = json.loads((SITE / "_meta" / "headers.json").read_text())
    declared = {headers[r["url_path"]]["content_type"] for r in cp1252}
    assert {
        "text/html; charset=windows-1252",
        "text/html",
        "text/html; charset=iso-8859-1",
    } <= declared
    for item in cp1252:
        raw = (SITE / item["path"]).read_bytes()
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
        assert (
            b"\x92" in raw or b"\x93" in raw
        )  # cp1252 smart quotes, from the cookie banner at least


def test_three_layouts_and_no_giveaway_classes(manifest):
    layouts = {r["layout"] for r in manifest["responses"]}
    assert layouts == {"modern", "legacy", "cookie_last", "consent_2026", "consent_2023"}
    by_layout = {r["layout"]: page_text(r) for r in manifest["responses"]}
    assert "<main" in by_layout["modern"] and "<main" not in by_layout["legacy"]
    assert 'id="content"' in by_layout["legacy"]
    cookie_last = by_layout["cookie_last"]
    assert 'role="main"' in cookie_last and "<main" not in cookie_last
    assert cookie_last.index("Accept additional cookies") > cookie_last.index(
        "Was this page helpful?"
    )
    heroes = [page_text(r) for r in manifest["responses"] if r["layout"] == "modern"]
    heroes = [h for h in heroes if "page-hero__title" in h]
    assert heroes and all(h.index("page-hero__title") < h.index("<main") for h in heroes)
    # the real platform's consent banner ids (../shared/platform.md), 2026 and 2023
    assert 'id="js-consent-banner"' in by_layout["consent_2026"]
    assert 'id="js-cookie-dismiss-button"' in by_layout["consent_2026"]
    assert 'id="js-cookie-consent-banner"' in by_layout["consent_2023"]
    assert 'id="js-functional-cookie-manager"' in by_layout["consent_2023"]
    for html in by_layout.values():
        assert "response-body" not in html and "foi-response" not in html


def test_rebuild_is_byte_identical_and_spares_golden_files(tmp_path):
    golden = tmp_path / "foi-ai" / "x" / "index.expected.json"
    golden.parent.mkdir(parents=True)
    golden.write_text("{}")
    first = build_mirror.build(CONTENT, tmp_path)
    snapshot = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    build_mirror.build(CONTENT, tmp_path)
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == snapshot
    assert golden.read_text() == "{}"
    assert first["count"] == len(first["responses"])


def test_bad_content_file_is_skipped_with_a_message(tmp_path, capsys):
    group = tmp_path / "written"
    group.mkdir()
    (group / "broken.html").write_text("<h1>No meta</h1>")
    good = build_mirror.read_content(next(CONTENT.glob("seeds/*.html")))
    (group / "good.html").write_text("<!--meta\n" + json.dumps(good[0]) + "\n-->\n" + good[1])
    manifest = build_mirror.build(tmp_path, tmp_path / "site")
    assert manifest["count"] == 1
    assert "broken.html: no <!--meta" in capsys.readouterr().err
