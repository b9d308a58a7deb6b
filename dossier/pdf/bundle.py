"""Bind PDFs and scanned images into one A4 PDF with a bookmark per section and page numbers.

Every page ends up A4 (portrait, or landscape for landscape pages). The page number ("- n -",
and /PageLabels 1, 2, 3 … for viewers) sits in a band along the bottom edge that no part's
content enters: PDF pages (whatever their size, A4 included) are scaled to fit the area above
the band and centred in it, images are fitted inside the margins. The number is set in an
embedded font (`numberfont`). Scanned images are turned upright as their EXIF tag says (a
landscape photo gets a landscape page).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, IndirectObject, NameObject

from dossier.errors import UsageError
from dossier.pdf.numberfont import add_number_font, number_font
from dossier.pdf.stamp import POINTS_PER_MM, image_overlay, image_xobject, write_compressed

A4 = (595.276, 841.89)
_MARGIN = 15 * POINTS_PER_MM  # around images
BAND = 10 * POINTS_PER_MM  # along the bottom edge: the page number only
_NUMBER_Y = 4 * POINTS_PER_MM  # baseline of the page number, inside the band

Part = Path | bytes  # a PDF or image file, or PDF bytes


@dataclass(frozen=True)
class Section:
    """A bookmarked section: its title and its parts in order."""

    title: str
    parts: tuple[Part, ...]


def _a4_size(width: float, height: float) -> tuple[float, float]:
    return (A4[1], A4[0]) if width > height else A4


def _add_pdf_pages(writer: PdfWriter, data: bytes, name: str) -> None:
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = list(reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise UsageError(f"{name}: not a readable PDF ({exc})") from exc
    scratch = PdfWriter()  # rotation is moved into the content on a page attached to a writer
    for original in pages:
        source = scratch.add_page(original)
        if source.rotation:
            source.transfer_rotation_to_content()
        width, height = float(source.mediabox.width), float(source.mediabox.height)
        target_w, target_h = _a4_size(width, height)
        scale = min(target_w / width, (target_h - BAND) / height)
        page = writer.add_blank_page(target_w, target_h)
        move = Transformation().translate(-float(source.mediabox.left), -float(source.mediabox.bottom)).scale(scale)
        move = move.translate((target_w - width * scale) / 2, BAND + (target_h - BAND - height * scale) / 2)
        page.merge_transformed_page(source, move)


def _add_image_page(writer: PdfWriter, path: Path) -> None:
    xobject, px_w, px_h = image_xobject(writer, path)
    page_w, page_h = _a4_size(px_w, px_h)
    scale = min((page_w - 2 * _MARGIN) / px_w, (page_h - 2 * _MARGIN) / px_h)
    width, height = px_w * scale, px_h * scale
    x, y = (page_w - width) / 2, (page_h - height) / 2
    page = writer.add_blank_page(page_w, page_h)
    overlay = image_overlay(page_w, page_h, xobject, f"q {width:.3f} 0 0 {height:.3f} {x:.3f} {y:.3f} cm /Img Do Q")
    page.merge_page(overlay)


def _add_part(writer: PdfWriter, part: Part) -> None:
    if isinstance(part, bytes):
        _add_pdf_pages(writer, part, "PDF")
    elif part.suffix.lower() == ".pdf":
        _add_pdf_pages(writer, part.read_bytes(), str(part))
    else:
        _add_image_page(writer, part)


def _number_page(page: PageObject, number: int, font: IndirectObject) -> None:
    text = f"- {number} -"
    size = 9.0
    x = (float(page.mediabox.width) - number_font().text_width(text, size)) / 2
    overlay = PageObject.create_blank_page(None, float(page.mediabox.width), float(page.mediabox.height))
    overlay[NameObject("/Resources")] = DictionaryObject(
        {
            NameObject("/Font"): DictionaryObject({NameObject("/FNum"): font}),
        }
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /FNum {size:g} Tf {x:.3f} {_NUMBER_Y:.3f} Td ({text}) Tj ET".encode("ascii"))
    overlay[NameObject("/Contents")] = content
    page.merge_page(overlay)


def bundle(sections: list[Section], number_pages: bool = True) -> bytes:
    """One PDF of all sections in order, each section bookmarked at its first page."""
    writer = PdfWriter()
    for section in sections:
        first = len(writer.pages)
        for part in section.parts:
            _add_part(writer, part)
        if len(writer.pages) == first:
            raise UsageError(f"section {section.title}: no pages")
        writer.add_outline_item(title=section.title, page_number=first)
    if number_pages:
        font = add_number_font(writer)
        for number, page in enumerate(writer.pages, start=1):
            _number_page(page, number, font)
        writer.set_page_label(0, len(writer.pages) - 1, "/D", start=1)
    writer.page_mode = "/UseOutlines"
    return write_compressed(writer)
