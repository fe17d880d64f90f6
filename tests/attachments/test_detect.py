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
    assert extract(b"\xd0\xcf\x11\xe0 old binary excel", "xls").error == "unsupported file type: xls"
    assert extract(b"", "pdf").error == "empty file"
