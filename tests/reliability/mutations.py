"""Seeded mutations of real mirror pages: what a broken server, proxy or CMS could send.

`mutate(page, kind, seed)` is deterministic, so a failure names (page, kind, seed) and
can be replayed with one call. Each kind is cheap to make; the costly ones (deep
nesting, huge attributes) are bounded so 10,000 pages stay quick.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

MIRROR = Path(__file__).resolve().parents[2] / "fixtures" / "site"
URL = "https://www.met.police.uk/foi-ai/metropolitan-police/disclosure-2024/august-2024/x/"

TAGS = [
    b"<p>",
    b"</p>",
    b"<div>",
    b"</div>",
    b"<main>",
    b"</main>",
    b"<ol>",
    b"<li>",
    b"</ol>",
    b"<table><tr><td>",
    b"</td>",
    b"</table>",
    b"<h1>",
    b"</h1>",
    b"<br>",
    b"<script>",
    b"</script>",
    b"<style>",
    b"<!--",
    b"-->",
    b"<![CDATA[",
    b"<svg><foreignObject>",
    b"<template>",
    b"<noscript>",
    b"<plaintext>",
    b"<xmp>",
    b"<textarea>",
    b"<select>",
    b"<math><mi>",
    b"&#x0;",
    b"&#xD800;",
    b"&#1114112;",
    b"&amp",
    b"&nbsp",
    b"<a href=",
    b'<meta charset="utf-16">',
    b'<base href="javascript:alert(1)">',
    b"</html>",
    b"<body>",
    b"<frameset>",
    b"<?xml version='1.0'?>",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>",
]
ENCODINGS = (
    "utf-16",
    "utf-16-be",
    "utf-32",
    "cp1252",
    "latin-1",
    "shift_jis",
    "koi8-r",
    "gb18030",
    "cp037",
)
CHARSET_LIES = (
    b"utf-16",
    b"utf-32",
    b"iso-2022-jp",
    b"x-user-defined",
    b"bogus-charset",
    b"utf-7",
    b"\x00",
    b"",
)


def mirror_pages() -> list[Path]:
    return sorted(MIRROR.glob("foi-ai/**/index.html"))


def _truncate(page: bytes, rng: random.Random) -> bytes:
    cut = rng.randrange(len(page) + 1)
    return page[:cut] if rng.random() < 0.7 else page[cut:]


def _tag_soup(page: bytes, rng: random.Random) -> bytes:
    out = bytearray(page)
    for _ in range(rng.randint(5, 80)):
        at = rng.randrange(len(out) + 1)
        if rng.random() < 0.5:
            out[at:at] = rng.choice(TAGS)
        else:  # delete a run of bytes, often half a tag
            del out[at : at + rng.randint(1, 40)]
    return bytes(out)


def _random_bytes(page: bytes, rng: random.Random) -> bytes:
    out = bytearray(page)
    for _ in range(rng.randint(1, 300)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    if rng.random() < 0.3:
        return bytes(rng.randrange(256) for _ in range(rng.randint(0, 4000)))
    return bytes(out)


def _deep_nesting(page: bytes, rng: random.Random) -> bytes:
    # the deepest pages are the subject of their own test (test_fuzz.py)
    depth = (
        rng.choice((10_000, 50_000))
        if rng.random() < 0.05
        else rng.choice((200, 500, 1000, 2000, 3000))
    )
    tag = rng.choice((b"div", b"ol", b"li", b"table", b"b", b"span", b"blockquote"))
    opening = b"<" + tag + b">"
    closing = b"</" + tag + b">" if rng.random() < 0.5 else b""
    at = page.find(b"<main") if b"<main" in page else rng.randrange(len(page) + 1)
    at = max(0, at)
    return page[:at] + opening * depth + page[at:] + closing * depth


def _huge_attribute(page: bytes, rng: random.Random) -> bytes:
    # 1 MB attributes are tests/parsers' case; here many smaller ones on real pages
    size = rng.choice((10_000, 30_000, 100_000))
    filler = rng.choice((b"x", b"&amp;", b"\"'<>", b"\xe2\x80\x8b"))
    attr = b' data-x="' + filler * (size // len(filler)) + b'"'
    if rng.random() < 0.5:
        attr = attr[:-1]  # never closed: the rest of the page is inside the attribute
    at = page.find(b"<p")
    at = at + 2 if at >= 0 else 0
    return page[:at] + attr + page[at:]


def _wrong_encoding(page: bytes, rng: random.Random) -> bytes:
    text = page.decode("utf-8", errors="replace")
    encoded = text.encode(rng.choice(ENCODINGS), errors="replace")
    if rng.random() < 0.5:  # and a declaration that lies about it
        encoded = re.sub(
            rb"charset=[\"']?[\w-]+", b"charset=" + rng.choice(CHARSET_LIES), encoded, count=1
        )
    if rng.random() < 0.3:
        encoded = (
            rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")) + encoded
        )
    return encoded


def _nul_bytes(page: bytes, rng: random.Random) -> bytes:
    out = bytearray(page)
    for _ in range(rng.randint(1, 200)):
        at = rng.randrange(len(out) + 1)
        out[at:at] = b"\x00" * rng.randint(1, 8)
    return bytes(out)


def _lone_surrogates(page: bytes, rng: random.Random) -> str:
    """A str (as a caller might pass) holding unpaired surrogates, which UTF-8 cannot encode."""
    chars = list(page.decode("utf-8", errors="replace"))
    for _ in range(rng.randint(1, 100)):
        chars.insert(rng.randrange(len(chars) + 1), chr(rng.randint(0xD800, 0xDFFF)))
    return "".join(chars)


def _text_surgery(page: bytes, rng: random.Random) -> bytes:
    """Markup stripped or repeated: a reference, questions and sections with no structure."""
    if rng.random() < 0.5:
        return re.sub(rb"<[^>]{0,200}>", b"", page)
    start = rng.randrange(len(page))
    chunk = page[start : start + rng.randint(1, 4000)]
    return page[:start] + chunk * rng.randint(2, 50) + page[start:]


MUTATIONS = {
    "truncate": _truncate,
    "tag_soup": _tag_soup,
    "random_bytes": _random_bytes,
    "deep_nesting": _deep_nesting,
    "huge_attribute": _huge_attribute,
    "wrong_encoding": _wrong_encoding,
    "nul_bytes": _nul_bytes,
    "lone_surrogates": _lone_surrogates,
    "text_surgery": _text_surgery,
}
KINDS = tuple(MUTATIONS)


def mutate(page: bytes, kind: str, seed: int) -> bytes | str:
    rng = random.Random(seed)
    return MUTATIONS[kind](page or b" ", rng)
