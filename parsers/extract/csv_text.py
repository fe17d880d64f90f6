"""CSV files: decoded (UTF-8 with or without BOM, else Windows-1252 as Excel on a UK
desktop saves it), delimiter sniffed, loaded as one sheet."""

from __future__ import annotations

import csv
import io

from parsers.extract import DEFAULT_MAX_CHARS, DEFAULT_MAX_ROWS, Extracted
from parsers.extract.tables import TextBudget, build_sheet, sheet_text

SNIFF_BYTES = 64 * 1024
DELIMITERS = ",;\t|"


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name). UTF-8 first: it rarely decodes non-UTF-8 text by accident."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; replace them rather than fail the file
        return data.decode("cp1252", errors="replace"), "cp1252"


def sniff_dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        return csv.excel  # one column, or too irregular to tell: plain commas


def extract_csv(
    data: bytes,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_rows: int = DEFAULT_MAX_ROWS,
    name: str = "csv",
) -> Extracted:
    text, encoding = decode(data)
    if "\x00" in text[:SNIFF_BYTES]:
        return Extracted("", error="csv: binary data, not text", type="csv")
    sample = text[:SNIFF_BYTES]
    # a cut-off last line would confuse the sniffer
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    dialect = sniff_dialect(sample)
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    grid: list[tuple[int, list[str]]] = []
    try:
        for number, row in enumerate(reader, start=1):
            cells = [" ".join(c.split()) for c in row]
            if any(cells):
                grid.append((number, cells))
            if len(grid) > max_rows + 50:
                break
    except csv.Error as exc:
        return Extracted("", error=f"csv: malformed at line {reader.line_num} ({exc})", type="csv")
    sheet = build_sheet(name, grid, max_rows=max_rows)
    budget = TextBudget(max_chars)
    budget.add(sheet_text(sheet, titled=False))
    notes = () if encoding == "utf-8" else (f"decoded as {encoding}",)
    return Extracted(
        budget.text(),
        (sheet,),
        None,
        type="csv",
        truncated=budget.truncated or sheet.truncated,
        notes=notes,
    )
