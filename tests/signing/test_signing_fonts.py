"""The CJK font for visible signatures: the SC face of a .ttc, extracted once into the cache."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from dossier.errors import UsageError
from dossier.signing.fonts import DEFAULT_FONTS, signature_font

NOTO = next((f for f in DEFAULT_FONTS if f.exists()), None)


@pytest.mark.skipif(NOTO is None, reason="fonts-noto-cjk is not installed")
def test_ttc_face_is_extracted_once_into_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("DOSSIER_CACHE_DIR", str(tmp_path / "cache"))
    font = signature_font(NOTO)
    assert font.parent == tmp_path / "cache" / "fonts" and font.suffix == ".otf"
    assert TTFont(font)["name"].getDebugName(1).endswith("CJK SC")
    assert TTFont(font).getBestCmap()[ord("编")]  # has the Chinese glyphs
    stamp = font.stat().st_mtime_ns
    assert signature_font(NOTO) == font and font.stat().st_mtime_ns == stamp  # reused
    assert signature_font(font) == font  # an .otf is used as it is


def test_font_errors(tmp_path):
    with pytest.raises(UsageError, match=f"^signing.font {tmp_path}/none.ttc does not exist$"):
        signature_font(tmp_path / "none.ttc")
    bitmap = tmp_path / "font.pcf"
    bitmap.write_bytes(b"x")
    with pytest.raises(UsageError, match="is not an .otf, .ttf or .ttc font$"):
        signature_font(bitmap)
