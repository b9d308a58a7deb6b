"""Mark every page of a PDF as 作废 (void): a large translucent red 作废 and a boxed note.

A superseded or withdrawn revision may only be handed out marked so it cannot be mistaken for
the current one (device GMP 2025 Art. 43(三)). The mark is drawn as filled vector outlines of
黑体 (Noto Sans CJK SC Bold) shipped in `void_glyphs.json` (made by `python -m
dossier.pdf.glyphkit`): no font is embedded or needed at run time, and the same PDF and note give
the same bytes on every machine. Characters of the note without an outline there are left out.
"""

from __future__ import annotations

import functools
import io
import json
import math
from dataclasses import dataclass

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import ArrayObject, DecodedStreamObject, DictionaryObject, FloatObject, NameObject

from dossier.pdf.stamp import write_compressed

GLYPHS_FILE = "void_glyphs.json"
RED = (0.78, 0.16, 0.16)


@dataclass(frozen=True)
class Glyphs:
    """Outlines by character (PDF path operators in font units) and their advance widths."""

    units_per_em: int
    paths: dict[str, str]
    advances: dict[str, int]


@functools.cache
def glyphs() -> Glyphs:
    """The shipped outlines (void_glyphs.json beside this module)."""
    from importlib import resources

    data = json.loads((resources.files("dossier.pdf") / GLYPHS_FILE).read_text(encoding="utf-8"))
    table = data["glyphs"]
    return Glyphs(data["units_per_em"], {c: g["path"] for c, g in table.items()}, {c: g["advance"] for c, g in table.items()})


def text_outline(text: str) -> tuple[str, float]:
    """PDF path operators drawing `text` from (0, 0) in font units, and its advance width.

    Each glyph is drawn in its own coordinate frame moved along by the advances; characters
    without an outline are skipped.
    """
    table = glyphs()
    ops: list[str] = []
    x = 0
    for char in text:
        if char not in table.paths:
            continue
        if table.paths[char]:
            ops.append(f"q 1 0 0 1 {x} 0 cm {table.paths[char]} f Q")
        x += table.advances[char]
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


def _mark_operations(width: float, height: float, note: str) -> str:
    """Drawing operators of the mark on a page of `width` × `height` points."""
    units = glyphs().units_per_em
    red = " ".join(f"{c:.2f}" for c in RED)
    big, big_width = text_outline("作废")
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
           f"{big} Q"]
    line, line_width = text_outline(f"作废 {note}".strip())
    small = 11.0
    small_scale = small / units
    box_w = line_width * small_scale + 12
    x, y = width - box_w - 24, height - 30
    ops.append(f"q {red} RG 1.2 w {x:.2f} {y - 5:.2f} {box_w:.2f} {small + 9:.2f} re S Q")
    ops.append(f"q {red} rg {small_scale:.5f} 0 0 {small_scale:.5f} {x + 6:.2f} {y:.2f} cm {line} Q")
    return "\n".join(ops)


def void_mark(data: bytes, note: str = "") -> bytes:
    """The PDF `data` with 作废 across every page and `作废 <note>` boxed at the top right."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    for page in writer.pages:
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        overlay = _overlay(width, height, _mark_operations(width, height, note))
        page.merge_transformed_page(overlay, Transformation().translate(float(box.left), float(box.bottom)))
    return write_compressed(writer)
