"""Word field codes (PAGE, NUMPAGES, TOC) as complex fields python-docx can append."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph


def _char(kind: str, dirty: bool = False):
    run = OxmlElement("w:r")
    char = OxmlElement("w:fldChar")
    char.set(qn("w:fldCharType"), kind)
    if dirty:
        char.set(qn("w:dirty"), "true")
    run.append(char)
    return run


def field_begin(paragraph: Paragraph, instruction: str, dirty: bool = False) -> None:
    """Open a field with `instruction` in `paragraph` (its cached result follows)."""
    paragraph._p.append(_char("begin", dirty))
    run = OxmlElement("w:r")
    text = OxmlElement("w:instrText")
    text.set(qn("xml:space"), "preserve")
    text.text = f" {instruction} "
    run.append(text)
    paragraph._p.append(run)
    paragraph._p.append(_char("separate"))


def field_end(paragraph: Paragraph) -> None:
    """Close the field opened by field_begin (possibly in an earlier paragraph)."""
    paragraph._p.append(_char("end"))


def add_field(paragraph: Paragraph, instruction: str, cached: str) -> None:
    """Append a complete field whose last computed result is `cached`."""
    field_begin(paragraph, instruction)
    paragraph.add_run(cached)
    field_end(paragraph)
