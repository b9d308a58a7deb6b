"""pdfnorm's Type 1 font id rewrite: the encrypted Private dictionary, wherever its /UniqueID falls."""

from __future__ import annotations

import pytest

from dossier.pdf.normalise import (
    EEXEC_C1,
    EEXEC_C2,
    EEXEC_KEY,
    PRIVATE_PREFIX,
    _eexec_decrypt,
    _eexec_replace,
    _private_unique_id,
)


def _encrypt(plain: bytes) -> bytes:
    r, cipher = EEXEC_KEY, bytearray()
    for p in plain:
        c = p ^ (r >> 8)
        cipher.append(c)
        r = ((c + r) * EEXEC_C1 + EEXEC_C2) & 0xFFFF
    return bytes(cipher)


@pytest.mark.parametrize("before", [300, PRIVATE_PREFIX - 12, PRIVATE_PREFIX - 3, PRIVATE_PREFIX + 400])
@pytest.mark.parametrize("new", [b"/UniqueID 4100000", b"/UniqueID 41"])
def test_the_unique_id_is_replaced_wherever_it_sits(before: int, new: bytes) -> None:
    plain = b"x" * before + b"/UniqueID 4100023 def\n" + bytes(range(256)) * 8
    cipher = _encrypt(plain)
    match = _private_unique_id(cipher)
    assert match is not None and match.group(0) == b"/UniqueID 4100023"  # never a number cut at the prefix end
    replaced = _eexec_replace(cipher, match.start(), match.end() - match.start(), new)
    assert _eexec_decrypt(replaced) == plain.replace(b"/UniqueID 4100023", new)
    assert replaced == _encrypt(plain.replace(b"/UniqueID 4100023", new))
