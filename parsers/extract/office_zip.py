"""The zip container of Office files (xlsx, docx): opened once, with a bomb check."""

from __future__ import annotations

import io
import zipfile

from parsers.extract import Extracted


def open_office_zip(data: bytes, type: str, max_unzipped: int) -> zipfile.ZipFile | Extracted:
    """The archive, or an `Extracted` carrying the error when it is not a zip or would
    expand past `max_unzipped` bytes (a small file can hold gigabytes of XML)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        return Extracted("", error=f"{type}: not a valid zip file ({exc})", type=type)
    unzipped = sum(info.file_size for info in archive.infolist())
    if unzipped > max_unzipped:
        return Extracted(
            "",
            error=f"{type}: expands to {unzipped} bytes, over the {max_unzipped} limit",
            type=type,
        )
    return archive
