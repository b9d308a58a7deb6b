"""Table rows kept on one page only where they are known to fit on one.

A row marked "can't split" (`w:cantSplit`) that is taller than a page is not broken by
LibreOffice: its end runs past the body into the footer and off the page, and the text there is
lost from the PDF. So a row is kept whole only when its estimated height — the lines its
longest cell needs at its column width, plus pictures — stays well within a page's body area
(`FIT_SHARE`); any other row may split across pages. The estimate errs high (CJK width for
every character, generous line height), so a row kept whole always fits.

`row_fits` serves the writers that know a row's text when they make it (Markdown tables);
`release_tall_rows` applies the rule to every row of a finished document, so rows filled in by
a template (the revision history's `{%tr for %}` row), registers and forms follow it too.
"""

from __future__ import annotations

import math

from docx.oxml.ns import qn
from docx.shared import Emu, Pt, Twips

from dossier.markdown import display_width
from dossier.word.sections import page_of

FIT_SHARE = 0.6  # a row kept whole is at most this share of a page's body height
DEFAULT_CELL_MARGINS = Twips(2 * 108)
DEFAULT_PT = 11.0
LINE_FACTOR = 1.5  # line height / font size (1.3 line spacing, leading)
PARAGRAPH_GAP = Pt(4)
_P, _R, _T, _TC, _TR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:tc"), qn("w:tr")
_SIZE, _SPAN, _VAL = f"{qn('w:rPr')}/{qn('w:sz')}", f"{qn('w:tcPr')}/{qn('w:gridSpan')}", qn("w:val")
_CANT_SPLIT, _GRID_COLS = f"{qn('w:trPr')}/{qn('w:cantSplit')}", f"{qn('w:tblGrid')}/{qn('w:gridCol')}"
_EXTENT = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"


def text_height(texts: list[tuple[str, float]], width: int) -> int:
    """Estimated height (EMU) of paragraphs [(text, font size pt)] set in a column `width` EMU wide."""
    height = 0
    for text, size in texts:
        em = Pt(size)
        per_line = max(1, int(width / (em / 2)))  # half-width cells per line
        lines = sum(max(1, math.ceil(display_width(piece) / per_line)) for piece in text.split("\n"))
        height += int(lines * em * LINE_FACTOR) + PARAGRAPH_GAP
    return height


def row_fits(cells: list[tuple[list[tuple[str, float]], int, int]], body_height: int) -> bool:
    """True when a row is known to fit on one page: cells [(paragraphs, column width, picture height)]."""
    tallest = max((text_height(texts, width) + pictures for texts, width, pictures in cells), default=0)
    return tallest <= body_height * FIT_SHARE


def _size(run, default: float) -> float:
    size = run.find(_SIZE)
    value = size.get(_VAL) if size is not None else None
    return int(value) / 2 if value and value.isdigit() else default


def _cell_content(tc, width: int) -> tuple[list[tuple[str, float]], int, int]:
    texts, pictures = [], 0
    for p in tc.iter(_P):
        size = max((_size(run, DEFAULT_PT) for run in p.iter(_R)), default=DEFAULT_PT)
        texts.append(("".join(t.text or "" for t in p.iter(_T)), size))
        for extent in p.iter(_EXTENT):
            pictures += int(extent.get("cy", "0"))
    return texts, max(width, 1), pictures


def _row_cells(tr, grid: list[int], margins: int) -> list[tuple[list[tuple[str, float]], int, int]]:
    cells, column = [], 0
    for tc in tr.findall(_TC):
        span_node = tc.find(_SPAN)
        span = int(span_node.get(_VAL)) if span_node is not None else 1
        width = Twips(sum(grid[column:column + span])) - margins if grid else Emu(Pt(200))
        cells.append(_cell_content(tc, width))
        column += span
    return cells


def release_tall_rows_of(tbl, body_height: int) -> int:
    """Drop `w:cantSplit` from the rows of one table not known to fit in `body_height`; how many."""
    grid = [int(col.get(qn("w:w"), "0")) for col in tbl.findall(_GRID_COLS)]
    released = 0
    for tr in tbl.findall(_TR):
        cant = tr.find(_CANT_SPLIT)
        if cant is None or cant.get(_VAL) in ("0", "false", "off"):
            continue
        if not row_fits(_row_cells(tr, grid, DEFAULT_CELL_MARGINS), body_height):
            cant.getparent().remove(cant)
            released += 1
    return released


def release_tall_rows(document) -> int:
    """Drop `w:cantSplit` from every row of `document` not known to fit on a page; how many were released.

    The smallest body area of the document's sections is the page a row must fit on.
    """
    body = document.element.body
    height = min((page_of(document, sect).body_height for sect in body.iter(qn("w:sectPr"))),
                 default=page_of(document).body_height)
    return sum(release_tall_rows_of(tbl, height) for tbl in body.iter(qn("w:tbl")))
