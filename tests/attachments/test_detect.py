"""The bytes decide the type when they can; the link's extension otherwise."""

from __future__ import annotations

from parsers.extract import detect_type, extract

PDF = "disclosure_2023/november_2023/lfr-deployment-policy.pdf"
XLSX = "disclosure_2024/june_2024/taser-deployments-2021-2023.xlsx"
DOCX = "disclosure_2025/february_2025/training-guidance.docx"


def test_bytes_beat_the_extension(mirror_file):
    assert detect_type(mirror_file(PDF), "xlsx") == "pdf"
    assert detect_type(mirror_file(XLSX), "docx") == "xlsx"
    assert detect_type(mirror_file(DOCX), "unknown") == "docx"
    assert detect_type(b"<!DOCTYPE html><title>Not found</title>", "xlsx") == "html"


def test_hint_forms_and_content_type():
    assert detect_type(b"a,b\n1,2\n", ".CSV") == "csv"
    assert detect_type(b"a,b\n1,2\n", "unknown", "text/csv; charset=utf-8") == "csv"
    assert detect_type(b"a,b\n1,2\n", "application/pdf") == "pdf"


def test_an_html_error_page_under_an_xlsx_name_is_reported():
    result = extract(b"<html><body>Sorry, page not found</body></html>", "xlsx")
    assert result.error == "unsupported file type: html"


def test_unsupported_and_empty():
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("content.xml", "<office:document-content/>")
    assert extract(buf.getvalue(), "odt").error == "unsupported file type: odt"
    assert extract(b"PK\x05\x06" + bytes(18), "odt").error == "unsupported file type: odt"
    assert extract(b"", "pdf").error == "empty file"


def test_password_protected_office_file_says_so():
    # an encrypted .xlsx is an OLE2 compound file, not a zip
    result = extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "xlsx")
    assert result.error == (
        "xlsx: password-protected or legacy binary Office file (.xls/.doc), not extracted"
    )
    assert extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "xls").error.startswith(
        "xls: "
    )
