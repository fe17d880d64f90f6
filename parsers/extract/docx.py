"""Word documents (.docx): paragraphs and tables in document order; each table is also
a sheet, since released letters often put the figures in a Word table."""

from __future__ import annotations

import io

import docx
from docx.table import Table
from docx.text.paragraph import Paragraph

from parsers.extract import (
    DEFAULT_MAX_CHARS,
    DEFAULT_MAX_ROWS,
    DEFAULT_MAX_UNZIPPED,
    Extracted,
    Sheet,
)
from parsers.extract.office_zip import open_office_zip
from parsers.extract.tables import TextBudget, build_sheet, sheet_text


def extract_docx(
    data: bytes,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_unzipped: int = DEFAULT_MAX_UNZIPPED,
) -> Extracted:
    archive = open_office_zip(data, "docx", max_unzipped)
    if isinstance(archive, Extracted):
        return archive
    document = docx.Document(io.BytesIO(data))
    budget = TextBudget(max_chars)
    sheets: list[Sheet] = []
    rows_left = max_rows
    for block in document.iter_inner_content():
        if budget.full:
            budget.truncated = True
            break
        if isinstance(block, Paragraph):
            budget.add(" ".join(block.text.split()))
        elif isinstance(block, Table):
            sheet = _table_sheet(block, f"Table {len(sheets) + 1}", rows_left)
            rows_left = max(rows_left - len(sheet.rows), 0)
            sheets.append(sheet)
            budget.add(sheet_text(sheet))
    return Extracted(budget.text(), tuple(sheets), None, type="docx", truncated=budget.truncated)


def _table_sheet(table: Table, name: str, max_rows: int) -> Sheet:
    grid: list[tuple[int, list[str]]] = []
    for number, row in enumerate(table.rows, start=1):
        # merged cells come back once per grid column they span, like Excel's fill
        grid.append((number, [" ".join(cell.text.split()) for cell in row.cells]))
    return build_sheet(name, grid, max_rows=max_rows)
