"""Normalise a PDF so the same input gives the same bytes (fixed dates and /ID)."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime, timezone

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject


def pdf_date(when: datetime) -> str:
    """`D:YYYYMMDDHHmmSS+00'00'` for a datetime (naive ones are taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    when = when.astimezone(timezone.utc)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def normalise_pdf(data: bytes, when: datetime, title: str | None = None) -> bytes:
    """Rewrite `data` with creation/modification dates `when` and an /ID hashed from the content.

    Removes LibreOffice's /DocChecksum. The result is byte-identical for identical page content.
    """
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    info = {
        NameObject(key): value
        for key, value in (reader.metadata or {}).items()
        if key not in ("/CreationDate", "/ModDate", "/DocChecksum")
    }
    writer._info = None  # drop the cloned info dictionary; rebuilt below
    stamp = pdf_date(when)
    metadata = {**{str(k): v for k, v in info.items()}, "/CreationDate": stamp, "/ModDate": stamp}
    if title:
        metadata["/Title"] = title
    writer.add_metadata(metadata)
    writer._ID = None
    draft = io.BytesIO()
    writer.write(draft)
    digest = hashlib.md5(draft.getvalue(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
