"""Mark every page of a PDF as 作废 (void): text drawn as vector outlines from a system CJK font.

A superseded or withdrawn revision may only be handed out marked so it cannot be mistaken for
the current one (device GMP 2025 Art. 43(三)). The mark is a large translucent red 作废 across
each page and a boxed line at the top right; the glyphs are drawn as filled paths taken from
the installed 黑体 face (Noto Sans CJK SC through the fonts catalogue), so no font is embedded
and the result depends only on the input PDF, the text and that font file.
"""

from __future__ import annotations

import functools
import io
import math
import shutil
import subprocess
from pathlib import Path

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont
from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

from dossier.errors import ToolError
from dossier.fonts import catalogue
from dossier.pdf.stamp import write_compressed

MARK_FACE = "黑体"
RED = (0.78, 0.16, 0.16)


class _PathPen(BasePen):
    """Collects glyph outlines as PDF path operators, in font units, shifted by `dx`."""

    def __init__(self, glyph_set, dx: float = 0.0):
        super().__init__(glyph_set)
        self.ops: list[str] = []
        self.dx = dx

    def _pt(self, point) -> str:
        return f"{point[0] + self.dx:.0f} {point[1]:.0f}"

    def _moveTo(self, pt) -> None:  # noqa: N802 - fontTools' pen protocol
        self.ops.append(f"{self._pt(pt)} m")

    def _lineTo(self, pt) -> None:  # noqa: N802
        self.ops.append(f"{self._pt(pt)} l")

    def _curveToOne(self, pt1, pt2, pt3) -> None:  # noqa: N802
        self.ops.append(f"{self._pt(pt1)} {self._pt(pt2)} {self._pt(pt3)} c")

    def _closePath(self) -> None:  # noqa: N802
        self.ops.append("h")


@functools.cache
def mark_font() -> TTFont:
    """The installed face that draws 黑体 (through fontconfig); ToolError when there is none."""
    face = catalogue()[MARK_FACE].render
    if not shutil.which("fc-match"):
        raise ToolError(f"error: fc-match not found: install fontconfig and {face} (fonts-noto-cjk) to mark 作废 copies")
    found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}", f"{face}:bold"], capture_output=True, text=True, check=False)
    lines = found.stdout.splitlines()
    path = Path(lines[0]) if lines else Path()
    if not path.is_file() or path.suffix.lower() not in (".otf", ".ttf", ".ttc"):
        raise ToolError(f"error: no installed font for {face}: install fonts-noto-cjk to mark 作废 copies")
    index = int(lines[1]) if len(lines) > 1 and lines[1].isdigit() else 0
    return TTFont(str(path), fontNumber=index, lazy=True)


def text_outline(font: TTFont, text: str) -> tuple[str, float]:
    """PDF path operators drawing `text` in font units from (0, 0), and its advance width in font units.

    Characters the font has no glyph for are skipped.
    """
    cmap = font.getBestCmap()
    glyphs = font.getGlyphSet()
    metrics = font["hmtx"]
    ops: list[str] = []
    x = 0.0
    for char in text:
        name = cmap.get(ord(char))
        if name is None:
            continue
        pen = _PathPen(glyphs, x)
        glyphs[name].draw(pen)
        ops += pen.ops
        x += metrics[name][0]
    return " ".join(ops), x


def _overlay(width: float, height: float, operations: str) -> PageObject:
    page = PageObject.create_blank_page(None, width, height)
    state = DictionaryObject({NameObject("/Type"): NameObject("/ExtGState"),
                              NameObject("/ca"): FloatObject(0.28), NameObject("/CA"): FloatObject(0.28)})
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/ExtGState"): DictionaryObject({NameObject("/GSvoid"): state}),
        NameObject("/ProcSet"): ArrayObject([NameObject("/PDF")]),
    })
    content = DecodedStreamObject()
    content.set_data(operations.encode("ascii"))
    page[NameObject("/Contents")] = content
    return page


def _mark_operations(font: TTFont, width: float, height: float, note: str) -> str:
    """Drawing operators of the mark on a page of `width` × `height` points."""
    units = font["head"].unitsPerEm
    red = " ".join(f"{c:.2f}" for c in RED)
    big, big_width = text_outline(font, "作废")
    size = min(width, height) * 0.32
    scale = size / units
    angle = math.atan2(height, width)
    cos, sin = math.cos(angle), math.sin(angle)
    # centre the word on the page, along the diagonal
    cx, cy = width / 2, height / 2
    dx, dy = big_width * scale / 2, size * 0.38
    tx = cx - cos * dx + sin * dy
    ty = cy - sin * dx - cos * dy
    ops = [f"q /GSvoid gs {red} rg {cos * scale:.5f} {sin * scale:.5f} {-sin * scale:.5f} {cos * scale:.5f} {tx:.2f} {ty:.2f} cm "
           f"{big} f Q"]
    line, line_width = text_outline(font, f"作废 {note}".strip())
    small = 11.0
    small_scale = small / units
    box_w = line_width * small_scale + 12
    x, y = width - box_w - 24, height - 30
    ops.append(f"q {red} RG 1.2 w {x:.2f} {y - 5:.2f} {box_w:.2f} {small + 9:.2f} re S Q")
    ops.append(f"q {red} rg {small_scale:.5f} 0 0 {small_scale:.5f} {x + 6:.2f} {y:.2f} cm {line} f Q")
    return "\n".join(ops)


def void_mark(data: bytes, note: str = "") -> bytes:
    """The PDF `data` with 作废 across every page and `作废 <note>` boxed at the top right."""
    font = mark_font()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        overlay = _overlay(width, height, _mark_operations(font, width, height, note))
        page.merge_transformed_page(overlay, Transformation().translate(float(box.left), float(box.bottom)))
    return write_compressed(writer)
