"""Builds the default docxtpl templates in `dossier/word/templates/` (run `python -m dossier.word.templatekit`).

Each template is an ordinary Word file with Jinja tags: header and footer carry company,
title, number, revision, effective date, page X of Y and the control mark; the body holds
the approval block (编制/审核/批准), the revision history (修订记录) and `{{p body }}`.
Users may edit the generated files in Word or replace them per workspace (`templates/`).

Tables use a fixed layout with explicit `w:tblGrid` column widths (LibreOffice ignores cell
widths alone). The page header's 文件名称 cell is set in 9 pt in a row two lines high: about
22 CJK characters fit on a line, 44 on the two. A longer title is never cut: the row grows
(and the body starts lower on every page), and `check` warns with the limit
(`dossier.word.headerfit`).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from lxml import etree

from dossier.util.atomic import write_bytes
from dossier.word.blocks import a4_page, bordered, cell_text, house_styles, keep_rows_whole, page_break, page_of_pages, repeat_header_row
from dossier.word.document import docx_bytes
from dossier.word.templates import PACKAGE_TEMPLATES
from dossier.workspace.kinds import KINDS

DEFAULT_DIR = PACKAGE_TEMPLATES
TEXT_WIDTH_CM = 16.5  # A4 portrait, 2.5 cm + 2.0 cm side margins
HEADER_WIDTHS = [2.2, 7.6, 2.2, 4.5]  # 文件名称 | title | 文件编号 | number
HEADER_TITLE_PT = 9.0
HEADER_TITLE_ROW_CM = 1.0  # two lines of 9 pt CJK text (grows for a longer title)
HISTORY_WIDTHS = [1.2, 2.4, 5.4, 4.3, 1.6, 1.6]  # 版本 生效日期 修订内容 修订原因 编制 批准


def _header(doc: DocxDocument) -> None:
    header = doc.sections[0].header
    table = header.add_table(3, 4, Cm(TEXT_WIDTH_CM))
    company = table.cell(0, 0).merge(table.cell(0, 3))
    bordered(table, HEADER_WIDTHS)
    cell_text(company, "{{ company.name }}", bold=True, size=12)
    labels = [("文件名称", "{{ doc.title }}", "文件编号", "{{ doc.number }}"),
              ("版本", "{{ doc.revision }}", "生效日期", "{{ doc.effective }}")]
    for row, values in enumerate(labels, start=1):
        for col, text in enumerate(values):
            title = (row, col) == (1, 1)
            paragraph = cell_text(table.cell(row, col), text, bold=col % 2 == 0, size=HEADER_TITLE_PT if title else 9.5)
            paragraph.paragraph_format.line_spacing = 1.0
    for index, row in enumerate(table.rows):
        row.height = Cm(HEADER_TITLE_ROW_CM if index == 1 else 0.6)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
    leading = header.paragraphs[0]  # python-docx's empty paragraph, above the table: a wasted line on every page
    leading._p.getparent().remove(leading._p)


WATERMARK_VML = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"><w:pict>'
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" path="m@7,l@8,m@5,21600l@6,21600e">'
    '<v:formulas><v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/><v:f eqn="sum 0 0 @2"/>'
    '<v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/><v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/>'
    '<v:f eqn="if @0 @4 21600"/><v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
    '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/></v:formulas>'
    '<v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/><o:lock v:ext="edit" text="t" shapetype="t"/></v:shapetype>'
    '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
    'style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:315;z-index:-251654144;'
    'mso-position-horizontal:center;mso-position-horizontal-relative:margin;mso-position-vertical:center;'
    'mso-position-vertical-relative:margin" o:allowincell="f" fillcolor="#d0d0d0" stroked="f"><v:fill opacity=".5"/>'
    '<v:textpath style="font-family:&quot;{{ fonts.heading }}&quot;;font-size:1pt" string="{{ doc.watermark }}"/>'
    '</v:shape></w:pict></w:r>'
)


def _watermark(doc: DocxDocument) -> None:
    """A Word-style diagonal watermark (草稿/作废) on every page, only when doc.watermark is set.

    Its paragraph (the header's last block, which Word requires to be a paragraph) is 6 pt high,
    a gap above the body: the watermark is positioned on the page, not in the line.
    """
    paragraph = doc.sections[0].header.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(6)
    paragraph.add_run("{%r if doc.watermark %}")
    paragraph._p.append(etree.fromstring(WATERMARK_VML))
    paragraph.add_run("{%r endif %}")


def _footer(doc: DocxDocument) -> None:
    footer = doc.sections[0].footer
    page_of_pages(footer.paragraphs[0])
    mark = footer.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = mark.add_run("{{ doc.control_mark }}")
    run.bold = True


def _approval_block(doc: DocxDocument) -> None:
    table = doc.add_table(3, 4)
    bordered(table, [3.0, 4.5, 4.5, 4.5])
    heads = ("", "编制", "审核", "批准")
    for col, text in enumerate(heads):
        cell_text(table.cell(0, col), text, bold=True)
    cell_text(table.cell(1, 0), "签名", bold=True)
    cell_text(table.cell(2, 0), "日期", bold=True)
    for col, who in enumerate(("prepared", "reviewed", "approved"), start=1):
        cell_text(table.cell(1, col), "{{ %s.name }}" % who)
        cell_text(table.cell(2, col), "{{ %s.date }}" % who)
    for row in table.rows:
        row.height = Cm(0.9)


def _history(doc: DocxDocument) -> None:
    doc.add_paragraph("修订记录", style="Block Label")
    table = doc.add_table(3, 6)
    bordered(table, HISTORY_WIDTHS)
    for col, text in enumerate(("版本", "生效日期", "修订内容", "修订原因", "编制", "批准")):
        cell_text(table.cell(0, col), text, bold=True)
    repeat_header_row(table)
    cell_text(table.cell(1, 0), "{%tr for h in history %}")
    for col, key in enumerate(("revision", "effective", "change", "reason", "prepared", "approved")):
        cell_text(table.cell(2, col), "{{ h.%s }}" % key, center=key not in ("change", "reason"), size=10)
    # the row holding `{%tr endfor %}` must be its own row after the repeated one
    end = table.add_row()
    cell_text(end.cells[0], "{%tr endfor %}")
    keep_rows_whole(table)


def _title_block(doc: DocxDocument) -> None:
    doc.add_paragraph("{{ doc.title }}", style="Title")
    meta = doc.add_paragraph("{{ doc.kind_label }}　文件编号：{{ doc.number }}　版本：{{ doc.revision }}　归口部门：{{ doc.department }}")
    meta.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _body_placeholder(doc: DocxDocument, name: str = "body") -> None:
    doc.add_paragraph("{{p %s }}" % name)


def _cover(doc: DocxDocument) -> None:
    for _ in range(5):
        doc.add_paragraph()
    company = doc.add_paragraph("{{ company.name }}", style="Title")
    company.paragraph_format.space_after = Pt(30)
    big = doc.add_paragraph("{{ doc.title }}", style="Title")
    big.runs[0].font.size = Pt(30)
    for _ in range(4):
        doc.add_paragraph()
    table = doc.add_table(5, 2)
    bordered(table, [4.0, 7.0])
    rows = [("文件编号", "{{ doc.number }}"), ("版本", "{{ doc.revision }}"), ("生效日期", "{{ doc.effective }}"),
            ("受控状态", "{{ doc.control_mark }}"), ("发放编号", "")]
    for index, (label, value) in enumerate(rows):
        cell_text(table.cell(index, 0), label, bold=True)
        cell_text(table.cell(index, 1), value)
        table.rows[index].height = Cm(0.9)
    page_break(doc)


def build_template(kind: str) -> DocxDocument:
    """The default template for one document kind, by its layout (see dossier.workspace.kinds)."""
    layout = KINDS[kind].layout
    doc = Document()
    a4_page(doc)
    house_styles(doc)
    _header(doc)
    _watermark(doc)
    _footer(doc)
    # python-docx's default body starts with no paragraph; keep the first block the title
    if layout == "manual":
        _cover(doc)
        doc.add_paragraph("审批", style="Block Label")
        _approval_block(doc)
        _history(doc)
        page_break(doc)
        doc.add_paragraph("目　录", style="Title")
        _body_placeholder(doc, "toc")
        page_break(doc)
        _body_placeholder(doc)
        return doc
    _title_block(doc)
    if layout == "form":
        _body_placeholder(doc, "form")
        _body_placeholder(doc)
        page_break(doc)
        doc.add_paragraph("表单审批", style="Block Label")
        _approval_block(doc)
        _history(doc)
        return doc
    _approval_block(doc)
    _history(doc)
    page_break(doc)
    _body_placeholder(doc)
    return doc


def write_templates(directory: Path = DEFAULT_DIR) -> list[Path]:
    """(Re)generate every default template into `directory`, byte-reproducibly."""
    written = []
    for kind in KINDS:
        path = directory / f"{kind}.docx"
        write_bytes(path, docx_bytes(build_template(kind), lean=False))
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_templates(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_DIR):
        print(written_path)
