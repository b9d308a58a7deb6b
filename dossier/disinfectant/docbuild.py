"""python-docx helpers shared by the annex documents: A4 page, Chinese fonts, tables, checkboxes."""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from dossier.fonts import default_fonts
from dossier.word.blocks import a4_page, repeat_header_row

CHECKED, UNCHECKED = "☑", "☐"
BODY_SIZE = Pt(10.5)  # 五号
HEADING_TEXT = "Heading Text"  # character style: set in the heading face (黑体) when the package is finished


def new_document() -> DocxDocument:
    """An empty A4 document; body and heading faces are named when the package is finished."""
    document = Document()
    a4_page(document, margins_cm=(2.5, 2.5, 2.5, 2.5), house=False)
    document.styles["Normal"].font.size = BODY_SIZE
    document.styles.add_style(HEADING_TEXT, WD_STYLE_TYPE.CHARACTER)
    return document


def _fonts(run, face: str) -> None:
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), face)


def add_run(paragraph: Paragraph, text: str, bold: bool = False, size: Pt | None = None, heading: bool = False):
    """Append a run in the body face, or in the heading face (the `Heading Text` style)."""
    run = paragraph.add_run(text, style=HEADING_TEXT if heading else None)
    run.bold = bold or None
    if size is not None:
        run.font.size = size
    return run


def add_box(paragraph: Paragraph, checked: bool) -> None:
    """Append ☑ or ☐ in a font that has the glyph (宋体 and 黑体 have none)."""
    run = paragraph.add_run(CHECKED if checked else UNCHECKED)
    _fonts(run, default_fonts().symbol)


def title(document: DocxDocument, text: str, size: float = 18) -> Paragraph:
    """A centred title in the Hei-style face."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, text, bold=True, size=Pt(size), heading=True)
    return paragraph


def para(
    document: DocxDocument,
    text: str = "",
    bold: bool = False,
    heading: bool = False,
    size: float | None = None,
    center: bool = False,
) -> Paragraph:
    """A body paragraph."""
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        add_run(paragraph, text, bold=bold, heading=heading, size=Pt(size) if size else None)
    return paragraph


def page_break(document: DocxDocument) -> None:
    """Start a new page."""
    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def grid(document: DocxDocument, rows: int, widths_mm: list[float], header_rows: int = 0) -> Table:
    """A bordered table with fixed column widths; the first `header_rows` repeat on each page."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)  # w:gridCol, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm):
            cell.width = Mm(width)
    repeat_header_row(table, header_rows)
    return table


def fill(cell: _Cell, text: str, bold: bool = False, center: bool = False, size: float | None = None) -> Paragraph:
    """Replace a cell's text."""
    paragraph = cell.paragraphs[0]
    for run in list(paragraph.runs):
        run._element.getparent().remove(run._element)
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_run(paragraph, text, bold=bold, size=Pt(size) if size else None)
    return paragraph


def choice(paragraph: Paragraph, options: tuple[str, ...], selected: str | None) -> None:
    """Options each followed by its box, e.g. 是☑　否☐."""
    for index, option in enumerate(options):
        if index:
            add_run(paragraph, "　")
        add_run(paragraph, option)
        add_box(paragraph, option == selected)
