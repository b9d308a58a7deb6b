"""The blank grid of a record form (记录表单): labelled header fields, N empty rows, sign-off line.

Drug GMP (1992) Art. 68 asks for enough space to write in: rows are 0.9 cm high, never split
across pages, and the header row repeats on every page. Columns are sized by their header
(a CJK character counts double) so that headers do not wrap; the header font shrinks
from 9.5 pt down to 7.5 pt when the headers need it. A form with more than 10 columns is set
in its own landscape section (the template's margins, A4 across) between two section breaks.
"""

from __future__ import annotations

import copy
import unicodedata

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table

from dossier.word.blocks import keep_rows_whole, repeat_header_row, set_column_widths

LANDSCAPE_ABOVE_COLUMNS = 10
ROW_HEIGHT_CM = 0.9
HEADER_PT = 9.5
MIN_HEADER_PT = 7.5
LABEL_PT = 10.0
CELL_PADDING_CM = 0.6  # Table Grid's 0.19 cm left + right cell margins, plus slack


def text_units(text: str) -> float:
    """Display width in half-em units: wide (CJK) characters count 2, others 1.4 (bold Latin
    capitals are wider than half an em)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1.4 for char in text)


def needed_cm(text: str, size_pt: float) -> float:
    """Width a one-line cell needs for `text` set in `size_pt`."""
    return text_units(text) * size_pt / 2 * 2.54 / 72 + CELL_PADDING_CM


def column_layout(columns: list[str], text_width_cm: float) -> tuple[list[float], float]:
    """Column widths (summing to the text width) and the header font size for a form grid.

    The largest size from 9.5 pt down to 7.5 pt at which every header fits on one line is used;
    the width left over is shared in proportion to each column's need.
    """
    size = HEADER_PT
    while size > MIN_HEADER_PT and sum(needed_cm(c, size) for c in columns) > text_width_cm:
        size -= 0.5
    needs = [needed_cm(c, size) for c in columns]
    scale = text_width_cm / sum(needs)
    widths = [round(need * scale, 2) for need in needs]
    widths[-1] = round(text_width_cm - sum(widths[:-1]), 2)
    return widths, size


def _centred(cell) -> None:
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _labelled_line(subdoc, labels: list[str], text_width_cm: float) -> None:
    table = subdoc.add_table(rows=1, cols=len(labels) * 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    pair = text_width_cm / len(labels)
    widths: list[float] = []
    for index, label in enumerate(labels):
        cell = table.cell(0, index * 2)
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
        run.font.size = Pt(LABEL_PT)
        label_cm = round(min(needed_cm(label, LABEL_PT), pair * 0.6), 2)
        widths += [label_cm, round(pair - label_cm, 2)]
    set_column_widths(table, widths)
    for cell in table.rows[0].cells:
        _centred(cell)
    table.rows[0].height = Cm(ROW_HEIGHT_CM)
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    keep_rows_whole(table)


def _grid(subdoc, columns: list[str], rows: int, text_width_cm: float) -> Table:
    table = subdoc.add_table(rows=rows + 1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths, size = column_layout(columns, text_width_cm)
    set_column_widths(table, widths)
    for col, name in enumerate(columns):
        paragraph = table.cell(0, col).paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(name)
        run.bold = True
        run.font.size = Pt(size)
    for row in table.rows:
        row.height = Cm(ROW_HEIGHT_CM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            _centred(cell)
    repeat_header_row(table)
    keep_rows_whole(table)
    return table


def _section_break(subdoc, landscape: bool) -> None:
    """End the current section here with a copy of the document's own section properties
    (headers, footers, margins), turned to landscape when asked."""
    sect_pr = copy.deepcopy(subdoc.docx.element.body.sectPr)
    size = sect_pr.find(qn("w:pgSz"))
    width, height = sorted((int(size.get(qn("w:w"))), int(size.get(qn("w:h")))))
    if landscape:
        width, height = height, width
        size.set(qn("w:orient"), "landscape")
    elif size.get(qn("w:orient")) is not None:
        del size.attrib[qn("w:orient")]
    size.set(qn("w:w"), str(width))
    size.set(qn("w:h"), str(height))
    paragraph = subdoc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph._p.get_or_add_pPr().append(sect_pr)


def _text_width_cm(subdoc, landscape: bool) -> float:
    """Text width of the template's page, portrait or turned to landscape."""
    section = subdoc.docx.sections[-1]
    page = max(section.page_width, section.page_height) if landscape else min(section.page_width, section.page_height)
    return round((page - section.left_margin - section.right_margin) / Cm(1), 2)


def fill_form(subdoc, header_fields: list[str], columns: list[str], rows: int, footer_fields: list[str]) -> None:
    """Append the form layout to a docxtpl subdoc (landscape section when over 10 columns)."""
    landscape = len(columns) > LANDSCAPE_ABOVE_COLUMNS
    text_width = _text_width_cm(subdoc, landscape)
    if landscape:
        _section_break(subdoc, landscape=False)
    if header_fields:
        _labelled_line(subdoc, header_fields, text_width)
        subdoc.add_paragraph()
    _grid(subdoc, columns, rows, text_width)
    if footer_fields:
        subdoc.add_paragraph()
        _labelled_line(subdoc, footer_fields, text_width)
    if landscape:
        _section_break(subdoc, landscape=True)
