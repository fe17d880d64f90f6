"""Word documents: paragraphs in order, tables as sheets."""

from __future__ import annotations

from parsers.extract import extract

GUIDANCE = "disclosure_2025/february_2025/training-guidance.docx"


def test_docx_text_and_table(mirror_file):
    result = extract(mirror_file(GUIDANCE), "docx")
    assert result.error is None and result.type == "docx"
    assert result.text.startswith("Right Care Right Person: Section 136 Mental Health Act 1983")
    # document order: the table sits between its heading and the last paragraph
    assert (
        result.text.index("Training modules")
        < result.text.index("RCRP principles")
        < result.text.index("Officers record every use")
    )
    (table,) = result.sheets
    assert table.name == "Table 1"
    assert table.header == ("Module", "Duration (minutes)", "Format")
    assert table.rows[1] == ("Section 136 and places of safety", "45", "e-learning (NCALT)")


def test_corrupt_docx_is_an_error(mirror_file):
    data = mirror_file(GUIDANCE)
    result = extract(data[:2000], "docx")
    assert result.text == "" and result.error and result.error.startswith("docx")


def test_docx_text_limit(mirror_file):
    result = extract(mirror_file(GUIDANCE), "docx", max_chars=100)
    assert result.truncated and len(result.text) <= 100
