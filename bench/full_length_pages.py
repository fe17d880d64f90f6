"""Full-length response pages for the parse benchmark: the live site's 5,000-15,000
characters of text, in the mirror's real chrome and markup.

Most of the mirror's response pages are openings of real pages (~2,000 characters of
text); only a few seeds are whole. So, as `bench.national` does for records, each page
here is a real mirror page (its own chrome, head and tail, around its own body) whose
body is extended with real paragraphs (`<p>` elements as they stand) of other real
bodies until its text reaches a length drawn from the live mix (most 5,000-12,000,
some up to 15,000). Page i depends only on (seed, i).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

from selectolax.lexbor import LexborHTMLParser

from bench.synth import DEFAULT_SEED, LIVE, SourcePage

MIN_CHARS, MAX_CHARS = 5_000, 15_000
# Real paragraphs only: whole <p> elements holding no other block, of some length.
PARAGRAPH_RE = re.compile(r"<p\b[^>]*>(?:(?!</?(?:p|div|ol|ul|table)\b).)*?</p>", re.I | re.S)
MIN_PARAGRAPH_CHARS = 80


@dataclass(frozen=True)
class FullLengthPage:
    url: str
    html: str
    text_chars: int  # characters of text in the body (lexbor), the figure the live mix is in
    source: str


def text_length(html: str) -> int:
    body = LexborHTMLParser(html).body
    return len(body.text(separator="\n")) if body is not None else 0


def target_length(rng: random.Random) -> int:
    """The live pages' spread: most 5,000-12,000 characters, a sixth 12,000-15,000."""
    if rng.random() < 0.83:
        return rng.randint(MIN_CHARS, 12_000)
    return rng.randint(12_000, MAX_CHARS)


def real_full_length(sources: list[SourcePage], min_chars: int = 8_000) -> list[FullLengthPage]:
    """The mirror's own whole pages (the seeds): body text of min_chars or more."""
    out = []
    for s in sources:
        chars = text_length(s.content)
        if chars >= min_chars:
            html = s.head + s.content + s.tail
            out.append(FullLengthPage(LIVE + s.url_path, html, chars, s.url_path))
    return out


def paragraphs(sources: list[SourcePage]) -> list[tuple[str, str, int]]:
    """(source url_path, <p> element, its text length) of every real body."""
    out = []
    for s in sources:
        for m in PARAGRAPH_RE.finditer(s.content):
            chars = text_length(m.group(0))
            if chars >= MIN_PARAGRAPH_CHARS:
                out.append((s.url_path, m.group(0), chars))
    return out


def iter_full_length(
    sources: list[SourcePage], n: int, seed: int = DEFAULT_SEED
) -> Iterator[FullLengthPage]:
    """n synthetic full-length pages: a real page, its body extended with others' paragraphs."""
    pool = paragraphs(sources)
    lengths = {s.url_path: text_length(s.content) for s in sources}
    for i in range(n):
        rng = random.Random(f"{seed}:full-length:{i}")
        page = rng.choice(sources)
        target, chars, extra = target_length(rng), lengths[page.url_path], []
        others = [p for p in pool if p[0] != page.url_path]
        while chars < target and others:
            _, paragraph, length = rng.choice(others)
            extra.append(paragraph)
            chars += length + 1
        content = page.content + "\n" + "\n".join(extra) if extra else page.content
        url = LIVE + page.url_path.rstrip("/") + f"-full-{i}/"
        yield FullLengthPage(url, page.head + content + page.tail, chars, page.url_path)
