"""PDFs: the mirror's hand-written PDF, plus encrypted and broken ones made here."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from parsers.extract import extract
from parsers.extract.pdf import extract_pdf

LFR = "disclosure_2023/november_2023/lfr-deployment-policy.pdf"


def test_multi_page_pdf_text(mirror_file):
    result = extract(mirror_file(LFR), "pdf")
    assert result.error is None and result.type == "pdf"
    assert result.pages == 3
    assert "LIVE FACIAL RECOGNITION: DEPLOYMENT POLICY" in result.text
    assert "watchlist" in result.text and "Page 3 of 3" in result.text
    assert result.notes == ()


def _encrypted(data: bytes, user: str, owner: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_password_protected_pdf_is_an_error(mirror_file):
    result = extract(_encrypted(mirror_file(LFR), "secret", "owner"), "pdf")
    assert result.text == ""
    assert result.error.startswith("pdf: encrypted")


def test_owner_password_only_pdf_opens(mirror_file):
    result = extract(_encrypted(mirror_file(LFR), "", "owner"), "pdf")
    assert result.error is None and "watchlist" in result.text


def test_invalid_pdf_is_an_error_string():
    for data in (b"%PDF-1.4\nthis is not a pdf at all", b"%PDF-1.7\n" + bytes(range(256)) * 10):
        result = extract(data, "pdf")
        assert result.text == "" and result.error and result.error.startswith("pdf: ")


def test_truncated_pdf_keeps_what_can_be_read_or_says_why(mirror_file):
    data = mirror_file(LFR)
    result = extract(data[: len(data) // 2], "pdf")
    assert result.error or "LIVE FACIAL RECOGNITION" in result.text


def test_scanned_pdf_has_a_note_not_an_error(maker):
    data = maker.pdf_bytes([[]], "blank")
    # a page whose only text is the page footer the maker adds: strip it to nothing
    data = data.replace(b"(Page 1 of 1) Tj T*", b"").replace(b"() Tj T*", b"")
    data = _fix_xref(data)
    result = extract_pdf(data)
    assert result.error is None and result.pages == 1
    assert result.notes and "no text layer" in result.notes[0]


def test_max_chars(mirror_file):
    result = extract_pdf(mirror_file(LFR), max_chars=200)
    assert result.truncated and len(result.text) <= 200


def _fix_xref(data: bytes) -> bytes:
    """Re-save through pypdf so object offsets are right after the edit."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data), strict=False))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
