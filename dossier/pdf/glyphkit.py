"""Generate `void_glyphs.json`: the outlines of the few characters a 作废 mark draws.

Run `python -m dossier.pdf.glyphkit` after changing CHARACTERS: it reads the installed 黑体 face
(Noto Sans CJK SC Bold through fontconfig) with fontTools and writes each glyph as PDF path
operators in font units. Shipping the outlines keeps the mark the same on every machine and
spares parsing a 20 MB CJK font on every run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

from dossier.fonts import catalogue

GLYPHS_FILE = Path(__file__).with_name("void_glyphs.json")
MARK_FACE = "黑体"
CHARACTERS = "作废版仅供查阅" + "".join(chr(c) for c in range(0x20, 0x7F))


class _PathPen(BasePen):
    """Collects a glyph's outline as PDF path operators (font units, whole numbers)."""

    def __init__(self, glyph_set):
        super().__init__(glyph_set)
        self.ops: list[str] = []

    def _moveTo(self, pt) -> None:  # noqa: N802 - fontTools' pen protocol
        self.ops.append(f"{pt[0]:.0f} {pt[1]:.0f} m")

    def _lineTo(self, pt) -> None:  # noqa: N802
        self.ops.append(f"{pt[0]:.0f} {pt[1]:.0f} l")

    def _curveToOne(self, pt1, pt2, pt3) -> None:  # noqa: N802
        self.ops.append(" ".join(f"{p[0]:.0f} {p[1]:.0f}" for p in (pt1, pt2, pt3)) + " c")

    def _closePath(self) -> None:  # noqa: N802
        self.ops.append("h")


def mark_font() -> tuple[TTFont, str]:
    """The installed face drawing 黑体 in bold, and its name and version for the notice."""
    face = catalogue()[MARK_FACE].render
    if not shutil.which("fc-match"):
        raise SystemExit("fc-match not found: install fontconfig and fonts-noto-cjk")
    lines = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", f"{face}:bold"], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    font = TTFont(lines[0], fontNumber=int(lines[1]) if len(lines) > 1 else 0, lazy=True)
    names = font["name"]
    return font, f"{names.getDebugName(4)} {names.getDebugName(5)}"


def glyph_outlines(font: TTFont, characters: str) -> dict[str, dict[str, object]]:
    """{character: {advance, path}} for each of `characters` the font has."""
    cmap, glyphs, metrics = font.getBestCmap(), font.getGlyphSet(), font["hmtx"]
    out = {}
    for char in characters:
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = _PathPen(glyphs)
        glyphs[name].draw(pen)
        out[char] = {"advance": metrics[name][0], "path": " ".join(pen.ops)}
    return out


def main() -> None:
    """Write void_glyphs.json from the installed font."""
    font, name = mark_font()
    data = {
        "source": f"{name}; glyph outlines from Noto Sans CJK (© Adobe), SIL Open Font License 1.1",
        "units_per_em": font["head"].unitsPerEm,
        "glyphs": glyph_outlines(font, CHARACTERS),
    }
    GLYPHS_FILE.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {GLYPHS_FILE} ({len(data['glyphs'])} glyphs)", file=sys.stderr)


if __name__ == "__main__":
    main()
