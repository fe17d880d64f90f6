"""CSV: encodings and delimiters as councils and forces actually publish them."""

from __future__ import annotations

from parsers.extract import extract
from parsers.extract.csv_text import decode, extract_csv

FLEET = "disclosure_2024/october_2024/vehicle-fleet-list.csv"


def test_mirror_csv_is_cp1252_with_a_quoted_footnote(mirror_file):
    result = extract(mirror_file(FLEET), "csv", name="vehicle-fleet-list")
    assert result.error is None and result.notes == ("decoded as cp1252",)
    sheet = result.sheets[0]
    assert sheet.name == "vehicle-fleet-list"
    assert sheet.header == ("Make", "Model", "Year of registration", "Fuel type", "Role")
    assert ("Citroën", "ë-Berlingo") in {row[:2] for row in sheet.rows}
    assert any(row[4] == "Exempt" for row in sheet.rows)
    assert (
        sheet.rows[-1][0].startswith("Fleet as at 30 September 2024") and "–" in sheet.rows[-1][0]
    )
    assert len(sheet.rows) == 61


def test_utf8_bom_is_not_part_of_the_first_header():
    data = "\ufeffBorough,Count\nBrent,3\n".encode("utf-8")
    sheet = extract_csv(data).sheets[0]
    assert sheet.header == ("Borough", "Count") and sheet.rows == (("Brent", "3"),)


def test_quoted_delimiters_stay_in_one_cell():
    data = 'Item,Price (£),Notes\nVan,"24,100","Pilot, 12 months"\n'.encode("cp1252")
    assert extract_csv(data).sheets[0].rows == (("Van", "24,100", "Pilot, 12 months"),)


def test_semicolon_and_tab_delimiters_are_sniffed():
    semi = b"Borough;Count;Rate\nBrent;3;1,5\nEaling;4;2,0\n"
    assert extract_csv(semi).sheets[0].rows[0] == ("Brent", "3", "1,5")
    tab = b"Borough\tCount\nBrent\t3\nEaling\t4\n"
    assert extract_csv(tab).sheets[0].header == ("Borough", "Count")


def test_single_column_falls_back_to_commas():
    sheet = extract_csv(b"Name\nalpha\nbeta\n").sheets[0]
    assert sheet.rows == (("alpha",), ("beta",))


def test_decode_prefers_utf8_and_falls_back_to_cp1252():
    assert decode("£5 – ok".encode()) == ("£5 – ok", "utf-8")
    assert decode("£5 – ok".encode("cp1252")) == ("£5 – ok", "cp1252")
    assert decode(b"\x81 undefined in cp1252")[1] == "cp1252"


def test_quoted_newlines_stay_in_one_cell():
    data = b'Question,Answer\n1,"line one\nline two"\n'
    assert extract_csv(data).sheets[0].rows == (("1", "line one line two"),)


def test_binary_data_is_an_error():
    result = extract(b"a,b\n\x00\x01\x02", "csv")
    assert result.error == "csv: binary data, not text"


def test_text_limit():
    data = ("id,text\n" + "".join(f"{i},{'word ' * 20}\n" for i in range(200))).encode()
    result = extract_csv(data, max_chars=500)
    assert result.truncated and len(result.text) <= 500
