"""An OpenType CJK font file for visible signatures.

pyHanko embeds a subset of an .otf/.ttf; the Noto CJK fonts ship as .ttc collections that
fontTools cannot load as one font, so the Simplified Chinese face is extracted once into a
user cache directory (never into the repository) and reused.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from fontTools.ttLib import TTCollection

from dossier.errors import UsageError
from dossier.util import atomic

DEFAULT_FONTS = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc"),
)
_SC_FACE = " SC"


def cache_dir() -> Path:
    """$DOSSIER_CACHE_DIR, else $XDG_CACHE_HOME/dossier, else ~/.cache/dossier."""
    explicit = os.environ.get("DOSSIER_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "dossier"


def signature_font(configured: Path | None) -> Path:
    """Path of an .otf/.ttf with Chinese glyphs: the configured font or a system Noto CJK."""
    font = configured or next((f for f in DEFAULT_FONTS if f.exists()), None)
    if font is None:
        raise UsageError("no CJK font for visible signatures: install fonts-noto-cjk or set "
                         "signing.font in dossier.yaml")
    if not font.exists():
        raise UsageError(f"signing.font {font} does not exist")
    if font.suffix.lower() in (".otf", ".ttf"):
        return font
    if font.suffix.lower() != ".ttc":
        raise UsageError(f"signing.font {font} is not an .otf, .ttf or .ttc font")
    return _extracted_face(font)


def _extracted_face(collection: Path) -> Path:
    """The Simplified Chinese face of a .ttc as a cached .otf (extracted on first use)."""
    stat = collection.stat()
    key = hashlib.sha256(f"{collection.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    target = cache_dir() / "fonts" / f"{collection.stem}-SC-{key.hexdigest()[:16]}.otf"
    if target.exists():
        return target
    fonts = TTCollection(str(collection), lazy=True).fonts
    face = next((f for f in fonts if _family(f).endswith(_SC_FACE) and "Mono" not in _family(f)),
                fonts[0])
    buffer = io.BytesIO()
    face.save(buffer)
    atomic.write_bytes(target, buffer.getvalue())
    return target


def _family(font) -> str:
    return font["name"].getDebugName(1) or ""
