"""Checks on converter output: LibreOffice exits 0 even when a conversion failed."""

from __future__ import annotations

import io
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

TAIL_BYTES = 1024


def is_pdf(path: Path) -> bool:
    """True when `path` is a readable PDF with at least one page."""
    try:
        return path.stat().st_size > 0 and len(PdfReader(path).pages) > 0
    except (OSError, PdfReadError, ValueError):
        return False


def is_pdf_bytes(data: bytes) -> bool:
    """True when `data` is a readable PDF with at least one page."""
    try:
        return len(PdfReader(io.BytesIO(data)).pages) > 0
    except (PdfReadError, ValueError, OSError):
        return False


def looks_finished(path: Path) -> bool:
    """Cheap test that a PDF being written is complete: it ends with %%EOF (for progress only)."""
    try:
        with path.open("rb") as handle:
            size = handle.seek(0, io.SEEK_END)
            handle.seek(max(0, size - TAIL_BYTES))
            return b"%%EOF" in handle.read()
    except OSError:
        return False
