"""Validation from plan to report with real LibreOffice: the report's PDF shows every criterion
with its computed values and 符合/不符合; a report is released only on a released protocol; its
release moves the plan's object to 报告已批准 with the next due date (GMP 2025 Art. 75, 76)."""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from docx import Document

from dossier.control.lifecycle import add_months
from dossier.util import clock
from tests.conftest import copy_workspace, run_cli


def _text(pdf: Path) -> str:
    """The PDF's text in reading order (each table cell's lines together), without whitespace."""
    out = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def _rows(docx: Path) -> dict[str, list[str]]:
    """Rows of every table in the .docx, keyed by their first cell."""
    return {row.cells[0].text: [cell.text for cell in row.cells] for table in Document(str(docx)).tables for row in table.rows}


def test_report_shows_each_criterion_judged(example_build: Path) -> None:
    rows = _rows(example_build / "build" / "VR-12-07.docx")
    assert rows["AC-02"] == ["AC-02", "代表产品初始污染菌平均值不超过 100 CFU/支",
                             "结果数 10；平均值 48.4 CFU/支；标准差 8.8 CFU/支；范围 35～61 CFU/支", "—", "符合"]
    assert rows["AC-06"][3:] == ["半周期：68 min（应不大于 60 min）", "不符合"]
    assert rows["AC-23"][2].endswith("Ppk 3.09") and rows["AC-24"][2] == "结果数 10；“通道泄漏”计数 0"
    assert rows["1"][2:] == ["审核人判定：42 只记录仪和柜体传感器校准有效期至 2027-06-30；代表产品均为批号 2611-0218", "—", "符合"]
    assert rows["半周期"][1:] in (["68", "不符合"], ["4", "符合"], ["12.05", "符合"], ["-25.8", "符合"], ["0.4", "符合"], ["17.5", "符合"])
    assert rows["T07"][0:2] == ["T07", "20"]  # a logger's 20 readings summarised per sample
    flat = _text(example_build / "build" / "VR-12-07.pdf")
    for ident in ["AC-02", *[f"AC-{n}" for n in range(10, 27)], "不符合", "符合"]:
        assert ident in flat, ident
    assert "共26项接收准则：符合25项，不符合1项。" in flat
    assert "DEV-2026-047（涉及：AC-06）" in flat and "不影响验证结论；批准：王建国2027-01-18" in flat
    assert "验证结论：合格" in flat
    assert "本报告依据验证方案《环氧乙烷灭菌过程再确认方案》VP-12-01A版实施和评价" in flat
    assert "6与首次确认的比较" in flat  # the body's headings number on after the generated sections


def test_protocol_and_plan(example_build: Path) -> None:
    criteria = _rows(example_build / "build" / "VP-12-01.docx")
    assert criteria["1"][3] == "由审核人判定" and criteria["AC-26"][3] == "由审核人判定"
    assert criteria["AC-02"][2:] == ["初始污染菌（CFU/支）；10 个样品", "按数据判定：平均值不大于 100 CFU/支"]
    assert criteria["AC-23"][3] == "按数据判定：每个结果不小于 1.5 N/15 mm；Ppk（LSL 1.5）不小于 1.33"
    assert criteria["AC-11"][2] == "作用期柜内空间温度（℃）；T25～T30，共 6 个"
    assert "由审核人判定" in _text(example_build / "build" / "VP-12-01.pdf")
    plan = _text(example_build / "build" / "VMP-01.pdf")
    for ident in ("CR-01", "PW-01", "EO-01", "SL-01", "CL-01", "EQ-031", "TM-01", "SW-01"):
        assert ident in plan
    assert "每12个月" in plan and "变更后的再验证评估" in plan


class _Clock(datetime):
    """`datetime` whose now() is a fixed moment: the day the release action records."""

    moment = datetime(2026, 12, 5, 2, tzinfo=timezone.utc)

    @classmethod
    def now(cls, tz=None):
        return cls.moment


def _release_on(root: Path, doc_id: str, day: str, *options: str):
    """`dossier release DOC-ID` run on `day` (10:00 Beijing time)."""
    _Clock.moment = datetime.fromisoformat(f"{day}T02:00:00+00:00")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: _Clock.moment)
        return run_cli("release", doc_id, "--reason", "首次发布", *options, "-w", str(root))


def test_release_protocol_then_report_updates_the_plan(tmp_path: Path) -> None:
    """The example's own dates: protocol approved 2026-11-23, work done 2027-01-08, deviation approved
    2027-01-18, report approved 2027-01-22; each release records the approval date its YAML states."""
    root = copy_workspace(tmp_path)
    early = _release_on(root, "VR-12-07", "2027-01-22")
    assert early.exit_code == 2
    assert "VP-12-01 revision A is not released; a report is released only on an approved protocol" in early.output
    assert not (root / "releases" / "VR-12-07").exists()
    protocol = _release_on(root, "VP-12-01", "2026-12-05")
    assert protocol.exit_code == 0, protocol.output
    assert ("released VP-12-01 revision A (effective 2026-12-15); approved by 王建国 on 2026-11-23 as approved_by.date "
            "in content/VP-12-01.yaml states; ledger entry 1") in protocol.output
    report = root / "content" / "VR-12-07.yaml"
    before = report.read_bytes()
    too_soon = _release_on(root, "VR-12-07", "2026-12-20")  # the user test: approved before the work was done
    assert too_soon.exit_code == 2 and report.read_bytes() == before
    assert ("error: content/VR-12-07.yaml:9: approved_by.date: 2027-01-22 is after today (2026-12-20): release records "
            "an approval already given; release on or after 2027-01-22, or correct the date") in too_soon.output
    result = _release_on(root, "VR-12-07", "2027-01-22")
    assert result.exit_code == 0, result.output
    assert report.read_bytes() == before  # the YAML said it all: nothing rewritten
    archive = root / "releases" / "VR-12-07" / "A"
    assert {p.name for p in archive.iterdir()} >= {"VR-12-07.pdf", "VR-12-07.yaml", "VR-12-07.md", "VR-12-07-loggers.csv", "VR-12-07-bi.csv"}
    assert "验证结论：合格" in _text(archive / "VR-12-07.pdf")
    assert run_cli("verify", str(root)).exit_code == 0
    entries = [json.loads(line) for line in (root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["document"], e["approved_on"]) for e in entries] == [("VP-12-01", "2026-11-23"), ("VR-12-07", "2027-01-22")]
    status = json.loads(run_cli("status", "--json", "--today", "2027-02-01", "-w", str(root)).output)
    eo = next(o for o in status["validation"] if o["object"] == "EO-01")
    assert (eo["state"], eo["report_revision"], eo["last_validated"], eo["next_due"]) == \
        ("report_approved", "A", "2027-01-22", add_months(date(2027, 1, 22), 12).isoformat())
    assert eo["overdue"] is False and eo["late"] is False  # planned 2026-12-15: done, with an approved report
    assert not status["warnings"] or all("VR-12-07" not in w for w in status["warnings"])
    # the released report's data cannot change under it
    data = root / "content" / "VR-12-07-loggers.csv"
    lines = data.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(lines[1].split(",")[2], "50.0", 1)  # AC-11 T25, still within 47–53 ℃
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    changed = run_cli("check", str(root))
    assert changed.exit_code == 2
    assert "VR-12-07 changed since release A (results content/VR-12-07-loggers.csv); start revision B" in changed.output
