"""Table layout of the generated documents: fixed column grids, vertical centring, rows kept
whole, the header's title cell, record forms sized by their headers (landscape past 10
columns, from the title to the note) and the master list; checked in the .docx and in the PDF
text LibreOffice renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT as VALIGN
from docx.enum.table import WD_ROW_HEIGHT_RULE
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.table import Table

from dossier.control.forms import register_form, register_names
from dossier.word.recordform import column_layout, needed_cm
from dossier.word.templatekit import HEADER_WIDTHS, HISTORY_WIDTHS, TEXT_WIDTH_CM
from tests.conftest import copy_workspace, pdf_text, run_cli

pytestmark = pytest.mark.libreoffice

LONG_CHANGE = "首次发布，依据医疗器械生产质量管理规范建立文件控制程序"
WIDE_COLUMNS = ["序号", "清洁部位", "清洁剂/消毒剂", "浓度", "配制时间", "开始时间", "结束时间", "接触时间", "操作人", "复核人", "备注"]


@pytest.fixture(scope="module")
def layout_build(tmp_path_factory) -> Path:
    """The example with a long QP-04 change text and an 11-column QR-12-01, plus the register."""
    root = copy_workspace(tmp_path_factory.mktemp("layout"))
    qp04 = root / "content/QP-04.yaml"
    qp04.write_text(qp04.read_text(encoding="utf-8").replace("change: 首次发布", f"change: {LONG_CHANGE}"), encoding="utf-8")
    qr = root / "content/QR-12-01.yaml"
    text = qr.read_text(encoding="utf-8")
    columns_line = next(line for line in text.splitlines() if line.strip().startswith("columns:"))
    qr.write_text(text.replace(columns_line, f"  columns: [{', '.join(WIDE_COLUMNS)}]"), encoding="utf-8")
    result = run_cli("build", str(root), "--only", "QP-04", "--only", "QR-12-01")
    assert result.exit_code == 0, result.output
    result = run_cli("register", str(root), "--drafts")
    assert result.exit_code == 0, result.output
    return root


def _grid_cm(table: Table) -> list[float]:
    return [round(int(col.get(qn("w:w"))) / Cm(1).twips, 2) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]


def _assert_fixed(table: Table, widths: list[float]) -> None:
    assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    assert _grid_cm(table) == pytest.approx(widths, abs=0.01)
    for row in table.rows:
        for tc, width in zip(row._tr.tc_lst, widths):
            if tc.grid_span == 1:
                assert tc.tcPr.tcW.type == "dxa" and tc.tcPr.tcW.w == pytest.approx(Cm(width).twips, abs=6)


def _history(document) -> Table:
    return next(t for t in document.tables if t.rows[0].cells[0].text == "版本" and len(t.columns) == 6)


def _form(document) -> Table:
    return max(document.tables, key=lambda t: len(t.rows))


def test_history_columns_give_change_and_reason_most_of_the_width(example_build: Path) -> None:
    table = _history(Document(str(example_build / "build/QP-04.docx")))
    assert [c.text for c in table.rows[0].cells] == ["版本", "生效日期", "修订内容", "修订原因", "编制", "批准"]
    _assert_fixed(table, HISTORY_WIDTHS)
    assert sum(HISTORY_WIDTHS) == pytest.approx(TEXT_WIDTH_CM)
    assert HISTORY_WIDTHS[2] + HISTORY_WIDTHS[3] > 0.55 * TEXT_WIDTH_CM
    for row in table.rows:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None


def test_page_header_title_cell_is_wide_small_and_two_lines_high(example_build: Path) -> None:
    header = Document(str(example_build / "build/QP-05.docx")).sections[0].header.tables[0]
    _assert_fixed(header, HEADER_WIDTHS)
    assert header.rows[0]._tr.tc_lst[0].tcPr.tcW.w == pytest.approx(Cm(TEXT_WIDTH_CM).twips, abs=6)
    title = header.cell(1, 1)
    assert title.text == "记录控制程序" and title.width == max(c.width for c in header.rows[1].cells)
    assert title.paragraphs[0].runs[0].font.size.pt == 9
    assert header.rows[1].height_rule == WD_ROW_HEIGHT_RULE.AT_LEAST  # two lines; grows for a longer title
    assert header.rows[1].height.twips == pytest.approx(Cm(1.0).twips, abs=1)
    for row in header.rows[1:]:
        assert all(cell.vertical_alignment == VALIGN.CENTER for cell in row.cells)


def test_approval_block_cells_are_vertically_centred(example_build: Path) -> None:
    approval = next(t for t in Document(str(example_build / "build/QP-04.docx")).tables if t.rows[0].cells[1].text == "编制")
    _assert_fixed(approval, [3.0, 4.5, 4.5, 4.5])
    assert all(cell.vertical_alignment == VALIGN.CENTER for row in approval.rows for cell in row.cells)


def test_record_form_columns_fit_their_headers(example_build: Path) -> None:
    document = Document(str(example_build / "build/QR-12-01.docx"))
    form = _form(document)
    headers = [c.text for c in form.rows[0].cells]
    widths = _grid_cm(form)
    assert sum(widths) == pytest.approx(TEXT_WIDTH_CM, abs=0.02)
    size = form.rows[0].cells[0].paragraphs[0].runs[0].font.size.pt
    assert size == 9.5
    for header, width in zip(headers, widths):
        assert width >= needed_cm(header, size) - 0.01, header
    assert widths[headers.index("清洁剂/消毒剂")] > widths[headers.index("清洁部位")] > widths[headers.index("序号")]
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in form.rows)
    assert all(cell.vertical_alignment == VALIGN.CENTER for cell in form.rows[0].cells)
    assert document.element.body.findall(f".//{qn('w:pPr')}/{qn('w:sectPr')}") == []  # 9 columns: no section of its own


def test_header_font_shrinks_when_headers_do_not_fit() -> None:
    widths, size = column_layout(["检验项目名称"] * 7, 16.5)
    assert size == 8.0 and sum(widths) == pytest.approx(16.5)
    assert all(w >= needed_cm("检验项目名称", size) - 0.01 for w in widths)


def test_wide_form_gets_its_own_landscape_section(layout_build: Path) -> None:
    document = Document(str(layout_build / "build/QR-12-01.docx"))
    orientations = [(s.orientation, round(s.page_width / Cm(1), 1)) for s in document.sections]
    assert orientations == [(WD_ORIENT.LANDSCAPE, 29.7), (WD_ORIENT.PORTRAIT, 21.0)]  # title to note, then approval
    assert all(s.header.tables for s in document.sections)
    form = _form(document)
    assert [c.text for c in form.rows[0].cells] == WIDE_COLUMNS
    assert sum(_grid_cm(form)) == pytest.approx(25.2, abs=0.02)
    pdf = layout_build / "build/QR-12-01.pdf"
    landscape_pages = pdf_text(pdf, 1, 2)
    assert "序号" in landscape_pages and "清洁剂/消毒剂" in landscape_pages and "接触时间" in landscape_pages
    assert "QA 审核" in landscape_pages or "QA审核" in landscape_pages


def test_long_change_text_is_not_broken_every_few_characters(layout_build: Path) -> None:
    text = pdf_text(layout_build / "build/QP-04.pdf", 1, 1)
    assert "首次发布，依据医疗器械" in text, text  # the old 2.8 cm column broke it every 6 characters


def test_registers_give_the_title_the_width(layout_build: Path) -> None:
    document = Document(str(layout_build / "build/register/master-list.docx"))
    section = document.sections[0]
    text_width = (section.page_width - section.left_margin - section.right_margin) / Cm(1)
    for name in register_names():
        widths = register_form(name).widths
        assert sum(widths) == pytest.approx(text_width, abs=0.01), name
        table = Document(str(layout_build / f"build/register/{name}.docx")).tables[0]
        assert [c.text for c in table.rows[0].cells][2] == "文件名称"
        _assert_fixed(table, widths)
        assert widths[2] == max(widths), name
    # nothing of the example is released: every document is on the drafts list, none on the master list
    assert len(document.tables[0].rows) == 1
    text = pdf_text(layout_build / "build/register/drafts.pdf")
    for phrase in ("草稿版本", "洁净区清洁消毒作业指导书", "环氧乙烷灭菌过程再确认方案"):
        assert phrase in text, phrase
