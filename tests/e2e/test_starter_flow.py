"""The device-gmp-2025 starter as a user gets it: init for a company, check, build, coverage; its PDFs read as procedures."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import pdf_text, run_cli

COMPANY = "某某医疗器械有限公司"
# a sample of procedures: each must show these sections (numbered headings in the PDF)
SAMPLE = ["QP-06", "QP-13", "QP-16", "QP-19", "QP-22", "QP-26"]
SECTIONS = ["目的", "适用范围", "职责", "工作程序", "记录", "相关文件"]


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("starter") / "starter-ws"
    assert run_cli("init", str(root), "--starter", "device-gmp-2025", "--company", COMPANY).exit_code == 0
    return root


def test_init_check_build_coverage_all_succeed(starter: Path) -> None:
    check = run_cli("check", str(starter))
    assert check.exit_code == 0, check.output  # every [[ID]] resolves: check reports any that does not
    # .docx only: the PDFs of these same 115 documents come from example_build (the example is this starter),
    # and converting them all a second time would add about two minutes of LibreOffice to the suite
    build = run_cli("build", str(starter), "--format", "docx")
    assert build.exit_code == 0, build.output
    built = sorted(p.stem for p in (starter / "build").glob("*.docx"))
    assert len(built) >= 40 and len(built) == len(list((starter / "content").glob("*.yaml")))
    coverage = run_cli("coverage", str(starter))
    assert coverage.exit_code == 0, coverage.output
    for path in sorted((starter / "build").glob("*.docx")):
        header = " ".join(c.text for t in Document(str(path)).sections[0].header.tables for row in t.rows for c in row.cells)
        assert COMPANY in header, path.name
    assert sorted(p.name for p in (starter / "build" / "coverage").iterdir()) == \
        ["device-gmp-2025.csv", "device-gmp-2025.docx", "device-gmp-2025.pdf"]


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("doc_id", SAMPLE)
def test_built_procedures_show_their_sections_and_the_forms_they_cite_exist(example_build: Path, doc_id: str) -> None:
    """The example is this starter built: its PDFs have the numbered sections, and every form a 记录 section cites exists."""
    layout = pdf_text(example_build / "build" / f"{doc_id}.pdf")
    headings = {match.group(2): int(match.group(1)) for match in re.finditer(r"^\s*(\d+)\s+(\S+)\s*$", layout, re.M)}
    assert all(section in headings for section in SECTIONS), [section for section in SECTIONS if section not in headings]
    numbers = [headings[section] for section in SECTIONS]
    assert numbers == sorted(numbers) and numbers[0] == 1, numbers
    text = _flat(layout)
    records = text[text.index(f"{headings['记录']}记录"):text.index(f"{headings['相关文件']}相关文件")]
    forms = re.findall(r"》(QR-\d{2}-\d{2})A版", records)
    assert forms, records
    for form in forms:
        assert form in _flat(pdf_text(example_build / "build" / f"{form}.pdf", 1, 1))
