"""The quality manual's table of contents: a real Word TOC field with its entries filled in.

The entries are written as the field's cached result, so the docx is up to date when opened and
Word can refresh it (F9). Page numbers come from LibreOffice's own pagination: the first
conversion's PDF outline gives the page of every heading, and the document is rendered again
with those numbers (the entry count is unchanged, so pagination is too).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from docx.enum.style import WD_STYLE_TYPE
from pypdf import PdfReader

from dossier.word.fields import field_begin, field_end

TOC_LEVELS = 3
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Heading:
    """A body heading as it will appear in the table of contents."""

    level: int
    text: str


def body_headings(subdoc) -> list[Heading]:
    """Headings (levels 1..TOC_LEVELS) of a rendered body, in order."""
    found = []
    for paragraph in subdoc.paragraphs:
        style = paragraph.style
        name = style.name if style is not None and style.type == WD_STYLE_TYPE.PARAGRAPH else ""
        match = re.fullmatch(r"Heading (\d)", name or "")
        if match and int(match.group(1)) <= TOC_LEVELS and paragraph.text.strip():
            found.append(Heading(int(match.group(1)), paragraph.text.strip()))
    return found


def fill_toc(subdoc, headings: list[Heading], pages: list[int] | None) -> None:
    """Write the TOC field into an empty subdoc; `pages` (1-based) or '—' placeholders of equal width."""
    if not headings:
        subdoc.add_paragraph("（无章节）")
        return
    for index, heading in enumerate(headings):
        paragraph = subdoc.add_paragraph(style=f"TOC {heading.level}")
        if index == 0:
            field_begin(paragraph, f'TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u')
        page = str(pages[index]) if pages else "00"
        paragraph.add_run(f"{heading.text}\t{page}")
        if index == len(headings) - 1:
            field_end(paragraph)


def _normal(text: str) -> str:
    return _SPACE.sub("", text)


def heading_pages(pdf: bytes, headings: list[Heading]) -> list[int]:
    """1-based page of each heading, read from the PDF outline LibreOffice exports.

    Headings are matched in order, so a title repeated elsewhere cannot be mistaken for one.
    Raises ValueError when a heading is not in the outline.
    """
    reader = PdfReader(io.BytesIO(pdf))
    outline: list[tuple[str, int]] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append((_normal(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    pages, position = [], 0
    for heading in headings:
        wanted = _normal(heading.text)
        while position < len(outline) and outline[position][0] != wanted:
            position += 1
        if position == len(outline):
            raise ValueError(f"heading {heading.text!r} not found in the PDF outline")
        pages.append(outline[position][1])
        position += 1
    return pages
