"""PDFs: the text layer of every page, via pypdf.

Released PDFs are often letters or policies with a real text layer, sometimes scans
with none (reported in `notes`, not as an error: the file is fine, it just has no
words to search), sometimes encrypted "owner password" files that open with an empty
password.
"""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PyPdfError

from parsers.extract import DEFAULT_MAX_CHARS, Extracted
from parsers.extract.tables import TextBudget


def extract_pdf(data: bytes, *, max_chars: int = DEFAULT_MAX_CHARS) -> Extracted:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        problem = _open_encrypted(reader)
        if problem:
            return Extracted("", error=f"pdf: {problem}", type="pdf")
        pages = reader.pages
        count = len(pages)
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as exc:
        return Extracted(
            "", error=f"pdf: unreadable ({type(exc).__name__}: {_short(exc)})", type="pdf"
        )
    budget = TextBudget(max_chars)
    notes: list[str] = []
    failed: list[int] = []
    for number, page in enumerate(pages, start=1):
        if budget.full:
            budget.truncated = True
            break
        try:
            budget.add(_tidy(page.extract_text() or ""))
        except (
            PyPdfError,
            ValueError,
            KeyError,
            TypeError,
            AttributeError,
            IndexError,
            ZeroDivisionError,
        ):
            # one broken content stream should not lose the other pages' text
            failed.append(number)
    if failed:
        notes.append(
            f"text of {len(failed)} page(s) could not be read: {', '.join(map(str, failed[:20]))}"
        )
    text = budget.text()
    if count and not text.strip():
        notes.append(f"no text layer on any of {count} page(s) (scanned images?)")
    return Extracted(
        text, (), None, type="pdf", truncated=budget.truncated, pages=count, notes=tuple(notes)
    )


def _open_encrypted(reader: PdfReader) -> str | None:
    """None if the PDF can be read, else why not."""
    if not reader.is_encrypted:
        return None
    try:
        if reader.decrypt(""):
            return None
    except (DependencyError, NotImplementedError) as exc:
        return f"encrypted with a scheme this install cannot open ({_short(exc)})"
    except (FileNotDecryptedError, PdfReadError) as exc:
        return f"encrypted, password required ({_short(exc)})"
    return "encrypted, password required"


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)


def _short(exc: BaseException) -> str:
    return " ".join(str(exc).split())[:200] or "no detail"
