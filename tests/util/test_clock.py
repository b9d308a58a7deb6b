"""Every day dossier derives or shows is the workspace's (`timezone:`, default Asia/Shanghai).

At 16:30 UTC on 2026-11-30 it is already 2026-12-01 00:30 in China. A user saw, after 16:00 UTC,
`dossier init` write 2026-11-30 dates while `issue` recorded 2026-12-01, the validation plan show
"validated 2026-11-30" for a report approved on 2026-12-01, and the qualification report print
"2026-11-30 15:57～15:58 UTC" where verify prints +08:00. Here the clock is frozen at that instant
on a machine whose local zone is UTC.
"""

from __future__ import annotations

import json
import os
import re
import time
from datetime import date, datetime, timezone
from pathlib import Path

import docx
import pytest

from dossier.control.ledger import ZERO_HASH, LedgerEntry, format_timestamp
from dossier.control.validation_status import plan_lines, plan_status
from dossier.errors import Problems, ToolError
from dossier.qualify import run as qualify_run
from dossier.qualify.record import PASSED, CheckResult
from dossier.util import clock
from dossier.workspace.load import load_workspace
from tests.conftest import copy_workspace, run_cli

FROZEN = datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc)
PACKAGE = Path(__file__).resolve().parents[2] / "dossier"


@pytest.fixture()
def frozen(monkeypatch):
    """The clock at 2026-11-30T16:30Z, the machine's local zone UTC (its local date 2026-11-30)."""
    monkeypatch.setattr(clock, "now", lambda: FROZEN)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_init_dates_its_documents_with_the_day_in_china(frozen, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    for name in ("QP-01.yaml", "QR-01-01.yaml"):
        text = (root / "content" / name).read_text(encoding="utf-8")
        dates = set(re.findall(r'"(\d{4}-\d{2}-\d{2})"', text))
        assert dates == {"2026-12-01"}, (name, dates)
    ws = load_workspace(root, Problems())
    assert ws.config.today() == date(2026, 12, 1)  # what issue, release and status take for today


def test_the_plan_shows_validated_on_the_day_the_report_was_approved_there(frozen, tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    ws = load_workspace(root, Problems())

    def release(seq: int, doc: str, effective: str) -> LedgerEntry:  # as release records it at this instant
        return LedgerEntry(seq=seq, action="release", document=doc, revision="A", inputs_sha256=None, outputs={},
                           prepared_by="陈静", reviewed_by="李强", approved_by="王建国", reason="发布", change_summary=None,
                           effective_date=effective, timestamp=format_timestamp(clock.now()), prev=ZERO_HASH,
                           hash=ZERO_HASH, line=seq)

    entries = [release(1, "VP-12-01", "2026-12-01"), release(2, "VR-12-07", "2026-12-01")]
    assert entries[1].timestamp == "2026-11-30T16:30:00Z"  # the ledger keeps UTC
    statuses = plan_status(ws, entries, ws.config.today())
    eo = next(s for s in statuses if s.object.id == "EO-01")
    assert (eo.state, eo.last_validated, eo.next_due) == ("report_approved", date(2026, 12, 1), date(2027, 12, 1))
    row = next(line for line in plan_lines(statuses) if line.startswith("EO-01"))
    assert "report_approved" in row and " 2026-12-01 2027-12-01 " in row


def test_the_qualification_report_shows_its_times_in_the_workspace_zone(frozen, tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    monkeypatch.setattr(qualify_run, "_run_check", lambda ctx, check_id: CheckResult(check_id, PASSED, "ok", [], 0.0))

    def no_pdf(*args):
        raise ToolError("error: no LibreOffice in this test")

    monkeypatch.setattr(qualify_run, "_pdf", no_pdf)
    out = tmp_path / "out"
    qualify_run.qualify(out, root)
    document = docx.Document(str(out / "qualification-report.docx"))
    text = "\n".join(p.text for p in document.paragraphs) + "\n" + "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "2026-12-01 00:30～00:30 +08:00" in text and "UTC" not in text
    assert "2026-12-01 00:30:00 +08:00" in text  # 确认时间 in the environment table
    summary = json.loads((out / "qualification.json").read_text(encoding="utf-8"))
    assert summary["started"] == summary["finished"] == "2026-12-01T00:30:00+08:00"
    assert document.core_properties.modified == FROZEN  # docProps stay UTC: the same instant


def test_the_qualification_report_without_a_workspace_uses_the_default_zone(frozen, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(qualify_run, "_run_check", lambda ctx, check_id: CheckResult(check_id, PASSED, "ok", [], 0.0))
    monkeypatch.setattr(qualify_run, "_pdf", lambda *args: (_ for _ in ()).throw(ToolError("error: no PDF")))
    qualify_run.qualify(tmp_path / "out")
    assert json.loads((tmp_path / "out" / "qualification.json").read_text(encoding="utf-8"))["started"] == "2026-12-01T00:30:00+08:00"


CLOCK_READS = re.compile(r"\bdate\.today\(|\bdatetime\.now\(|\butcnow\(|\btime\.strftime\(|\btime\.localtime\(|"
                         r"\bdatetime\.today\(|\.astimezone\(\)")


def test_only_the_clock_module_reads_the_clock() -> None:
    """The kind, not one instance: a new `date.today()` somewhere would be the machine's day again."""
    found = [f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
             for path in sorted(PACKAGE.rglob("*.py")) if path.name != "clock.py" or path.parent.name != "util"
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if CLOCK_READS.search(line)]
    assert found == []


def test_the_frozen_clock_is_the_one_in_use(frozen) -> None:
    assert clock.today_in(timezone.utc) == date(2026, 11, 30) and os.environ["TZ"] == "UTC"
