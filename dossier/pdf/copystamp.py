"""The issued-copy stamp: a red box with the copy's lines (受控, 发放号, holder, revision) on every page.

Device GMP 2025 Art. 43(1) and (3): each copy handed out is identified, so a copy found in a
workshop can be traced to its holder and its revision. The stamp is drawn onto the archived,
released PDF (never a new rendering) in the bottom-left corner, below the body and left of the
centred page number of the house templates; the lines are the caller's (see
`dossier.control.copies`), drawn in Noto Sans CJK SC. The result is normalised like every
other PDF (dates from `when`, /ID from the content), so the same copy gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from dossier.pdf.cjkfont import EmbeddedFont, embed_text_font
from dossier.pdf.normalise import normalise_pdf
from dossier.pdf.stamp import POINTS_PER_MM

RED = "0.78 0.08 0.08"


@dataclass(frozen=True)
class StampBox:
    """Where the stamp goes and how big its text is: lower-left corner (mm), font size and
    line spacing (pt), padding inside the border (pt), and the widest the box may grow (mm),
    beyond which the text is set smaller."""

    x_mm: float = 20.0
    y_mm: float = 4.5
    size_pt: float = 8.0
    leading_pt: float = 10.0
    padding_pt: float = 3.5
    max_width_mm: float = 68.0


def _operations(font: EmbeddedFont, lines: list[str], box: StampBox) -> str:
    """Content-stream operators drawing the bordered box and its lines (first line on top)."""
    size = box.size_pt
    widest = max(font.width(line, size) for line in lines)
    limit = box.max_width_mm * POINTS_PER_MM - 2 * box.padding_pt
    if widest > limit:
        size = size * limit / widest
        widest = limit
    leading = box.leading_pt * size / box.size_pt
    x, y = box.x_mm * POINTS_PER_MM, box.y_mm * POINTS_PER_MM
    width = widest + 2 * box.padding_pt
    height = leading * len(lines) + 2 * box.padding_pt - (leading - size)
    ops = [f"q {RED} RG {RED} rg 1.2 w {x:.2f} {y:.2f} {width:.2f} {height:.2f} re S"]
    baseline = y + height - box.padding_pt - size * 0.88  # Noto CJK's ascent is 0.88 em
    for line in lines:
        ops.append(f"BT /FCopy {size:.2f} Tf 1 0 0 1 {x + box.padding_pt:.2f} {baseline:.2f} Tm {font.encode(line)} Tj ET")
        baseline -= leading
    ops.append("Q")
    return "\n".join(ops)


def stamp_copy(data: bytes, lines: list[str], when: datetime, box: StampBox = StampBox()) -> bytes:
    """The PDF `data` with `lines` stamped in a red box on every page, normalised to `when`.

    `lines` must not be empty; UsageError when no Noto Sans CJK SC is installed or it lacks a
    character. Device GMP Art. 43(1)/(3): the issued copy names its 发放号, holder and revision.
    """
    if not lines:
        raise ValueError("a copy stamp needs at least one line")
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    font = embed_text_font(writer, "".join(lines))
    operations = _operations(font, lines, box).encode("ascii")
    for page in writer.pages:
        media = page.mediabox
        overlay = PageObject.create_blank_page(None, float(media.width), float(media.height))
        overlay[NameObject("/Resources")] = DictionaryObject({
            NameObject("/Font"): DictionaryObject({NameObject("/FCopy"): font.ref}),
        })
        content = DecodedStreamObject()
        content.set_data(operations)
        overlay[NameObject("/Contents")] = content
        page.merge_transformed_page(overlay, Transformation().translate(float(media.left), float(media.bottom)))
        page.compress_content_streams()
    out = io.BytesIO()
    writer.write(out)
    title = reader.metadata.get("/Title") if reader.metadata else None
    return normalise_pdf(out.getvalue(), when, str(title) if title else None)
