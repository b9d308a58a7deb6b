"""`dossier qualify` on this machine: IQ and OQ pass and the report lists every requirement with
its result; without LibreOffice on PATH it exits 1 naming the failed IQ check (GMP 2025 Art. 77)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from dossier.qualify.catalogue import catalogue
from tests.conftest import copy_workspace


def _qualify(out: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "dossier", "qualify", str(out), *args], capture_output=True, text=True,
                          env={**os.environ, **(env or {})}, timeout=900, check=False)


@pytest.fixture(scope="module")
def qualified(tmp_path_factory) -> tuple[subprocess.CompletedProcess, Path]:
    root = tmp_path_factory.mktemp("qualify")
    workspace = copy_workspace(root / "ws")
    out = root / "qualify-out"
    return _qualify(out, "--workspace", str(workspace)), out


def test_qualify_passes_and_reports_every_requirement(qualified) -> None:
    done, out = qualified
    assert done.returncode == 0, done.stdout + done.stderr
    for check in catalogue().checks:
        assert re.search(rf"^{check.id} passed ", done.stdout, re.M), check.id
    summary = json.loads((out / "qualification.json").read_text(encoding="utf-8"))
    assert summary["passed"] is True and len(summary["checks"]) == len(catalogue().checks)
    rows = {row.cells[0].text: [c.text for c in row.cells]
            for table in Document(str(out / "qualification-report.docx")).tables for row in table.rows}
    for requirement in catalogue().requirements:
        assert rows[requirement.id][-1] == "符合", requirement.id
    assert rows["账本记录的软件版本"][1] == "无发布记录"  # the example has no ledger yet
    text = subprocess.run(["pdftotext", str(out / "qualification-report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    for requirement in catalogue().requirements:
        assert requirement.id in flat, requirement.id
    assert "示例医疗科技有限公司软件确认报告" in flat and "第1页共" in flat
    assert (out / "evidence" / "IQ-01-files.txt").read_text(encoding="utf-8").count("dossier/") > 50
    assert "$ dossier build $SCRATCH/ws  -> exit 0" in (out / "evidence" / "OQ-01.txt").read_text(encoding="utf-8")


def test_without_libreoffice_the_iq_check_fails(tmp_path: Path) -> None:
    tools = tmp_path / "bin"  # PATH with the font tools but no soffice
    tools.mkdir()
    for name in ("fc-list", "fc-match"):
        found = shutil.which(name)
        if found:
            (tools / name).symlink_to(found)
    out = tmp_path / "out"
    done = _qualify(out, env={"PATH": str(tools)})
    assert done.returncode == 1, done.stdout + done.stderr
    assert "failed: IQ-04 LibreOffice not found: no soffice on PATH" in done.stderr
    assert re.search(r"^OQ-01 not_run ", done.stdout, re.M)
    rows = {row.cells[0].text: [c.text for c in row.cells]
            for table in Document(str(out / "qualification-report.docx")).tables for row in table.rows}
    assert rows["IQ-04"][2] == "不符合" and rows["DR-02"][-1] == "不符合" and rows["DR-03"][-1] == "未执行"
    assert not (out / "qualification-report.pdf").exists()  # no converter: the report stays a .docx
