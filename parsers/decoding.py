"""Bytes -> str for HTML pages that arrive without a trustworthy HTTP charset.

Order (a simplified WHATWG sniff): byte-order mark, then a `<meta charset>` or
`http-equiv` declaration in the first 4 KB, then strict UTF-8, then windows-1252.
Pages on the MPS site have been seen as UTF-8 with the odd windows-1252 smart quote
pasted in from Word, so a failed strict UTF-8 decode is not treated as fatal.
"""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{1,40})""", re.I
)
# A real UTF-8 multi-byte sequence: if the bytes contain these, they were meant as UTF-8.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# WHATWG maps these labels to windows-1252, which is what such pages really are.
_CP1252_ALIASES = {
    "iso-8859-1",
    "iso8859-1",
    "latin-1",
    "latin1",
    "us-ascii",
    "ascii",
    "l1",
    "cp819",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_html(data: bytes | bytearray | memoryview) -> tuple[str, tuple[str, ...]]:
    """Decode page bytes; returns (text, warnings). Never raises."""
    text, warnings, _ = decode_html_utf8(data)
    return text, warnings


def decode_html_utf8(
    data: bytes | bytearray | memoryview,
) -> tuple[str, tuple[str, ...], bytes | None]:
    """`decode_html`, plus the bytes when they are exactly the text's UTF-8 (else None):
    the parser hands those to lexbor instead of encoding the text again."""
    data = bytes(data)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return (*_decode(data[len(bom) :], encoding), None)
    declared = _declared_encoding(data[:4096])
    if declared and declared not in ("utf-8", "utf-16-le", "utf-16-be", "utf-16"):
        # (A meta tag claiming UTF-16 in bytes we can read as ASCII is wrong: ignored.)
        # Pages that declare a legacy charset but are really UTF-8 (a CMS template
        # older than its content) decode cleanly as UTF-8 with multi-byte sequences,
        # which real windows-1252 text practically never does.
        if _UTF8_MULTIBYTE.search(data):
            try:
                return data.decode("utf-8"), (f"declared {declared} but bytes are UTF-8",), data
            except UnicodeDecodeError:
                pass
        return (*_decode(data, declared), None)
    try:
        return data.decode("utf-8"), (), data  # strict UTF-8 re-encodes to the same bytes
    except UnicodeDecodeError:
        pass
    if _UTF8_MULTIBYTE.search(data):
        return data.decode("utf-8", errors="replace"), ("undecodable bytes replaced",), None
    text, warnings = _decode(data, "cp1252")
    return text, ("decoded as windows-1252",) + warnings, None


def _decode(data: bytes, encoding: str) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode(encoding), ()
    except UnicodeDecodeError:
        return data.decode(encoding, errors="replace"), ("undecodable bytes replaced",)


def _declared_encoding(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", errors="replace").strip().lower()
    if label in _CP1252_ALIASES:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None
