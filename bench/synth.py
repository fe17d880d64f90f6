"""A deterministic synthetic mirror: N unique response pages built from the real mirror.

Every synthetic page is assembled from real pages of `fixtures/site/` (those listed in
its `manifest.json`): the site chrome of one page (any of the mirror's layouts and
encodings) around the response body of another, its question list and first table
sometimes taken from a third, topic words of title and body exchanged for words of
other titles, and a new reference, month, slug and dates. The pages keep the mirror's
real mix of question counts, exemption lists, tables and chrome; every page, reference
and URL is unique.

Page i depends only on (seed, i): the first 1,000 pages of a 5,000-page mirror are the
1,000-page mirror, and runs are reproducible byte for byte. `bench.synth_site` writes
them out as a mirror the fixture server serves.
"""

from __future__ import annotations

import html as htmlmod
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

GENERATOR_VERSION = "2"
DEFAULT_SEED = 20240818
REPO = Path(__file__).resolve().parent.parent
DEFAULT_SITE_ROOT = REPO / "fixtures" / "site"
CONTENT_ROOT = REPO / "fixtures" / "content"
LIVE = "https://www.met.police.uk"

MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
YEARS = (2019, 2020, 2021, 2022, 2023, 2023, 2024, 2024, 2025, 2025)
REF_RE = re.compile(r"(\d{1,2})[./](FOI|EIR)[./](\d{2})[./](\d{4,7})")
MAIN_OPEN_RE = re.compile(r"<main\b[^>]*>", re.I)
BODY_OPEN_RE = re.compile(r"<body\b[^>]*>", re.I)
CONTENT_META_RE = re.compile(r"\A\s*<!--meta\s*\n(.*?)\n-->\s*\n", re.S)
OL_RE = re.compile(r"<ol\b[^>]*>(?:(?!<ol\b).)*?</ol>", re.I | re.S)
TABLE_RE = re.compile(r"<table\b[^>]*>(?:(?!<table\b).)*?</table>", re.I | re.S)
TITLE_WORD_RE = re.compile(r"[A-Za-z]{4,}")
# The legal and procedural frame the parser keys on is never swapped, so a synthetic
# page says the same things about exemptions and outcome as its source.
PROTECTED = frozenset(
    """section sections exempt exemption exemptions information personal security
    national enforcement police policing metropolitan service freedom request
    requests disclosure disclosed refusal notice neither confirm deny held cost
    limit vexatious health safety prejudice public interest test data protection
    investigations proceedings reason decision about from with that this what
    which their there were when where your have been into under other over
    more than those these them also such each many much only will would could
    should after before between during within without""".split()
)


@dataclass(frozen=True)
class SourcePage:
    """A real page of the mirror, cut where its response body starts and ends."""

    url_path: str
    reference: str
    title: str
    month: str | None
    published: str | None
    listed: str | None
    encoding: str
    content_type: str | None
    layout: str | None
    head: str  # chrome before the body
    content: str  # the response body
    tail: str  # chrome after it
    lists: tuple[str, ...]
    tables: tuple[str, ...]
    topic_words: tuple[str, ...]


@dataclass(frozen=True)
class SynthPage:
    index: int
    url_path: str
    reference: str
    title: str
    month: str  # YYYY-MM
    published: str | None
    listed: str
    encoding: str
    content_type: str | None
    layout: str | None
    source: str
    html: str

    @property
    def body(self) -> bytes:
        return self.html.encode(self.encoding, errors="xmlcharrefreplace")

    def manifest_entry(self) -> dict:
        return {
            "path": self.url_path.strip("/") + "/index.html",
            "url_path": self.url_path,
            "reference": self.reference,
            "title": self.title,
            "month": self.month,
            "published": self.published,
            "listed": self.listed,
            "source": self.source,
            "encoding": self.encoding,
            "layout": self.layout,
        }


def load_manifest(site_root: Path) -> dict:
    path = Path(site_root) / "manifest.json"
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: no manifest; build the mirror first (fixtures/build_mirror.py)"
        )
    return json.loads(path.read_text(encoding="utf-8"))


def load_sources(
    site_root: Path = DEFAULT_SITE_ROOT, content_root: Path = CONTENT_ROOT
) -> list[SourcePage]:
    """The mirror's response pages that carry a reference, in manifest order."""
    site_root = Path(site_root)
    headers = _headers(site_root)
    sources = []
    for entry in load_manifest(site_root)["responses"]:
        file = _page_file(site_root, entry)
        if not entry.get("reference") or not file.exists():
            continue
        encoding = entry.get("encoding") or "utf-8"
        text = file.read_bytes().decode(encoding, errors="replace")
        head, content, tail = split_page(text, _content_fragment(content_root, entry))
        title = entry.get("title") or ""
        sources.append(
            SourcePage(
                url_path=entry["url_path"],
                reference=entry["reference"],
                title=title,
                month=entry.get("month"),
                published=entry.get("published"),
                listed=entry.get("listed"),
                encoding=encoding,
                content_type=headers.get(entry["url_path"], {}).get("content_type"),
                layout=entry.get("layout"),
                head=head,
                content=content,
                tail=tail,
                lists=tuple(m.group(0) for m in OL_RE.finditer(content)),
                tables=tuple(m.group(0) for m in TABLE_RE.finditer(content)),
                topic_words=tuple(_topic_words(title)),
            )
        )
    if not sources:
        raise ValueError(
            f"{site_root}: the manifest lists no readable response page with a reference"
        )
    return sources


