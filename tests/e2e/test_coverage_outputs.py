"""What `dossier coverage` and `dossier register` write: the GMP条款对照表 and the 外来文件清单 as .docx, PDF and .csv."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from dossier.coverage.catalogue import load_rules
from tests.conftest import copy_workspace, pdf_text, run_cli


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("coverage-outputs"))
    coverage = run_cli("coverage", str(root))
    assert coverage.exit_code == 0, coverage.output
    register = run_cli("register", str(root))
    assert register.exit_code == 0, register.output
    return root


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


def test_the_matrix_pdf_shows_page_x_of_y_and_every_article(written: Path) -> None:
    pdf = written / "build" / "coverage" / "device-gmp-2025.pdf"
    pages = len(PdfReader(pdf).pages)
    assert pages > 10
    text = ""
    for page in range(1, pages + 1):
        page_text = re.sub(r"\s+", "", pdf_text(pdf, page, page))
        assert f"第{page}页共{pages}页" in page_text
        text += page_text
    assert text.startswith("示例医疗科技有限公司GMP条款对照表（《规范》）")
    for article in load_rules().articles.values():
        assert article.label in text, article.label
    assert "审核记录" in text  # a column left for the internal auditor (Art. 128)


def test_the_matrix_csv_and_docx_hold_one_row_per_article(written: Path) -> None:
    rows = _rows(written / "build" / "coverage" / "device-gmp-2025.csv")
    assert rows[0][:5] == ["article", "条款", "章", "状态", "status"]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, 133)]
    by_article = {row[0]: row for row in rows[1:]}
    assert by_article["43"][4] == "covered" and by_article["43"][6].startswith("QP-04 文件控制程序（A版，草稿）")
    assert by_article["120"][4] == "not_applicable" and by_article["120"][7] == "一次性使用无菌注射器和注射针无需安装"
    document = Document(str(written / "build" / "coverage" / "device-gmp-2025.docx"))
    assert [p.text for p in document.paragraphs[:2]] == ["示例医疗科技有限公司", "GMP条款对照表（《规范》）"]
    assert len(document.tables[0].rows) == 133
    assert document.sections[0].page_width > document.sections[0].page_height  # landscape


def test_the_external_register_lists_each_document_and_who_cites_it(written: Path) -> None:
    assert sorted(p.name for p in (written / "build" / "register").iterdir()) == sorted(
        f"{name}.{suffix}" for name in ("master-list", "distribution", "destruction", "external") for suffix in ("csv", "docx", "pdf"))
    rows = _rows(written / "build" / "register" / "external.csv")
    assert rows[0] == ["序号", "文件编号", "文件名称", "类别", "发布部门", "年份/版本", "实施日期", "状态", "引用文件"]
    by_number = {row[1]: row for row in rows[1:]}
    assert len(by_number) == 19
    assert by_number["GB/T 42061-2022"][8] == "QM-01"
    assert by_number["原国家食品药品监督管理总局公告2014年第64号"][7] == "已被替代（由 公告2025年第107号 替代）"
    assert "QP-04" in by_number["国家药监局公告2025年第107号"][8].split("、")
    text = re.sub(r"\s+", "", pdf_text(written / "build" / "register" / "external.pdf"))
    assert "外来文件清单" in text and "医疗器械生产质量管理规范" in text and "第1页共" in text
