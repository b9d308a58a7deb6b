"""Markdown tables as Word tables: column widths from the content, the table written as one XML string.

A table whose columns cannot each get a useful width on a portrait page (its header on one line,
its longest word, about three Chinese characters) is wide: the renderer sets it in a landscape
section of its own (`dossier.word.sections`).
"""

from __future__ import annotations

import re
from html import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from markdown_it.tree import SyntaxTreeNode

from dossier.markdown import display_width, plain
from dossier.word.body.blocks import last_blocks
from dossier.word.body.pictures import caption_label
from dossier.word.body.runs import Format, set_style
from dossier.word.rows import release_tall_rows_of
from dossier.word.sections import section_break

CELL_MARGINS = 2 * 108  # twips, Word's default left + right cell margin
CHAR_TWIPS = 140  # a half-width character (Latin capitals included) of text up to 12 pt, for sizing table columns
MIN_UNITS = 6  # the least half-width cells a column with longer text should get (three Chinese characters)
HEADER_UNITS = 12  # a header longer than this may wrap
TABLE_CAPTION = "表"
_CAPTION = re.compile(r"(?:Table)?:[ \t]+")  # pandoc's table caption marker
_TOKEN = re.compile(r"[\x21-\x7e]+")  # a run of printable ASCII: a word or number that does not break


def _cell_text(cell: SyntaxTreeNode) -> str:
    return plain(cell.children[0].children) if cell.children else ""


def minimum_width(rows: list[tuple[SyntaxTreeNode, bool]], columns: int) -> int:
    """Twips the table needs so that no column sets its text a character or two per line."""
    units = [2] * columns
    for row, header in rows:
        for index, cell in enumerate(row.children):
            text = _cell_text(cell)
            words = max((len(token) for token in _TOKEN.findall(text)), default=0)
            wanted = min(display_width(text), HEADER_UNITS if header else MIN_UNITS)
            units[index] = max(units[index], wanted, words)
    return sum(CELL_MARGINS + CHAR_TWIPS * unit for unit in units)


def column_widths(rows: list[SyntaxTreeNode], columns: int, total: int) -> list[int]:
    """Twips per column summing to `total`.

    Each column wants the width of its longest cell on one line. If all fit, the spare width is
    shared in proportion; otherwise columns that fit in an even share keep their width and the
    others split what is left in proportion to what they want.
    """
    wanted = [CELL_MARGINS + 2 * CHAR_TWIPS] * columns
    for row in rows:
        for index, cell in enumerate(row.children):
            text = _cell_text(cell)
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
    """An empty bordered table, fixed layout, full width and centred (its borders on the text
    margins, whatever the compatibility mode), one paragraph per cell.

    `rows` holds each row's cell alignments (a Markdown cell style) and whether it is a header
    row. Every row is marked to stay on one page (cantSplit; the renderer releases the rows not
    known to fit, `dossier.word.rows`); header rows repeat on every page (tblHeader).
    Written as one string because building it through python-docx cost half of a render.
    """
    style = f'<w:tblStyle w:val="{escape(style_id, quote=True)}"/>' if style_id is not None else ""
    parts = [f"<w:tbl {nsdecls('w')}><w:tblPr>{style}<w:tblW w:type=\"dxa\" w:w=\"{sum(widths)}\"/><w:jc w:val=\"center\"/>",
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


def _caption_text(node: SyntaxTreeNode) -> str | None:
    """The caption a paragraph gives a table (pandoc's `Table: 标题` or `: 标题`), or None."""
    if node.type != "paragraph" or not node.children or not node.children[0].children:
        return None
    first = node.children[0].children[0]
    if first.type != "text":
        return None
    match = _CAPTION.match(first.content)
    return first.content[match.end():] if match else None


class TableWriter:
    """The renderer's tables: captioned (表N), sized by their content, landscape when too wide.

    A mixin of `Renderer` (it uses the renderer's target, page, styles and inline writer).
    """

    def table_captions(self, nodes: list[SyntaxTreeNode]) -> dict[SyntaxTreeNode, SyntaxTreeNode]:
        """{table: its caption paragraph} for caption paragraphs right after (or else right before) a table."""
        found: dict[SyntaxTreeNode, SyntaxTreeNode] = {}
        for index, node in enumerate(nodes):
            if node.type != "table":
                continue
            for neighbour in (index + 1, index - 1):
                if 0 <= neighbour < len(nodes) and nodes[neighbour] not in found.values() \
                        and _caption_text(nodes[neighbour]) is not None:
                    found[node] = nodes[neighbour]
                    break
        return found

    def table(self, node: SyntaxTreeNode, caption: SyntaxTreeNode | None) -> None:
        """A full-width bordered table, its caption above it; a landscape section of its own when too wide.

        The header row is bold and repeats on every page; rows known to fit stay on one page.
        """
        rows = [(row, section.type == "thead") for section in node.children for row in section.children]
        columns = max(len(row.children) for row, _ in rows)
        blocks = last_blocks(self.target.element.body, 1)
        landscape = not self.in_landscape and minimum_width(rows, columns) > Emu(self.page.body_width).twips
        if landscape:
            portrait = self.page
            section_break(self.target, landscape=False)
            self.page = portrait.turned(True)
        elif blocks and blocks[0].tag == qn("w:tbl") and caption is None:
            self.target.add_paragraph()  # Word joins adjacent tables into one
        if caption is not None:
            self._table_caption(caption)
        self._grid(rows, columns)
        if landscape:
            section_break(self.target, landscape=True)
            self.page = portrait

    def _table_caption(self, caption: SyntaxTreeNode) -> None:
        inline = caption.children[0]
        inline.children[0].token.content = _caption_text(caption)  # the caption without its `Table:` marker
        self.tables += 1
        paragraph = self.target.add_paragraph()
        set_style(paragraph, self._style_id("Caption"))
        paragraph.paragraph_format.keep_with_next = True
        caption_label(paragraph, TABLE_CAPTION, self.tables)
        self.inline(inline, paragraph, self.target.add_paragraph, self.text_width)

    def _grid(self, rows: list[tuple[SyntaxTreeNode, bool]], columns: int) -> None:
        total = Emu(self.text_width).twips
        widths = column_widths([row for row, _ in rows], columns, total)
        alignments = [([cell.attrs.get("style", "") for cell in row.children], header) for row, header in rows]
        body = self.target._body
        tbl = parse_xml(table_xml(self._table_style_id, widths, alignments))
        body._element._insert_tbl(tbl)
        table = Table(tbl, body)
        for (row, header), tr in zip(rows, tbl.tr_lst):
            for column, (cell_node, tc) in enumerate(zip(row.children, tr.tc_lst)):
                if cell_node.children:
                    cell = _Cell(tc, table)
                    self.inline(cell_node.children[0], Paragraph(tc.p_lst[0], cell), cell.add_paragraph,
                                Twips(widths[column] - CELL_MARGINS), Format(bold=header),
                                max_height=self.cell_picture_height())
        release_tall_rows_of(tbl, self.page.body_height)
