"""Building blocks of the Word documents dossier writes: A4 pages, house styles, bordered tables.

Used by the template generator (`templatekit`), the record-form grid, the registers and the
disinfectant annexes, so a page is set up, a table bordered and its widths fixed one way.
Tables use a fixed layout with explicit `w:tblGrid` column widths (LibreOffice ignores cell
widths alone); header rows repeat on every page (`w:tblHeader`).
"""

from __future__ import annotations

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from dossier.word.fields import add_field


def house_styles(doc: DocxDocument) -> None:
    """The house styles: Normal 11 pt, black bold headings, TOC levels with dot leaders, Block Label,
    captions (图1、表1) in the body face, black and centred."""
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    sizes = {"Heading 1": 15, "Heading 2": 13, "Heading 3": 12, "Heading 4": 11, "Title": 20}
    for name, size in sizes.items():
        style = styles[name]
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(6)
    styles["Title"].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title_rpr = styles["Title"].element.get_or_add_rPr()
    for border in title_rpr.findall(qn("w:pBdr")):
        title_rpr.remove(border)
    title_ppr = styles["Title"].element.get_or_add_pPr()
    for border in title_ppr.findall(qn("w:pBdr")):
        title_ppr.remove(border)
    for level in (1, 2, 3):
        name = f"TOC {level}"
        style = styles[name] if name in [s.name for s in styles] else styles.add_style(name, 1)
        style.base_style = styles["Normal"]
        style.paragraph_format.left_indent = Cm(0.75 * (level - 1))
        style.paragraph_format.space_after = Pt(2)
        style.paragraph_format.tab_stops.add_tab_stop(Cm(16), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
    caption = styles["Caption"]
    caption.font.size = Pt(10.5)
    caption.font.bold = False
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0, 0, 0)
    caption.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    caption.paragraph_format.space_before = Pt(3)
    caption.paragraph_format.space_after = Pt(6)
    label = styles.add_style("Block Label", 1)
    label.base_style = styles["Normal"]
    label.font.bold = True
    label.font.size = Pt(12)
    label.paragraph_format.space_before = Pt(12)
    label.paragraph_format.keep_with_next = True
    _drop_table_styles(doc)


def _drop_table_styles(doc: DocxDocument) -> None:
    """Keep only the table styles a template uses (Table Grid, the default): python-docx's stock
    template brings a hundred more, 95% of styles.xml, which every render would parse again."""
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:default")) != "1" and style.name_val != "Table Grid":
            styles.remove(style)


HOUSE_MARGINS_CM = (2.2, 2.0, 2.5, 2.0)  # top, bottom, left, right


def a4_page(doc: DocxDocument, landscape: bool = False, margins_cm: tuple[float, float, float, float] = HOUSE_MARGINS_CM,
            house: bool = True) -> None:
    """A4, portrait or landscape, with `margins_cm` (top, bottom, left, right).

    `house` also sets the orientation explicitly and the 1 cm header and footer distances of the
    controlled documents (the filing annexes keep python-docx's defaults).
    """
    section = doc.sections[0]
    if house:
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (Cm(29.7), Cm(21)) if landscape else (Cm(21), Cm(29.7))
    top, bottom, left, right = (Cm(value) for value in margins_cm)
    if house:
        section.top_margin, section.bottom_margin = top, bottom
        section.left_margin, section.right_margin = left, right
        section.header_distance, section.footer_distance = Cm(1.0), Cm(1.0)
    else:
        section.left_margin = section.right_margin = left
        section.top_margin, section.bottom_margin = top, bottom


def cell_text(cell, text: str, bold: bool = False, center: bool = True, size: float | None = None) -> Paragraph:
    """Write `text` into a table cell, vertically centred, without space after; its paragraph."""
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(0)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    return paragraph


def set_column_widths(table: Table, widths_cm: list[float]) -> None:
    """Fix a table's column widths so Word and LibreOffice both honour them.

    Sets a fixed layout, the table width, the `w:tblGrid` columns and every cell's width
    (a merged cell gets the sum of the columns it spans).
    """
    table.autofit = False  # w:tblLayout w:type="fixed"
    twips = [round(Cm(width).twips) for width in widths_cm]
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(twips)))
    grid = table._tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for width in twips:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(width))
        grid.append(col)
    for tr in table._tbl.tr_lst:
        start = 0
        for tc in tr.tc_lst:
            span = tc.grid_span
            tc.get_or_add_tcPr().get_or_add_tcW().set(qn("w:type"), "dxa")
            tc.tcPr.tcW.set(qn("w:w"), str(sum(twips[start:start + span])))
            start += span


def bordered(table: Table, widths_cm: list[float]) -> None:
    """Table Grid borders, centred, fixed column widths in cm."""
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(table, widths_cm)


def keep_rows_whole(table: Table) -> None:
    """Mark every row `w:cantSplit`: a row never breaks across pages."""
    for row in table.rows:
        tr_pr = row._tr.get_or_add_trPr()
        if tr_pr.find(qn("w:cantSplit")) is None:
            tr_pr.append(OxmlElement("w:cantSplit"))


def repeat_header_row(table: Table, rows: int = 1) -> None:
    """The first `rows` rows repeat at the top of every page the table runs onto."""
    for row in table.rows[:rows]:
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # on by default: ST_OnOff needs no value


def page_break(doc: DocxDocument) -> None:
    """Start a new page."""
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def base_document(landscape: bool = False) -> DocxDocument:
    """An empty A4 document with the house styles and a 第X页 共Y页 footer (for generated lists)."""
    doc = Document()
    a4_page(doc, landscape)
    house_styles(doc)
    page_of_pages(doc.sections[0].footer.paragraphs[0])
    return doc


def page_of_pages(paragraph: Paragraph) -> None:
    """Fill a centred paragraph with 第 X 页 共 Y 页 (PAGE and NUMPAGES fields)."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    add_field(paragraph, "PAGE", "1")
    paragraph.add_run(" 页 共 ")
    add_field(paragraph, "NUMPAGES", "1")
    paragraph.add_run(" 页")


def grid_table(doc: DocxDocument, header: list[str], rows: list[list[str]], widths_cm: list[float]) -> Table:
    """A bordered table with a bold header row repeated on every page."""
    table = doc.add_table(len(rows) + 1, len(header))
    bordered(table, widths_cm)
    # cells straight from each row's w:tc elements: table.cell() rebuilds the whole grid on every call
    for r, (tr, values) in enumerate(zip(table._tbl.tr_lst, [header, *rows])):
        for tc, text in zip(tr.tc_lst, values):
            cell_text(_Cell(tc, table), text, bold=r == 0, size=10)
    repeat_header_row(table)
    keep_rows_whole(table)
    return table
