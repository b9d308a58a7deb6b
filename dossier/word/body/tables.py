"""Markdown tables as Word tables: column widths from the content, the table written as one XML string."""

from __future__ import annotations

from html import escape

from docx.oxml.ns import nsdecls
from markdown_it.tree import SyntaxTreeNode

from dossier.markdown import display_width, plain

CELL_MARGINS = 2 * 108  # twips, Word's default left + right cell margin
CHAR_TWIPS = 140  # a half-width character (Latin capitals included) of text up to 12 pt, for sizing table columns


def column_widths(rows: list[SyntaxTreeNode], columns: int, total: int) -> list[int]:
    """Twips per column summing to `total`.

    Each column wants the width of its longest cell on one line. If all fit, the spare width is
    shared in proportion; otherwise columns that fit in an even share keep their width and the
    others split what is left in proportion to what they want.
    """
    wanted = [CELL_MARGINS + 2 * CHAR_TWIPS] * columns
    for row in rows:
        for index, cell in enumerate(row.children):
            text = plain(cell.children[0].children) if cell.children else ""
            wanted[index] = max(wanted[index], CELL_MARGINS + CHAR_TWIPS * display_width(text))
    shares = {index: float(want) for index, want in enumerate(wanted)}
    room = total
    if sum(wanted) > total:
        while shares:
            fitting = [index for index, want in shares.items() if want <= room / len(shares)]
            if not fitting:
                break
            for index in fitting:
                room -= wanted[index]
                del shares[index]
    widths = list(wanted)
    weight = sum(shares.values())
    for index, share in shares.items():
        widths[index] = int(room * share / weight)
    widths[-1] += total - sum(widths)
    return widths

_TABLE_BORDERS = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
                         for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
_TABLE_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
               'w:noVBand="1" w:val="04A0"/>')
_JC = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}

def table_xml(style_id: str | None, widths: list[int], rows: list[tuple[list[str], bool]]) -> str:
    """An empty bordered table, fixed layout, full width, one paragraph per cell.

    `rows` holds each row's cell alignments (a Markdown cell style) and whether it is a header
    row. Every row stays on one page (cantSplit); header rows repeat on every page (tblHeader).
    Written as one string because building it through python-docx cost half of a render.
    """
    style = f'<w:tblStyle w:val="{escape(style_id, quote=True)}"/>' if style_id is not None else ""
    parts = [f"<w:tbl {nsdecls('w')}><w:tblPr>{style}<w:tblW w:type=\"dxa\" w:w=\"{sum(widths)}\"/>",
             f'<w:tblBorders>{_TABLE_BORDERS}</w:tblBorders><w:tblLayout w:type="fixed"/>{_TABLE_LOOK}</w:tblPr>',
             "<w:tblGrid>", *(f'<w:gridCol w:w="{width}"/>' for width in widths), "</w:tblGrid>"]
    for alignments, header in rows:
        parts.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>")
        for width, alignment in zip(widths, alignments):
            jc = f'<w:jc w:val="{_JC[alignment]}"/>' if alignment in _JC else ""
            parts.append(f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/><w:vAlign w:val="center"/></w:tcPr>'
                         f'<w:p><w:pPr><w:ind w:firstLine="0"/>{jc}</w:pPr></w:p></w:tc>')
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)
