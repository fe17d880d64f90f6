"""A response's answers (each once) and its data tables (as cells), written with it.

The tables are declared in db/schema.py (migration 4). `replace_answers` runs inside
`db.load.load_response`'s transaction, after the response row, like the other child
rows: everything of the response's previous reading is replaced by the new one.
`questions.answer_id` is written with the questions themselves (db/load.py).
"""

from __future__ import annotations

import json

import sqlite_utils

from parsers.record import Response

TABLES = ("answers", "response_tables", "response_table_cells")


INSERTS = {
    "answers": "INSERT INTO answers (response_id, position, question_numbers, question_count, "
    "text, table_count) VALUES (?, ?, ?, ?, ?, ?)",
    "response_tables": "INSERT INTO response_tables (response_id, position, answer_id, "
    "row_count, column_count, header_rows, line) VALUES (?, ?, ?, ?, ?, ?, ?)",
    "response_table_cells": "INSERT INTO response_table_cells (response_id, table_position, "
    "row, col, text, header) VALUES (?, ?, ?, ?, ?, ?)",
}


def replace_answers(db: sqlite_utils.Database, rid: str, response: Response) -> None:
    conn = db.conn
    for table in TABLES:
        conn.execute(f"DELETE FROM {table} WHERE response_id = ?", (rid,))
    for table, rows in answer_rows(rid, response).items():
        conn.executemany(INSERTS[table], rows)


def answer_rows(rid: str, response: Response) -> dict[str, list[tuple]]:
    """The rows of TABLES for a response, in INSERTS' column order (also db/bulk_load.py)."""
    holder = {position: a.position for a in response.answers for position in a.tables}
    return {
        "answers": [
            (
                rid,
                a.position,
                json.dumps(list(a.question_numbers), ensure_ascii=False),
                len(a.question_numbers),
                a.text,
                len(a.tables),
            )
            for a in response.answers
        ],
        "response_tables": [
            (
                rid,
                t.position,
                holder.get(t.position),
                len(t.rows),
                max((len(row) for row in t.rows), default=0),
                t.header_rows,
                t.line,
            )
            for t in response.tables
        ],
        "response_table_cells": [
            (rid, t.position, r, c, text, int(r <= t.header_rows))
            for t in response.tables
            for r, row in enumerate(t.rows, 1)
            for c, text in enumerate(row, 1)
        ],
    }
