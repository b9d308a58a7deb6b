"""End-to-end: the example dossier builds into controlled .docx and PDF files."""

from __future__ import annotations

import json
import re
import subprocess
from hashlib import sha256
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from lxml import etree
from pypdf import PdfReader

from tests.conftest import REBUILT, pdf_text

pytestmark = pytest.mark.libreoffice

DOCUMENTS = ["QM-01", "QP-04", "QP-05", "QP-12", "QR-12-01", "VP-12-01", "WI-12-01"]
TITLES = {
    "QM-01": "质量手册",
    "QP-04": "文件控制程序",
    "QP-05": "记录控制程序",
    "QR-12-01": "洁净区清洁消毒记录",
    "VP-12-01": "环氧乙烷灭菌过程再确认方案",
}


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_every_document_has_docx_and_pdf(example_build: Path, doc_id: str) -> None:
    assert (example_build / "build" / f"{doc_id}.docx").stat().st_size > 5000
    assert len(PdfReader(example_build / "build" / f"{doc_id}.pdf").pages) >= 1


@pytest.mark.parametrize("doc_id", DOCUMENTS)
def test_pdf_shows_title_number_revision_and_page_x_of_y_on_every_page(example_build: Path, doc_id: str) -> None:
    pdf = example_build / "build" / f"{doc_id}.pdf"
    pages = len(PdfReader(pdf).pages)
    for page in range(1, pages + 1):
        text = _flat(pdf_text(pdf, page, page))
        assert f"第{page}页共{pages}页" in text
        assert doc_id in text
        assert "示例医疗科技有限公司" in text
        assert "版本A" in text
    if doc_id in TITLES:
        assert TITLES[doc_id] in _flat(pdf_text(pdf, 1, 1))


def test_manifest_lists_every_output_with_its_hash(example_build: Path) -> None:
    manifest = json.loads((example_build / "build" / "manifest.json").read_text(encoding="utf-8"))
    listed = {o["path"]: o["sha256"] for d in manifest["documents"] for o in d["outputs"]}
    for doc_id in DOCUMENTS:
        for suffix in ("docx", "pdf"):
            path = f"build/{doc_id}.{suffix}"
            assert listed[path] == sha256((example_build / path).read_bytes()).hexdigest()


def test_cjk_fonts_are_embedded(example_build: Path) -> None:
    fonts = subprocess.run(["pdffonts", str(example_build / "build" / "QP-04.pdf")], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    cjk = [r for r in rows if "CJK" in r]
    assert any("NotoSerifCJK" in r for r in cjk) and any("NotoSansCJK" in r for r in cjk), fonts
    for row in rows:
        assert re.search(r"\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$", row) or " yes " in row, row


def test_approval_block_and_revision_history_in_docx(example_build: Path) -> None:
    document = Document(str(example_build / "build" / "QP-04.docx"))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    for label in ("编制", "审核", "批准", "修订内容"):
        assert label in cells
    assert "首次发布" in " ".join(cells)


def test_header_carries_number_revision_effective_date(example_build: Path) -> None:
    document = Document(str(example_build / "build" / "QP-05.docx"))
    header = " ".join(c.text for t in document.sections[0].header.tables for row in t.rows for c in row.cells)
    assert "QP-05" in header and "记录控制程序" in header and "生效日期" in header and "2026-12" in header


def test_east_asian_fonts_named_on_styles(example_build: Path) -> None:
    document = Document(str(example_build / "build" / "QP-04.docx"))
    defaults = etree.tostring(document.styles.element.find(qn("w:docDefaults")), encoding="unicode")
    assert 'w:eastAsia="宋体"' in defaults and 'w:ascii="Times New Roman"' in defaults
    heading = document.styles["Heading 1"].element.xml
    assert 'w:eastAsia="黑体"' in heading
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_quality_manual_toc_has_real_page_numbers(example_build: Path) -> None:
    pdf = example_build / "build" / "QM-01.pdf"
    reader = PdfReader(pdf)
    toc_page = next(i for i, p in enumerate(reader.pages, 1) if "目" in p.extract_text() and "录" in p.extract_text() and "......" not in "")
    text = pdf_text(pdf)
    entries = re.findall(r"^\s*(\d+(?:\.\d+)*)\s+(\S[^\n]*?)\s*\.{3,}\s*(\d+)\s*$", text, re.M)
    assert len(entries) >= 8, text[:3000]
    for number, title, page in entries:
        assert int(page) > toc_page
        assert _flat(f"{number}{title}") in _flat(pdf_text(pdf, int(page), int(page)))
    document = Document(str(example_build / "build" / "QM-01.docx"))
    xml = document.element.body.xml
    assert "TOC \\o" in xml and "TOC1" in xml


def test_record_form_has_blank_rows(example_build: Path) -> None:
    document = Document(str(example_build / "build" / "QR-12-01.docx"))
    grid = max(document.tables, key=lambda t: len(t.rows))
    assert len(grid.rows) >= 11
    assert all(not c.text.strip() for c in grid.rows[-1].cells)
    assert 'w:tblHeader' in grid.rows[0]._tr.xml


def test_validation_protocol_shows_every_art76_element(example_build: Path) -> None:
    text = _flat(pdf_text(example_build / "build" / "VP-12-01.pdf"))
    for label in ("验证或者确认对象", "部门和人员职责", "实施环境", "方法", "取样要求", "接收准则"):
        assert label in text


def test_citation_renders_title_number_and_revision(example_build: Path) -> None:
    text = _flat(pdf_text(example_build / "build" / "QP-04.pdf"))
    assert "《记录控制程序》QP-05A版" in text


def test_rebuild_is_byte_identical(example_build: Path, example_rebuild: Path) -> None:
    for doc_id in REBUILT:
        for suffix in ("docx", "pdf"):
            first = (example_build / "build" / f"{doc_id}.{suffix}").read_bytes()
            second = (example_rebuild / "build" / f"{doc_id}.{suffix}").read_bytes()
            assert first == second, f"{doc_id}.{suffix} differs between two builds"


def test_page_one_renders_chinese_glyphs(example_build: Path, tmp_path: Path) -> None:
    """Rendered page 1 must have ink where the title is (boxes would be thin outlines only)."""
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-gray", str(example_build / "build" / "QP-04.pdf"), str(tmp_path / "p")], check=True)
    image = next(tmp_path.glob("p*.pgm")).read_bytes()
    header_end = image.index(b"255\n") + 4
    pixels = image[header_end:]
    dark = sum(1 for b in pixels if b < 128)
    assert dark > 500
