"""Data tables on a response page, kept as rows of cells.

`parsers.html_text` writes each row of a data table as one text line, cells joined with
" | " (the line parsers read answers from those lines). Here the same tables are read
from the page a second time as rows and cells, with their heading rows (`<thead>`, or
rows of `<th>` only), and each is anchored to the body line where its first row is: a
table is kept only when its rows are exactly the body's lines there, so the record never
holds a table the text does not (one inside removed chrome, say).

`row_line(cells)` is that one rule for turning a row into its line; the response page
uses it to find a table's rows in an answer's text.
"""

from __future__ import annotations

from parsers.html_text import TABLE_CELL_SEPARATOR, clean_line, is_data_table, text_lines
from parsers.record import Table


def row_line(cells: tuple[str, ...] | list[str]) -> str:
    """The body line a row of cells is written as ("a | b | c")."""
    return clean_line(TABLE_CELL_SEPARATOR.join(cells))


def read_tables(root, lines: list[str]) -> tuple[Table, ...]:
    """The data tables under `root` (a selectolax node), in page order, anchored in `lines`."""
    if root is None:
        return ()
    found: list[Table] = []
    start = 0
    for node in root.css("table"):
        if not is_data_table(node):
            continue
        rows, header_rows = _rows(node)
        if not rows:
            continue
        at = _locate(rows, lines, start)
        if at is None:
            continue
        found.append(Table(len(found) + 1, rows, header_rows, at))
        start = at + len(rows)
    return tuple(found)


def _rows(table) -> tuple[tuple[tuple[str, ...], ...], int]:
    """(rows of cell texts, how many leading rows are headings); empty rows dropped."""
    rows: list[tuple[str, ...]] = []
    header_rows = 0
    headings_over = False
    for tr in table.css("tr"):
        cells = tr.css("td, th")
        texts = tuple(clean_line(" ".join(text_lines(cell))) for cell in cells)
        if not any(texts):
            continue  # the text has no line for an empty row either
        heading = _is_heading(tr, cells)
        if heading and not headings_over:
            header_rows += 1
        else:
            headings_over = True
        rows.append(texts)
    return tuple(rows), header_rows


def _is_heading(tr, cells) -> bool:
    parent = tr.parent
    if parent is not None and parent.tag == "thead":
        return True
    return all(cell.tag == "th" for cell in cells)


def _locate(rows: tuple[tuple[str, ...], ...], lines: list[str], start: int) -> int | None:
    """Index of the first of len(rows) consecutive lines, from `start`, that are the rows."""
    wanted = [row_line(row) for row in rows]
    first = wanted[0]
    for i in range(start, len(lines) - len(wanted) + 1):
        if lines[i] == first and lines[i : i + len(wanted)] == wanted:
            return i
    return None
