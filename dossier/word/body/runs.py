"""Runs and paragraph properties written as XML directly (python-docx's setters search the schema
for every property; this was a quarter of the Markdown rendering time)."""

from __future__ import annotations

import copy
import functools
import re
from dataclasses import dataclass

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Twips
from docx.text.paragraph import Paragraph

CODE_FONT = "Courier New"  # drawn with Liberation Mono (metric-compatible) when converting
# docxtpl turns "{_{", "}_}", "{_%", "%_}" into Jinja delimiters after rendering: never let a run hold one
_DOCXTPL_ESCAPES = re.compile(r"(?<=[{}%]_)(?=[{}%])")
_RUN_CONTROLS = re.compile(r"([\t\r\n])")  # python-docx writes each as its own element


_PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                   "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
                   "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
                   "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
                   "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


@dataclass(frozen=True)
class Format:
    """Character formatting in force for the text being written."""

    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    superscript: bool = False


def set_indent(paragraph: Paragraph, left: int, hanging: int = 0) -> None:
    """Indent a paragraph `left` twips, its first line `hanging` twips less."""
    fmt = paragraph.paragraph_format
    fmt.left_indent = Twips(left)
    fmt.first_line_indent = Twips(-hanging)


def set_numbering(paragraph: Paragraph, num_id: int, level: int) -> None:
    """Number a paragraph as level `level` of list `num_id`."""
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def set_style(paragraph: Paragraph, style_id: str | None) -> None:
    """Apply a paragraph style by id (None: the default style) as `paragraph.style = name` would."""
    paragraph._p.get_or_add_pPr().style = style_id


def paragraph_property(paragraph: Paragraph, xml: str) -> None:
    """Add a pBdr or shd element to the paragraph properties, in schema order."""
    element = parse_xml(xml)
    start = _PPR_AFTER_PBDR.index("w:shd") + 1 if element.tag == qn("w:shd") else 0
    paragraph._p.get_or_add_pPr().insert_element_before(element, *_PPR_AFTER_PBDR[start:])


def add_runs(paragraph: Paragraph, text: str, fmt: Format) -> None:
    """Text as runs with `fmt`, written as python-docx's `add_run(text)` and font setters would.

    Tabs become w:tab and line breaks w:br; a w:t keeps its spaces (xml:space) when it starts or
    ends with one. The elements are made directly: python-docx's setters search the schema's
    successor lists for every property and were a quarter of the Markdown rendering time.
    """
    properties = run_properties(fmt)
    p = paragraph._p
    for piece in _DOCXTPL_ESCAPES.split(text):
        run = OxmlElement("w:r")
        if properties is not None:
            run.append(copy.deepcopy(properties))
        for part in _RUN_CONTROLS.split(piece):
            if part == "\t":
                run.append(OxmlElement("w:tab"))
            elif part in ("\r", "\n"):
                run.append(OxmlElement("w:br"))
            elif part:
                element = OxmlElement("w:t")
                element.text = part
                if len(part.strip()) < len(part):
                    element.set(qn("xml:space"), "preserve")
                run.append(element)
        p.append(run)


@functools.cache
def run_properties(fmt: Format):
    """The w:rPr for `fmt` (properties in schema order), or None for plain text."""
    code = f'<w:rFonts w:ascii="{CODE_FONT}" w:hAnsi="{CODE_FONT}"/>' if fmt.code else ""
    flags = "".join(tag for on, tag in ((fmt.bold, "<w:b/>"), (fmt.italic, "<w:i/>"), (fmt.strike, "<w:strike/>"),
                                        (fmt.superscript, '<w:vertAlign w:val="superscript"/>')) if on)
    return parse_xml(f"<w:rPr {nsdecls('w')}>{code}{flags}</w:rPr>") if code or flags else None