def split_page(text: str, fragment: str | None) -> tuple[str, str, str]:
    """(chrome before, response body, chrome after).

    The body is the page's content fragment where the mirror's source file gives it,
    else what <main> (or failing that <body>) holds.
    """
    if fragment:
        at = text.find(fragment)
        if at >= 0:
            return text[:at], fragment, text[at + len(fragment) :]
    for opener, closer in ((MAIN_OPEN_RE, "</main>"), (BODY_OPEN_RE, "</body>")):
        m = opener.search(text)
        if m:
            end = text.lower().rfind(closer)
            if end < m.end():
                end = len(text)
            return text[: m.end()], text[m.end() : end], text[end:]
    return "", text, ""


def iter_pages(sources: list[SourcePage], n: int, seed: int = DEFAULT_SEED) -> Iterator[SynthPage]:
    """Pages 0..n-1. A slug already used that month gets -2, -3 ... as on the site."""
    vocabulary = sorted({w for s in sources for w in s.topic_words})
    used: set[str] = set()
    for i in range(n):
        page = synth_page(sources, vocabulary, i, seed, used)
        used.add(page.url_path)
        yield page


def synth_page(
    sources: list[SourcePage],
    vocabulary: list[str],
    i: int,
    seed: int,
    used: set[str] = frozenset(),
) -> SynthPage:
    rng = random.Random(f"{seed}:{i}")
    body, chrome = rng.choice(sources), rng.choice(sources)
    year, month_no, day = rng.choice(YEARS), rng.randrange(12), rng.randrange(1, 29)
    listed = f"{year:04d}-{month_no + 1:02d}-{day:02d}"
    ref_year = year - 1 if month_no < 2 and rng.random() < 0.5 else year
    reference = new_reference(body.reference, i, ref_year)
    swaps = _word_swaps(rng, body, vocabulary)
    title = _swap_words(body.title, swaps) if swaps else body.title
    content = _recombine(rng, body, sources)
    if swaps:
        content = _swap_words(content, swaps, text_only=True)
    url_path = _unique(_url_path(rng, year, month_no, _slugify(title) or f"response-{i}"), used)

    replacements: dict[str, str] = {}
    for old in (chrome, body):
        replacements.update(_identity_map(old, reference, title, url_path, listed))
    page = _replace_all(chrome.head + content + chrome.tail, replacements)
    return SynthPage(
        index=i,
        url_path=url_path,
        reference=reference,
        title=title,
        month=listed[:7],
        published=listed if body.published else None,
        listed=listed,
        encoding=chrome.encoding,
        content_type=chrome.content_type,
        layout=chrome.layout,
        source=f"synthetic:{seed}:{i} body={body.reference} chrome={chrome.reference}",
        html=page,
    )


def new_reference(old: str, i: int, year: int) -> str:
    """The source's notation with a new serial, a bijection of i (unique below 10^6)."""
    serial = (i * 7919 + 104729) % 1_000_000
    m = REF_RE.fullmatch(old)
    if m:
        return f"{m.group(1)}.{m.group(2)}.{year % 100:02d}.{serial:06d}"
    return f"{year}{serial:09d}"


# --- the pieces -------------------------------------------------------------------


def _page_file(site_root: Path, entry: dict) -> Path:
    path = entry.get("path") or entry["url_path"].strip("/") + "/index.html"
    return site_root / path


def _headers(site_root: Path) -> dict:
    path = site_root / "_meta" / "headers.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _content_fragment(content_root: Path, entry: dict) -> str | None:
    """The body as the mirror's builder inserted it, where its source file is at hand."""
    if not entry.get("file"):
        return None
    path = Path(content_root) / entry["file"]
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    m = CONTENT_META_RE.match(text)
    return text[m.end() :] if m else None


def _topic_words(title: str) -> list[str]:
    return [w.lower() for w in TITLE_WORD_RE.findall(title) if w.lower() not in PROTECTED]


