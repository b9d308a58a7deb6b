"""Pictures and captions: sized to fit the body area, upright, numbered 图1、图2 … / 表1 ….

A picture keeps its aspect ratio and its own size (its resolution; 72 dpi when the file states
none) unless that exceeds the room it has: the width of its column and the height of the
section's body area less its caption's line, so the picture and its caption share one page.
Photos are turned upright as their EXIF tag says (`dossier.images`).

Captions are set in the Caption style (the house templates make it the body face, black,
centred) and numbered with a Word SEQ field, so Word and LibreOffice count them as they lay the
document out; the number written in the field is the same count.
"""

from __future__ import annotations

import io

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Inches
from docx.text.paragraph import Paragraph

from dossier.images import Picture
from dossier.word.fields import field_begin, field_end
from dossier.word.sections import LINE

FIGURE, TABLE = "图", "表"
CAPTION_ROOM = 2 * LINE + Cm(0.6)  # a caption line, the picture line's spacing and a margin of safety
HEADING_ROOM = 2 * LINE + Cm(0.3)  # a heading right before a picture stays on its page (keep with next)
SEQ_INSTRUCTION = "SEQ {label} \\* ARABIC"


def fitted_size(picture: Picture, max_width: int, max_height: int) -> tuple[Emu, Emu]:
    """(width, height) in EMU: the picture's own size, scaled down to fit both limits."""
    width_in, height_in = picture.natural_size_inches()
    width, height = Inches(width_in), Inches(height_in)
    scale = min(1.0, max_width / width if width else 1.0, max_height / height if height else 1.0)
    return Emu(max(1, round(width * scale))), Emu(max(1, round(height * scale)))


def place_picture(paragraph: Paragraph, picture: Picture, width: Emu, height: Emu) -> None:
    """An inline picture of the given size at the end of `paragraph`, with no extra space around it."""
    stream = io.BytesIO(picture.data)
    stream.name = f"image.{picture.extension}"
    shape = paragraph.add_run().add_picture(stream, width=width, height=height)
    for side in ("distT", "distB", "distL", "distR"):  # LibreOffice's default is 0.125 in
        shape._inline.set(side, "0")


def picture_paragraph(paragraph: Paragraph, captioned: bool) -> None:
    """A paragraph holding only pictures: centred, single-spaced (spacing would be multiplied by the
    picture's height), kept with its caption."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt = paragraph.paragraph_format
    fmt.first_line_indent = 0
    fmt.line_spacing = 1.0
    fmt.keep_with_next = captioned


def existing_captions(target, label: str) -> int:
    """How many captions numbered with `label` the target already holds (numbering continues)."""
    wanted = SEQ_INSTRUCTION.format(label=label)
    return sum(1 for text in target.element.body.iter(qn("w:instrText")) if (text.text or "").strip() == wanted)


def caption_label(paragraph: Paragraph, label: str, number: int) -> None:
    """Start a caption paragraph with `label` and its number (a SEQ field), then a space."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.first_line_indent = 0
    paragraph.add_run(label)
    field_begin(paragraph, SEQ_INSTRUCTION.format(label=label))
    paragraph.add_run(str(number))
    field_end(paragraph)
    paragraph.add_run(" ")
