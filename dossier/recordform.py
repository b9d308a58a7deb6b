"""The blank grid of a record form (记录表单): labelled header fields, N empty rows, sign-off line.

Drug GMP (1992) Art. 68 asks for enough space to write in: rows are 0.9 cm high and the
header row repeats on every page.
"""

from __future__ import annotations

from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

TEXT_WIDTH_CM = 16.5
ROW_HEIGHT_CM = 0.9


def _labelled_line(subdoc, labels: list[str]) -> None:
    table = subdoc.add_table(rows=1, cols=len(labels) * 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, label in enumerate(labels):
        cell = table.cell(0, index * 2)
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
        cell.width = Cm(2.4)
        table.cell(0, index * 2 + 1).width = Cm(TEXT_WIDTH_CM / len(labels) - 2.4)
    table.rows[0].height = Cm(ROW_HEIGHT_CM)
    table.rows[0].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def fill_form(subdoc, header_fields: list[str], columns: list[str], rows: int, footer_fields: list[str]) -> None:
    """Append the form layout to a subdoc."""
    if header_fields:
        _labelled_line(subdoc, header_fields)
        subdoc.add_paragraph()
    table = subdoc.add_table(rows=rows + 1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    width = Cm(TEXT_WIDTH_CM / len(columns))
    for col, name in enumerate(columns):
        paragraph = table.cell(0, col).paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(name)
        run.bold = True
        run.font.size = Pt(9.5)
    for row in table.rows:
        row.height = Cm(ROW_HEIGHT_CM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            cell.width = width
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    tr_pr.append(repeat)
    if footer_fields:
        subdoc.add_paragraph()
        _labelled_line(subdoc, footer_fields)
