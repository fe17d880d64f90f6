"""Spreadsheets (.xlsx): every sheet as a table and as searchable text.

openpyxl in read_only mode streams rows, so a large release does not have to fit in
memory as cell objects; data_only gives the value Excel last calculated for a formula
(what the requester saw), not the formula. read_only mode cannot see merged cells, so
their ranges are read from the sheet XML and the anchor value is copied into every
cell of the range: a borough merged down three rows belongs to all three.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from openpyxl import load_workbook

from parsers.extract import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNZIPPED,
    Extracted,
    Sheet,
)
from parsers.extract.office_zip import open_office_zip
from parsers.extract.tables import TextBudget, build_sheet, cell_text, sheet_text

MAX_COLUMNS = 500  # a formatted-to-XFD sheet would otherwise give 16,384 cells a row
MAX_MERGED_RANGES = 5_000
_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s[^>]*?ref="([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)"')


def extract_xlsx(
    data: bytes,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
) -> Extracted:
    archive = open_office_zip(data, "xlsx", max_unzipped)
    if isinstance(archive, Extracted):
        return archive
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets: list[Sheet] = []
        budget = TextBudget(max_chars)
        rows_left = max_rows
        for ws in workbook.worksheets:
            merges = _merged_ranges(archive, getattr(ws, "_worksheet_path", ""))
            ws.reset_dimensions()  # trust the cells, not a <dimension> that may say A1:XFD1048576
            grid, filled = _read_grid(ws.iter_rows(values_only=True), merges, rows_left)
            sheet = build_sheet(ws.title, grid, max_rows=rows_left, merged_fill=filled)
            rows_left = max(rows_left - len(sheet.rows), 0)
            sheets.append(sheet)
            budget.add(sheet_text(sheet))
    finally:
        workbook.close()
    truncated = budget.truncated or any(s.truncated for s in sheets)
    return Extracted(budget.text(), tuple(sheets), None, type="xlsx", truncated=truncated)


def _read_grid(rows: Iterator[tuple], merges: list[tuple[int, int, int, int]], max_rows: int):
    """(row number, cell texts) for non-empty rows, merged cells filled in.

    Returns the grid and the set of (row, column index) cells that were filled from a
    merge anchor, so header detection can ignore them.
    """
    grid: list[tuple[int, list[str]]] = []
    filled: set[tuple[int, int]] = set()
    anchors: dict[tuple[int, int], str] = {}
    pending = sorted(merges)
    active: list[tuple[int, int, int, int]] = []
    limit = max_rows + 50  # the header and title block come on top of the data rows
    for number, values in enumerate(rows, start=1):
        cells = [cell_text(v) for v in values[:MAX_COLUMNS]]
        while pending and pending[0][0] <= number:
            active.append(pending.pop(0))
        active = [m for m in active if m[2] >= number]
        for r1, c1, _r2, c2 in active:
            key = (r1, c1)
            if number == r1:
                anchors[key] = cells[c1 - 1] if c1 - 1 < len(cells) else ""
            value = anchors.get(key, "")
            if not value:
                continue
            for col in range(c1 - 1, min(c2, MAX_COLUMNS)):
                if (number, col) == (r1, c1 - 1):
                    continue
                if col >= len(cells):
                    cells.extend([""] * (col + 1 - len(cells)))
                if not cells[col]:
                    cells[col] = value
                    filled.add((number, col))
        if any(cells):
            grid.append((number, cells))
            if len(grid) > limit:
                break
    return grid, filled


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """(first row, first col, last row, last col), 1-based, from <mergeCell ref=...>."""
    name = path.lstrip("/")
    if not name or name not in archive.namelist():
        return []
    found: list[tuple[int, int, int, int]] = []
    tail = b""
    with archive.open(name) as src:
        while chunk := src.read(1 << 20):
            buf = tail + chunk
            for m in _MERGE_RE.finditer(buf):
                c1, r1, c2, r2 = m.groups()
                found.append((int(r1), _col(c1), int(r2), _col(c2)))
            tail = buf[-200:]
            # a match inside the kept tail would be counted twice: drop duplicates below
            if len(found) > MAX_MERGED_RANGES:
                return []
    return sorted(set(found))


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n
