"""The validation pack's data: every requirement traced to a check, every check implemented,
version rules, and the report naming every requirement with its result."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document

from dossier.qualify.catalogue import catalogue
from dossier.qualify.iq import meets, version_tuple
from dossier.qualify.record import FAILED, NOT_RUN, PASSED, CheckResult
from dossier.qualify.report import Run, report_docx
from dossier.qualify.run import IMPLEMENTATIONS


def test_every_check_has_one_implementation_and_every_requirement_a_check() -> None:
    pack = catalogue()
    assert [c.id for c in pack.checks] == sorted(IMPLEMENTATIONS, key=lambda i: (i[:2] != "IQ", i))
    assert set(IMPLEMENTATIONS) == {c.id for c in pack.checks}
    for requirement in pack.requirements:
        assert pack.checks_of(requirement.id), requirement.id


def test_inconsistent_catalogue_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "requirements.yaml"
    bad.write_text("requirements:\n  - {id: DR-01, text: t, basis: b}\n  - {id: DR-02, text: t, basis: b}\n"
                   "checks:\n  - {id: IQ-01, stage: XQ, title: t, method: m, verifies: [DR-01, DR-09]}\n", encoding="utf-8")
    with pytest.raises(ValueError) as caught:
        catalogue.__wrapped__(bad)
    message = str(caught.value)
    assert "IQ-01 verifies unknown DR-09" in message and "IQ-01: stage must be one of IQ, OQ" in message
    assert "DR-02 is verified by no check" in message


@pytest.mark.parametrize("installed, spec, ok", [
    ("8.1.7", ">=8.1", True), ("8.0.9", ">=8.1", False), ("0.26.post1", ">=0.26", True), ("3.11.7", ">=3.11", True),
    ("3.10.12", ">=3.11", False), ("2.0", ">=1.0,<2", False), ("1.9", ">=1.0, <2", True), ("5.0", "", True),
])
def test_version_rules(installed: str, spec: str, ok: bool) -> None:
    assert meets(installed, spec) is ok
    assert version_tuple("10.2.3rc1") == (10, 2, 3)


def _run(status: dict[str, str]) -> Run:
    pack = catalogue()
    results = {c.id: CheckResult(c.id, status.get(c.id, PASSED), f"{c.id} 的结果", [f"$ dossier check -> exit 0 ({c.id})"])
               for c in pack.checks}
    when = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)
    return Run(pack, results, [("dossier", "0.1.0"), ("LibreOffice", "LibreOffice 7.4.7.2")], when, when, "示例医疗科技有限公司",
               [("evidence/IQ-01.txt", "0" * 64)])


def _text(data: bytes) -> tuple[str, dict[str, list[str]]]:
    doc = Document(io.BytesIO(data))
    paragraphs = "\n".join(p.text for p in doc.paragraphs) + "\n" + doc.sections[0].header.paragraphs[0].text
    rows = {row.cells[0].text: [c.text for c in row.cells] for table in doc.tables for row in table.rows}
    return paragraphs, rows


def test_report_traces_every_requirement() -> None:
    text, rows = _text(report_docx(_run({})))
    for requirement in catalogue().requirements:
        assert rows[requirement.id][-1] == "符合", requirement.id
    assert rows["OQ-08"][2] == "符合" and rows["LibreOffice"] == ["LibreOffice", "LibreOffice 7.4.7.2"]
    assert "示例医疗科技有限公司　软件确认报告" in text and "5 偏差\n无。" in text
    assert "全部 16 项检查符合" in text and rows["签名"] == ["签名", "", "", ""]


def test_report_of_a_failed_installation() -> None:
    failed = {"IQ-04": FAILED, **{c.id: NOT_RUN for c in catalogue().checks if c.stage == "OQ"}}
    text, rows = _text(report_docx(_run(failed)))
    assert rows["DR-02"][-1] == "不符合" and rows["DR-03"][-1] == "未执行" and rows["DR-01"][-1] == "符合"
    assert "偏差 1：IQ-04 LibreOffice——不符合：IQ-04 的结果" in text
    assert "不得使用本机的 dossier" in text and "（IQ-04、OQ-01" in text
