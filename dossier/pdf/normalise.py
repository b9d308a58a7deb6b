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
PRIVATE_PREFIX = 2048  # the Private dictionary's /UniqueID sits in the first few hundred encrypted bytes


def _eexec_decrypt(cipher: bytes) -> bytes:
    """The plain text of (the start of) a Type 1 font's eexec-encrypted part."""
    r, plain = EEXEC_KEY, bytearray(len(cipher))
    for i, c in enumerate(cipher):
        plain[i] = c ^ (r >> 8)
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(plain)


def _eexec_state(cipher: bytes) -> int:
    """The eexec key after `cipher`."""
    r = EEXEC_KEY
    for c in cipher:
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return r


def _eexec_replace(cipher: bytes, at: int, old_length: int, new: bytes) -> bytes:
    """`cipher` whose plain text has `old_length` bytes at `at` replaced by `new`, encrypted again.

    Everything after the change must be encrypted again (each byte's key depends on the cipher
    text before it); one pass decrypts with the old key and encrypts with the new one.
    """
    r_old = r_new = _eexec_state(cipher[:at])
    out = bytearray(cipher[:at])
    for p in new:
        n = p ^ (r_new >> 8)
        out.append(n)
        r_new = ((n + r_new) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    for c in cipher[at:at + old_length]:
        r_old = ((c + r_old) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    append = out.append
    for c in cipher[at + old_length:]:
        n = c ^ ((r_old ^ r_new) >> 8)
        append(n)
        r_old = ((c + r_old) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
        r_new = ((n + r_new) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(out)


def _private_unique_id(cipher: bytes) -> re.Match[bytes] | None:
    """The /UniqueID entry in the encrypted Private dictionary (positions are in the plain text)."""
    prefix = _eexec_decrypt(cipher[:PRIVATE_PREFIX])
    match = _UNIQUE_ID.search(prefix)
    if (match is None or match.end() == len(prefix)) and len(cipher) > PRIVATE_PREFIX:
        match = _UNIQUE_ID.search(_eexec_decrypt(cipher))  # absent from the prefix, or its number cut off there
    return match


def canonical_type1_ids(writer: PdfWriter) -> None:
    """Renumber the embedded Type 1 fonts' /UniqueID 4100000, 4100001, … in object order.

    LibreOffice numbers every Type 1 font subset it embeds from one counter per process, in the
    clear-text header and in the encrypted Private dictionary, so the same document converted
    alone, tenth in a batch, or by a warm unoserver would otherwise differ in its font bytes.
    Even the order of those numbers among one document's fonts varies between runs, while the
    fonts' object order does not. Every font stream is re-encoded, so its bytes never depend on
    whether LibreOffice happened to use the canonical number (the first document of a process).
    """
    fonts = []
    for obj in writer._objects:
        if isinstance(obj, StreamObject) and "/Length1" in obj and "/Length2" in obj:
            data = obj.get_data()
            match = _UNIQUE_ID.search(data[: int(obj["/Length1"])])
            if match:
                fonts.append((int(match.group(1)), obj, data))
    for index, (_old, obj, data) in enumerate(fonts):
        # rewritten even when the number is already right: the stream is then compressed by pypdf,
        # as every renumbered one is, never left as LibreOffice compressed it
        new = b"/UniqueID %d" % (FIRST_UNIQUE_ID + index)
        clear_len, crypt_len = int(obj["/Length1"]), int(obj["/Length2"])
        clear = _UNIQUE_ID.sub(new, data[:clear_len], count=1)
        crypt = data[clear_len : clear_len + crypt_len]
        private = _private_unique_id(crypt)
        if private:
            crypt = _eexec_replace(crypt, private.start(), private.end() - private.start(), new)
        obj.set_data(clear + crypt + data[clear_len + crypt_len :])
        obj[NameObject("/Length1")] = NumberObject(len(clear))
        obj[NameObject("/Length2")] = NumberObject(len(crypt))


TITLE_LIMIT = 255  # characters of /Title kept, as in the .docx core properties (metadata only: the page shows all)


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
        title = " ".join(title.split())
        metadata["/Title"] = title if len(title) <= TITLE_LIMIT else title[:TITLE_LIMIT - 1] + "…"
    writer.add_metadata(metadata)
    writer._ID = None
    draft = io.BytesIO()
    writer.write(draft)
    digest = hashlib.md5(draft.getvalue(), usedforsecurity=False).digest()
    writer._ID = ArrayObject([ByteStringObject(digest), ByteStringObject(digest)])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