def _word_swaps(rng: random.Random, body: SourcePage, vocabulary: list[str]) -> dict[str, str]:
    """One to three of the body's title words, each mapped to another title's word."""
    own = sorted(set(body.topic_words))
    if not own or len(vocabulary) < 2:
        return {}
    swaps = {}
    for word in rng.sample(own, min(len(own), rng.randint(1, 3))):
        other = rng.choice(vocabulary)
        if other != word:
            swaps[word] = other
    return swaps


def _swap_words(text: str, swaps: dict[str, str], text_only: bool = False) -> str:
    guard = r"(?![^<]*>)" if text_only else ""  # not inside a tag
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, swaps)) + r")\b" + guard, re.I)

    def repl(m: re.Match) -> str:
        word, new = m.group(0), swaps[m.group(0).lower()]
        if word.isupper() and len(word) > 1:
            return new.upper()
        return new.capitalize() if word[0].isupper() else new

    return pattern.sub(repl, text)


def _recombine(rng: random.Random, body: SourcePage, sources: list[SourcePage]) -> str:
    """The body; its first numbered list and first table perhaps from other pages."""
    content = body.content
    for own, kind in ((body.lists, "lists"), (body.tables, "tables")):
        if own and rng.random() < 0.5:
            donor = getattr(rng.choice(sources), kind)
            if donor:
                content = content.replace(own[0], rng.choice(donor), 1)
    return content


def _url_path(rng: random.Random, year: int, month_no: int, slug: str) -> str:
    month = MONTHS[month_no]
    # One month was seen on the live site as "january---2026".
    segment = f"{month}---{year}" if rng.random() < 0.005 else f"{month}-{year}"
    if year >= 2023:
        return f"/foi-ai/metropolitan-police/disclosure-{year}/{segment}/{slug}/"
    return f"/foi-ai/metropolitan-police/d/{segment}/{slug}/"


def _unique(url_path: str, used: set[str]) -> str:
    candidate, k = url_path, 2
    while candidate in used:
        candidate = url_path.rstrip("/") + f"-{k}/"
        k += 1
    return candidate


def reference_forms(reference: str) -> list[str]:
    m = REF_RE.fullmatch(reference)
    if not m:
        return [reference]
    force, kind, yy, serial = m.groups()
    return [
        f"{force}.{kind}.{yy}.{serial}",
        f"{force}/{kind}/{yy}/{serial}",
        f"{int(force)}/{kind}/{yy}/{serial}",
        f"{kind}/{yy}/{serial}",
    ]


def _date_forms(iso: str | None) -> list[str]:
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", (iso or "")[:10])
    if not m:
        return []
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    name = MONTHS[mo - 1].capitalize()
    return [
        f"{y:04d}-{mo:02d}-{d:02d}",
        f"{d} {name} {y}",
        f"{d:02d} {name} {y}",
        f"{d:02d}/{mo:02d}/{y}",
        f"{d} {name[:3]} {y}",
        f">{name} {y}</a>",
    ]


def _identity_map(
    old: SourcePage, reference: str, title: str, url_path: str, listed: str
) -> dict[str, str]:
    """Every trace of a source page's identity -> the synthetic page's."""
    pairs = list(zip(reference_forms(old.reference), reference_forms(reference)))
    pairs.append((old.url_path, url_path))
    old_parts, new_parts = old.url_path.strip("/").split("/"), url_path.strip("/").split("/")
    if len(old_parts) >= 4 and len(new_parts) >= 4:  # month and year hub links in breadcrumbs
        pairs.append(("/" + "/".join(old_parts[:-1]) + "/", "/" + "/".join(new_parts[:-1]) + "/"))
        pairs.append(("/" + "/".join(old_parts[:-2]) + "/", "/" + "/".join(new_parts[:-2]) + "/"))
    pairs.append((quote(LIVE + old.url_path, safe=""), quote(LIVE + url_path, safe="")))
    if old.title:
        pairs += [
            (htmlmod.escape(old.title), htmlmod.escape(title)),
            (old.title, title),
            (htmlmod.escape(old.title, quote=False), htmlmod.escape(title, quote=False)),
            (quote(old.title), quote(title)),
        ]
    if old.month and old.month[:4] != listed[:4]:  # the year crumb's text
        pairs.append((f'">{old.month[:4]}</a>', f'">{listed[:4]}</a>'))
    for old_date in {old.listed, old.published} - {None}:
        pairs += list(zip(_date_forms(old_date), _date_forms(listed)))
    return {o: n for o, n in pairs if o and o != n}


def _replace_all(text: str, replacements: dict[str, str]) -> str:
    """Longest first, through placeholders, so a replacement is never replaced again."""
    keys = sorted(replacements, key=len, reverse=True)
    for k, old in enumerate(keys):
        text = text.replace(old, f"\x00{k}\x00")
    for k, old in enumerate(keys):
        text = text.replace(f"\x00{k}\x00", replacements[old])
    return text


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:90].rstrip("-")
