"""Normalise a PDF so the same input gives the same bytes (fixed dates, /ID, Type 1 font ids)."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime, timezone

from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, ByteStringObject, NameObject, NumberObject, StreamObject


def pdf_date(when: datetime) -> str:
    """`D:YYYYMMDDHHmmSS+00'00'` for a datetime (naive ones are taken as UTC)."""
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    when = when.astimezone(timezone.utc)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


_UNIQUE_ID = re.compile(rb"/UniqueID\s+(\d+)")
EEXEC_KEY, EEXEC_C1, EEXEC_C2 = 55665, 52845, 22719
FIRST_UNIQUE_ID = 4100000


def _eexec_decrypt(cipher: bytes) -> bytes:
    """The plain text of a Type 1 font's eexec-encrypted part."""
    r, plain = EEXEC_KEY, bytearray(len(cipher))
    for i, c in enumerate(cipher):
        plain[i] = c ^ (r >> 8)
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(plain)


def _eexec_encrypt(plain: bytes) -> bytes:
    """Inverse of `_eexec_decrypt` (the random first four bytes are kept, so it is deterministic)."""
    r, cipher = EEXEC_KEY, bytearray(len(plain))
    for i, p in enumerate(plain):
        c = p ^ (r >> 8)
        cipher[i] = c
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(cipher)


def canonical_type1_ids(writer: PdfWriter) -> None:
    """Renumber the embedded Type 1 fonts' /UniqueID 4100000, 4100001, … in their original order.

    LibreOffice numbers every Type 1 font subset it embeds from one counter per process, in the
    clear-text header and in the encrypted Private dictionary, so the same document converted
    alone, tenth in a batch, or by a warm unoserver would otherwise differ in its font bytes.
    """
    fonts = []
    for obj in writer._objects:
        if isinstance(obj, StreamObject) and "/Length1" in obj and "/Length2" in obj:
            data = obj.get_data()
            match = _UNIQUE_ID.search(data[: int(obj["/Length1"])])
            if match:
                fonts.append((int(match.group(1)), obj, data))
    for index, (old, obj, data) in enumerate(sorted(fonts, key=lambda font: font[0])):
        if old == FIRST_UNIQUE_ID + index:
            continue
        new = b"/UniqueID %d" % (FIRST_UNIQUE_ID + index)
        clear_len, crypt_len = int(obj["/Length1"]), int(obj["/Length2"])
        clear = _UNIQUE_ID.sub(new, data[:clear_len], count=1)
        crypt = data[clear_len : clear_len + crypt_len]
        plain = _eexec_decrypt(crypt)
        if _UNIQUE_ID.search(plain):
            crypt = _eexec_encrypt(_UNIQUE_ID.sub(new, plain, count=1))
        obj.set_data(clear + crypt + data[clear_len + crypt_len :])
        obj[NameObject("/Length1")] = NumberObject(len(clear))
        obj[NameObject("/Length2")] = NumberObject(len(crypt))


def normalise_pdf(data: bytes, when: datetime, title: str | None = None) -> bytes:
    """Rewrite `data` with creation/modification dates `when` and an /ID hashed from the content.

    Removes LibreOffice's /DocChecksum and renumbers embedded Type 1 fonts' /UniqueID
    (LibreOffice counts them per process). The result is byte-identical for identical page content.
    """
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    canonical_type1_ids(writer)
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
