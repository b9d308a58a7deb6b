"""`build` and `build --json` show every warning `check` shows, each as `FILE:LINE: FIELD: message`.

A user saw `check` warn that VR-12-07 is judged against an unreleased protocol and that QP-04
(approved) cites the draft QM-01, and `build` say nothing of either; the citation warning named
no file or line, the protocol and WS 628 rule-set warnings no line. Here QP-04 A is released
straight into the ledger and archive (no LibreOffice), effective 2026-12-01, on 2026-11-25.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from dossier.control.archive import archive_outputs
from dossier.control.digest import inputs_digest
from dossier.control.ledger import Ledger
from dossier.errors import Problems
from dossier.util import clock
from dossier.workspace.load import load_workspace
from tests.conftest import copy_workspace, run_cli

RULE_SET = ("rule set ws2014: WS 628—2018《消毒产品卫生安全评价技术要求》（国卫通〔2018〕18号） replaced its "
            "第五条、第六条、第八条、第九条、第十条、第十二条、第十三条和附件1–3 on 2019-03-01; this evaluation ({day}) uses "
            "the ws2014 tables and report format — check it against WS 628—2018 by hand (README: Disinfection products)")
EXPECTED = [  # among the example's warnings (the starter's QP-04 cites many drafts: those are checked by form)
    "warning: content/QP-04.md:7: body: QP-04 revision A (approved) cites QP-05, which is a draft (never released): "
    "release QP-05 or revise QP-04",
    "warning: content/VR-12-07.yaml:17: report.protocol: VR-12-07 is judged against VP-12-01 A, which is not released; "
    "release the protocol before the report (Art. 76: an approved protocol)",
    "warning: content/disinfectant/iodophor-renewal/product.yaml:33: evaluation.date: " + RULE_SET.format(day="2025-04-28"),
    "warning: content/disinfectant/plasma-air-device/product.yaml:32: evaluation.date: " + RULE_SET.format(day="2024-06-18"),
    "warning: content/disinfectant/skin-ethanol/product.yaml:32: evaluation.date: " + RULE_SET.format(day="2024-05-20"),
]
LOCATED = re.compile(r"^warning: [^:\s]+:\d+: [\w.\[\]]+: \S")  # FILE:LINE: FIELD: message


@pytest.fixture()
def workspace(tmp_path: Path, monkeypatch) -> Path:
    """The example with QP-04 A released on 2026-11-10, effective 2026-12-01; today 2026-11-25 (approved)."""
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 25, 2, 0, tzinfo=timezone.utc))
    root = copy_workspace(tmp_path / "ws")
    doc = load_workspace(root, Problems()).documents["QP-04"]
    files = {"QP-04.pdf": b"%PDF-1.4 stand-in\n", "QP-04.yaml": doc.source.read_bytes(), "QP-04.md": (root / "content" / "QP-04.md").read_bytes()}
    Ledger(root / "ledger.jsonl").append(
        action="release", document="QP-04", revision="A", timestamp="2026-11-10T02:00:00Z", effective_date="2026-12-01",
        inputs_sha256=inputs_digest(load_workspace(root, Problems()), doc), outputs=archive_outputs(root, "QP-04", "A", files),
        prepared_by="张敏", reviewed_by="李强", approved_by="王建国", reason="首次发布", change_summary="首次发布")
    return root


def _warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("warning:")]


def test_check_shows_each_warning_at_its_file_line_and_field(workspace: Path) -> None:
    result = run_cli("check", str(workspace))
    assert result.exit_code == 0, result.output
    found = _warnings(result.stderr)
    assert set(EXPECTED) <= set(found) and all(LOCATED.match(line) for line in found), found
    assert f"documents valid ({len(found)} warnings)" in result.stdout


def test_build_shows_what_check_shows(workspace: Path) -> None:
    result = run_cli("build", str(workspace), "--only", "QM-01", "--format", "docx")
    assert result.exit_code == 0, result.output
    assert _warnings(result.stderr) == _warnings(run_cli("check", str(workspace)).stderr)
    assert (workspace / "build" / "QM-01.docx").is_file()


def test_build_json_lists_what_check_shows(workspace: Path) -> None:
    result = run_cli("build", str(workspace), "--only", "QM-01", "--format", "docx", "--force", "--json")
    assert result.exit_code == 0, result.output
    shown = _warnings(run_cli("check", str(workspace)).stderr)
    assert set(EXPECTED) <= set(shown)
    assert json.loads(result.stdout)["warnings"] == [line.removeprefix("warning: ") for line in shown]
    assert _warnings(result.stderr) == shown


def test_release_and_withdrawal_notes_name_where_the_citation_is(workspace: Path) -> None:
    from dossier.cli.notices import after_release, after_withdrawal

    ws = load_workspace(workspace, Problems())
    notes = [line for line in after_release(ws, "QP-04") if line.startswith("warning:")]
    assert "warning: content/QP-04.md:7: body: QP-04 cites QP-05, which is not released: it is cited without a revision" in notes
    assert all(LOCATED.match(line) for line in notes), notes
    ledger = Ledger(workspace / "ledger.jsonl")
    ledger.append(action="release", document="QP-05", revision="A", timestamp="2026-11-11T02:00:00Z", effective_date="2026-11-11",
                  inputs_sha256="0" * 64, outputs={"QP-05.pdf": "0" * 64}, prepared_by="张敏", reviewed_by="李强", approved_by="王建国", reason="首次发布")
    ledger.append(action="obsolete", document="QP-05", revision="A", timestamp="2026-11-20T02:00:00Z", effective_date="2026-11-20",
                  reason="并入QP-04", approved_by="王建国")
    assert [line for line in after_withdrawal(ws, "QP-05") if line.startswith("warning:")] == [
        "warning: content/QP-04.md:7: body: QP-04 revision A (approved) still cites QP-05: "
        "revise QP-04 to remove or replace the citation"]
