"""The blank grid of a record form (记录表单): labelled header fields, N empty rows, sign-off line.

Drug GMP (1992) Art. 68 asks for enough space to write in: rows are 0.9 cm high, never split
across pages, and the header row repeats on every page. Columns are sized by their header
(a CJK character counts double) so that headers do not wrap; the header font shrinks
from 9.5 pt down to 7.5 pt when the headers need it. Each header and footer field gets a value
cell at least `MIN_VALUE_CM` wide, so the labelled fields take as many lines as that needs.

A form with more than 10 columns, or whose headers do not fit a portrait page even at 7.5 pt,
is wide (`is_wide`): the renderer sets the title, header fields, grid and note together in one
landscape section (the template's margins, A4 across, the page header widened to match; see
`dossier.word.sections`), and this module lays the grid out across the landscape body.
"""

from __future__ import annotations

import math
import unicodedata

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table

from dossier.word.blocks import keep_rows_whole, repeat_header_row, set_column_widths

LANDSCAPE_ABOVE_COLUMNS = 10
ROW_HEIGHT_CM = 0.9
HEADER_PT = 9.5
MIN_HEADER_PT = 7.5
LABEL_PT = 10.0
CELL_PADDING_CM = 0.6  # Table Grid's 0.19 cm left + right cell margins, plus slack
MIN_VALUE_CM = 4.0  # room to write a value beside a label (a room number and name, a date, a signature)


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


def field_rows(labels: list[str], text_width_cm: float) -> tuple[int, list[float]]:
    """Label/value pairs per line and the widths of one line's cells for `labels`.

    Every label cell is as wide as the widest label needs; each value cell gets the rest of its
    pair's share, at least MIN_VALUE_CM (fewer pairs per line when needed).
    """
    label_cm = max(needed_cm(label, LABEL_PT) for label in labels)
    per_line = max(1, min(len(labels), int(text_width_cm // (label_cm + MIN_VALUE_CM))))
    label_cm = min(label_cm, text_width_cm / per_line * 0.5)
    pair = text_width_cm / per_line
    widths = [round(width, 2) for _ in range(per_line) for width in (label_cm, pair - label_cm)]
    widths[-1] = round(text_width_cm - sum(widths[:-1]), 2)
    return per_line, widths


def _labelled_line(subdoc, labels: list[str], text_width_cm: float) -> None:
    per_line, widths = field_rows(labels, text_width_cm)
    lines = math.ceil(len(labels) / per_line)
    table = subdoc.add_table(rows=lines, cols=per_line * 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_column_widths(table, widths)
    for index, label in enumerate(labels):
        cell = table.cell(index // per_line, (index % per_line) * 2)
        run = cell.paragraphs[0].add_run(label)
        run.bold = True
        run.font.size = Pt(LABEL_PT)
    left = len(labels) % per_line
    if left:  # the last line's last value cell takes the room of the pairs it lacks
        table.cell(lines - 1, left * 2 - 1).merge(table.cell(lines - 1, per_line * 2 - 1))
        set_column_widths(table, widths)
    for row in table.rows:
        row.height = Cm(ROW_HEIGHT_CM)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for cell in row.cells:
            _centred(cell)
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


def is_wide(columns: list[str], portrait_width_cm: float) -> bool:
    """True when a form's grid needs a landscape page: over 10 columns, or headers that do not fit at 7.5 pt."""
    return len(columns) > LANDSCAPE_ABOVE_COLUMNS or sum(needed_cm(c, MIN_HEADER_PT) for c in columns) > portrait_width_cm


def text_width_cm(subdoc, landscape: bool) -> float:
    """Text width of the template's page, portrait or turned to landscape."""
    section = subdoc.docx.sections[-1]
    page = max(section.page_width, section.page_height) if landscape else min(section.page_width, section.page_height)
    return round((page - section.left_margin - section.right_margin) / Cm(1), 2)


def fill_form(subdoc, header_fields: list[str], columns: list[str], rows: int, footer_fields: list[str],
              landscape: bool = False) -> None:
    """Append the form layout to a docxtpl subdoc, across a landscape body when `landscape`.

    The landscape section itself is made by the caller (it also holds the title and the note).
    """
    text_width = text_width_cm(subdoc, landscape)
    if header_fields:
        _labelled_line(subdoc, header_fields, text_width)
        subdoc.add_paragraph()
    _grid(subdoc, columns, rows, text_width)
    if footer_fields:
        subdoc.add_paragraph()
        _labelled_line(subdoc, footer_fields, text_width)
