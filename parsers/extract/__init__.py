"""Text and tables out of released files: bytes in, `Extracted` out, no I/O.

FOI responses often carry the actual answer in an attachment (a spreadsheet of
counts, a policy PDF). These extractors make that content searchable (`text`) and,
for spreadsheets and CSV, queryable (`sheets`). They never raise for a bad file: a
corrupt, encrypted or unsupported file comes back with `error` set, so one broken
attachment cannot stop a nightly refresh.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

# Bump when a change here can change the text or sheets extracted from the same bytes,
# so stored attachments can be re-extracted from the raw page store.
EXTRACTOR_VERSION = "1"

DEFAULT_MAX_CHARS = 2_000_000  # searchable text kept per file (about 1,000 PDF pages)
DEFAULT_MAX_ROWS = 200_000  # table rows kept per file, across all sheets
DEFAULT_MAX_UNZIPPED = 512 * 1024 * 1024  # xlsx/docx: refuse zip bombs above this

TYPES = ("pdf", "xlsx", "csv", "docx")
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Sheet:
    name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    # 1-based row of the header in the source (0: no header found), and the source
    # row of each entry in `rows`, so a table row can be cited as "row 37".
    header_row: int = 0
    row_numbers: tuple[int, ...] = ()
    # Title lines above the header ("Stop and search by borough, 2023").
    preamble: tuple[str, ...] = ()
    truncated: bool = False


@dataclass(frozen=True)
class Extracted:
    text: str
    sheets: tuple[Sheet, ...] = ()
    error: str | None = None
    type: str | None = None  # the type actually extracted (after sniffing)
    truncated: bool = False  # text was cut at max_chars
    pages: int | None = None  # PDF pages / DOCX paragraphs seen
    notes: tuple[str, ...] = field(default=())  # e.g. "no text layer (scanned PDF?)"


def detect_type(
    data: bytes, type_hint: str | None = None, content_type: str | None = None
) -> str | None:
    """The file type from its first bytes, falling back to the hint and content type.

    Links on the site say ".xlsx" but servers sometimes send a PDF or an HTML error
    page under that name; the bytes decide when they can.
    """
    hint = _normalise_hint(type_hint)
    if hint in (None, "unknown"):
        hint = _type_from_content_type(content_type) or hint
    head = data[:1024].lstrip()
    if head.startswith(b"%PDF"):
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        # a zip that is neither: a damaged workbook or document, or another format
        # (.odt, .zip) that the hint names
        return _office_type(data) or (hint if hint not in (None, "unknown") else "xlsx")
    if head[:1] == b"<" and hint != "csv":
        return "html"  # an error page served under the attachment's name
    return hint


def _office_type(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None  # truncated: let the extractor for the hinted type say so
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def extract(
    data: bytes,
    type: str | None,
    *,
    content_type: str | None = None,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_rows: int = DEFAULT_MAX_ROWS,
    name: str = "",
) -> Extracted:
    """Extract text (and tables) from one released file.

    `type` is the link's type ("xlsx", "pdf", ".csv", "application/pdf"...), used when
    the bytes do not say. `name` names a CSV's single sheet (the file name).
    """
    from parsers.extract import csv_text, docx, pdf, xlsx

    kind = detect_type(data, type, content_type)
    if not data:
        return Extracted("", error="empty file", type=kind)
    if data.startswith(OLE2_MAGIC):
        # Excel and Word save password-protected .xlsx/.docx in this container too
        return Extracted(
            "",
            error=f"{kind or 'file'}: password-protected or legacy binary "
            "Office file (.xls/.doc), not extracted",
            type=kind,
        )
    extractors = {
        "pdf": lambda: pdf.extract_pdf(data, max_chars=max_chars),
        "xlsx": lambda: xlsx.extract_xlsx(data, max_chars=max_chars, max_rows=max_rows),
        "csv": lambda: csv_text.extract_csv(
            data, max_chars=max_chars, max_rows=max_rows, name=name or "csv"
        ),
        "docx": lambda: docx.extract_docx(data, max_chars=max_chars, max_rows=max_rows),
    }
    if kind not in extractors:
        return Extracted("", error=f"unsupported file type: {kind or type or 'unknown'}", type=kind)
    try:
        result = extractors[kind]()
    except Exception as exc:  # noqa: BLE001
        # pypdf, openpyxl and python-docx raise almost any exception type on a
        # malformed file (KeyError, struct.error, lxml errors...): the file is recorded
        # as failed with the reason, never allowed to stop the refresh.
        return Extracted("", error=f"{kind}: {type_name(exc)}: {_one_line(exc)}", type=kind)
    return result


def type_name(exc: BaseException) -> str:
    return type(exc).__name__


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:300] or "no detail"


def _normalise_hint(hint: str | None) -> str | None:
    if not hint:
        return None
    h = hint.strip().lower().lstrip(".")
    if "/" in h:
        return _type_from_content_type(h)
    return {"xls": "xls", "xlsm": "xlsx", "docm": "docx", "txt": "csv"}.get(h, h)


def _type_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    ct = content_type.split(";")[0].strip().lower()
    return {
        "application/pdf": "pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
        "text/csv": "csv",
        "application/csv": "csv",
        "application/vnd.ms-excel": "xls",
        "text/html": "html",
    }.get(ct)
