"""Spreadsheets: real .xlsx files made with openpyxl in the test, plus the mirror's."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from parsers.extract import extract
from parsers.extract.xlsx import extract_xlsx

STOP_SEARCH = "disclosure_2024/march_2024/stop-and-search-by-borough-2023.xlsx"
TASER = "disclosure_2024/june_2024/taser-deployments-2021-2023.xlsx"
CORRUPT = "disclosure_2024/september_2024/custody-deaths-summary.xlsx"


def _xlsx(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_stop_and_search_sheets_header_and_title_block(mirror_file, maker):
    result = extract(mirror_file(STOP_SEARCH), "xlsx")
    assert result.error is None
    data, notes = result.sheets
    assert data.name == "Searches by month"
    assert data.header[0] == "Borough" and data.header[-1] == "Total"
    assert data.header[1] == "2023-01-01"  # a date-formatted header cell
    assert data.header_row == 4
    assert data.preamble[0].startswith("Stop and search by borough and month")
    rows = {row[0]: row for row in data.rows}
    # the Total column is a formula: data_only gives Excel's stored result
    assert rows["Westminster"][-1] == str(maker.STOP_SEARCH_TOTALS["Westminster"])
    assert rows["MPS Total"][-1] == str(sum(maker.STOP_SEARCH_TOTALS.values()))
    assert sum(int(c) for c in rows["Barnet"][1:13]) == maker.STOP_SEARCH_TOTALS["Barnet"]
    assert data.row_numbers[0] == 5 and len(data.rows) == 33
    assert notes.name == "Notes" and "Quillfeather" in result.text


def test_merged_cells_are_filled_and_empty_sheets_kept(mirror_file):
    result = extract(mirror_file(TASER), "xlsx")
    by_use, by_ethnicity, empty = result.sheets
    assert by_use.header == ("Year", "Type of use", "Uses")
    years = [row[0] for row in by_use.rows[:18]]
    assert years == ["2021"] * 6 + ["2022"] * 6 + ["2023"] * 6
    assert by_use.rows[-1][0].startswith("Highest level of use")  # a footnote stays a row
    assert by_ethnicity.header[0] == "Year" and by_ethnicity.header[-1] == "Total"
    assert empty.name == "Sheet3" and empty.rows == () and empty.header == ()


def test_merged_title_across_the_top_is_not_the_header():
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "Title spanning the table"
    ws.merge_cells("A1:C1")
    ws.append(["Name", "Count", "Note"])
    ws.append(["a", 1, "x"])
    sheet = extract_xlsx(_xlsx(wb)).sheets[0]
    assert sheet.header == ("Name", "Count", "Note")
    assert sheet.preamble == ("Title spanning the table",)


def test_formula_without_a_cached_value_is_blank_not_the_formula(maker):
    wb = Workbook()
    ws = wb.active
    ws.append(["a", "b", "sum"])
    ws.append([3, 4, "=SUM(A2:B2)"])
    ws.append([5, 6, "=SUM(A3:B3)"])
    buf = io.BytesIO()
    wb.save(buf)
    # Excel stores the result of the first formula; the second was never calculated
    data = maker.normalise_zip(buf.getvalue(), {"xl/worksheets/sheet1.xml": {"C2": 7}})
    rows = extract_xlsx(data).sheets[0].rows
    assert rows[0] == ("3", "4", "7")
    assert rows[1][:2] == ("5", "6") and rows[1][2:] in ((), ("",))
    assert "SUM" not in extract_xlsx(data).text


def test_dates_times_numbers_and_booleans_read_as_a_person_sees_them():
    wb = Workbook()
    ws = wb.active
    ws.append(["when", "at", "value", "flag"])
    ws.append([dt.date(2024, 3, 1), dt.datetime(2024, 3, 1, 14, 30), 12.0, True])
    ws.append([dt.datetime(2023, 12, 31), dt.time(9, 15), 0.25, False])
    rows = extract_xlsx(_xlsx(wb)).sheets[0].rows
    assert rows[0] == ("2024-03-01", "2024-03-01T14:30:00", "12", "TRUE")
    assert rows[1] == ("2023-12-31", "09:15:00", "0.25", "FALSE")


def test_blank_and_repeated_header_names_are_made_unique():
    wb = Workbook()
    ws = wb.active
    ws.append(["Borough", "2023", None, "2023"])
    ws.append(["Brent", 1, 2, 3])
    assert extract_xlsx(_xlsx(wb)).sheets[0].header == ("Borough", "2023", "column_3", "2023_2")


def test_text_and_row_limits_mark_truncation():
    wb = Workbook()
    ws = wb.active
    ws.append(["id", "text"])
    for i in range(500):
        ws.append([i, "lorem ipsum " * 5])
    data = _xlsx(wb)
    short = extract_xlsx(data, max_chars=1000)
    assert short.truncated and len(short.text) <= 1000
    few = extract_xlsx(data, max_rows=10)
    assert few.truncated and len(few.sheets[0].rows) == 10 and few.sheets[0].truncated
    full = extract_xlsx(data)
    assert not full.truncated and len(full.sheets[0].rows) == 500


def test_corrupt_spreadsheet_is_an_error_string_not_an_exception(mirror_file):
    result = extract(mirror_file(CORRUPT), "xlsx")
    assert result.text == "" and result.sheets == ()
    assert result.error.startswith("xlsx: ")


def test_zip_that_is_not_a_workbook_is_an_error():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    result = extract(buf.getvalue(), "xlsx")
    assert result.error and result.error.startswith("xlsx")


def test_zip_bomb_guard():
    wb = Workbook()
    wb.active.append(["a", "b"])
    result = extract_xlsx(_xlsx(wb), max_unzipped=1000)
    assert result.error and "over the 1000 limit" in result.error
