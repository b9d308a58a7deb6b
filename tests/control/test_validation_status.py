"""Validation plan status from the ledger: states, last validation, next due, overdue and late,
changes to assess (GMP 2025 Art. 74, 75), and the ledger rules for releasing a report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from dossier.control.ledger import ZERO_HASH, LedgerEntry
from dossier.control.validation_status import plan_lines, plan_status, report_release_problems, validation_warnings
from dossier.errors import Problems
from dossier.workspace.load import load_workspace
from tests.conftest import copy_workspace


def entry(seq: int, doc: str, rev: str, day: str) -> LedgerEntry:
    return LedgerEntry(
        seq=seq, action="release", document=doc, revision=rev, inputs_sha256=None, outputs={},
        prepared_by="陈静", reviewed_by="李强", approved_by="王建国", reason="发布", change_summary=None,
        effective_date=day, timestamp=f"{day}T02:00:00Z", prev=ZERO_HASH, hash=ZERO_HASH, line=seq,
    )


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    return copy_workspace(tmp_path_factory.mktemp("plan"))


def statuses(root: Path, entries: list[LedgerEntry], today: date):
    ws = load_workspace(root, Problems())
    return {s.object.id: s for s in plan_status(ws, entries, today)}, ws


def test_objects_without_ledger(example: Path) -> None:
    found, _ = statuses(example, [], date(2026, 11, 30))
    assert list(found) == ["CR-01", "PW-01", "EO-01", "SL-01", "CL-01", "EQ-031", "TM-01", "SW-01", "SW-02"]
    eo = found["EO-01"]
    assert (eo.state, eo.report, eo.report_revision, eo.conclusion) == ("executed", "VR-12-07", "A", "合格")
    assert eo.last_validated == date(2025, 12, 20) and eo.next_due == date(2026, 12, 20) and not eo.overdue
    pw = found["PW-01"]
    assert pw.state == "planned" and pw.next_due == date(2026, 11, 10) and pw.overdue and pw.flags == ["OVERDUE"]
    assert found["EQ-031"].next_due is None and found["SW-01"].next_due is None  # trigger-only revalidation
    assert found["CR-01"].state == "planned" and found["SW-02"].state == "planned"  # their protocols (VP-12-02, VP-12-04) not released


def test_report_release_moves_the_object_on(example: Path) -> None:
    entries = [entry(1, "VP-12-01", "A", "2026-12-10"), entry(2, "VR-12-07", "A", "2027-01-22")]
    found, _ = statuses(example, entries[:1], date(2027, 1, 5))
    assert found["EO-01"].state == "executed" and found["EO-01"].protocol_revision == "A"
    assert found["EO-01"].overdue and found["EO-01"].late  # due 2026-12-20, planned 2026-12-15: still open
    found, _ = statuses(example, entries, date(2027, 2, 1))
    eo = found["EO-01"]
    assert (eo.state, eo.report_revision, eo.last_validated, eo.next_due) == ("report_approved", "A", date(2027, 1, 22), date(2028, 1, 22))
    assert eo.flags == []
    assert eo.as_dict()["state_label"] == "报告已批准" and eo.as_dict()["next_due"] == "2028-01-22"


def test_protocol_only_released(example: Path, tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    for name in ("VR-12-07.yaml", "VR-12-07.md"):
        (root / "content" / name).unlink()
    found, _ = statuses(root, [entry(1, "VP-12-01", "A", "2026-12-10")], date(2026, 12, 12))
    assert found["EO-01"].state == "protocol_approved" and found["EO-01"].report is None


def test_changes_of_documents_the_object_depends_on(example: Path, tmp_path: Path) -> None:
    history = [entry(1, "WI-12-01", "A", "2026-12-07"), entry(2, "QR-12-01", "A", "2026-12-07")]
    found, _ = statuses(example, history, date(2027, 1, 1))
    assert found["CL-01"].to_assess == []  # the first release issues the document, it changes nothing
    changed = history + [entry(3, "WI-12-01", "B", "2027-03-01")]
    found, _ = statuses(example, changed, date(2027, 3, 2))
    assert found["CL-01"].to_assess == [{"document": "WI-12-01", "revision": "B", "change": "released", "date": "2027-03-01"}]
    assert "REVALIDATE-ASSESS-1" in found["CL-01"].flags
    assert any(line.startswith("revalidation to assess: CL-01 depends on WI-12-01, revision B released on 2027-03-01")
               for line in plan_lines(list(found.values())))


def test_assessed_change_and_change_in_preparation(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    plan = root / "content" / "VMP-01.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(
        "      depends_on: [WI-12-01, QR-12-01]\n",
        "      depends_on: [WI-12-01, QR-12-01]\n"
        '      assessed:\n        - {document: WI-12-01, revision: B, outcome: 仅修订文字，不影响已验证状态, by: 李强, date: "2027-03-02"}\n'),
        encoding="utf-8")
    instruction = root / "content" / "WI-12-01.yaml"
    instruction.write_text(instruction.read_text(encoding="utf-8").replace("revision: A", "revision: C"), encoding="utf-8")
    history = [entry(1, "WI-12-01", "A", "2026-12-07"), entry(2, "WI-12-01", "B", "2027-03-01")]
    found, _ = statuses(root, history, date(2027, 4, 1))
    assert found["CL-01"].to_assess == [{"document": "WI-12-01", "revision": "C", "change": "in preparation", "date": ""}]


def test_report_needs_a_released_protocol(example: Path) -> None:
    ws = load_workspace(example, Problems())
    report = ws.documents["VR-12-07"]
    warnings = validation_warnings(ws, [])
    assert [str(w) for w in warnings] == [
        "content/VR-12-07.yaml:17: report.protocol: VR-12-07 is judged against VP-12-01 A, which is not released; "
        "release the protocol before the report (Art. 76: an approved protocol)"]
    assert report_release_problems(ws, report, []) == [
        "error: content/VR-12-07.yaml:17: report.protocol: VP-12-01 revision A is not released; "
        "a report is released only on an approved protocol (dossier release VP-12-01)"]
    released = [entry(1, "VP-12-01", "A", "2026-12-10")]
    assert validation_warnings(ws, released) == [] and report_release_problems(ws, report, released) == []
    assert report_release_problems(ws, ws.documents["QP-04"], []) == []


def test_an_object_is_never_both_report_approved_and_late(example: Path) -> None:
    """User test: a report approved before the planned date (2026-12-01, planned 2026-12-15) showed as
    report_approved and LATE (README: LATE = without an approved report). A report approved after the
    plan's last_validated (2025-12-20) is the planned validation, done early: not late."""
    early = [entry(1, "VP-12-01", "A", "2026-11-20"), entry(2, "VR-12-07", "A", "2026-12-01")]
    for today in (date(2026, 12, 10), date(2027, 2, 1)):
        eo = statuses(example, early, today)[0]["EO-01"]
        assert (eo.state, eo.last_validated, eo.late, eo.flags) == ("report_approved", date(2026, 12, 1), False, [])
    every = [s for day in (date(2026, 12, 16), date(2027, 6, 1), date(2028, 6, 1))
             for s in statuses(example, early, day)[0].values()]
    assert not [s.object.id for s in every if s.state == "report_approved" and s.late]


def test_a_report_the_plan_already_counts_is_the_earlier_validation(example: Path, tmp_path: Path) -> None:
    """A report approved on or before the plan's last_validated is the validation before the plan: it gives the
    last validation, not the state of the planned one, which is late once its planned date has passed."""
    root = copy_workspace(tmp_path / "ws")
    plan = root / "content" / "VMP-01.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace('      last_validated: "2025-12-20"\n      last_report: VR-12-01\n',
                                 '      last_validated: "2026-12-01"\n      last_report: VR-12-07\n'), encoding="utf-8")
    ledger = [entry(1, "VP-12-01", "A", "2026-11-20"), entry(2, "VR-12-07", "A", "2026-12-01")]
    eo = statuses(root, ledger, date(2026, 12, 20))[0]["EO-01"]
    assert (eo.state, eo.report, eo.last_validated, eo.late) == ("protocol_approved", None, date(2026, 12, 1), True)
    assert eo.flags == ["LATE"]


def test_the_approval_day_is_the_one_the_release_recorded(example: Path) -> None:
    """A release records the YAML's approval date (`approved_on`): that is the day of the last validation,
    not the day the release was run; entries without it count the day of their timestamp (Beijing time)."""
    released = LedgerEntry(**{**entry(2, "VR-12-07", "A", "2027-01-25").record(), "approved_on": "2027-01-22"})
    eo = statuses(example, [entry(1, "VP-12-01", "A", "2026-11-20"), released], date(2027, 2, 1))[0]["EO-01"]
    assert (eo.last_validated, eo.next_due) == (date(2027, 1, 22), date(2028, 1, 22))
    late_evening = LedgerEntry(**{**entry(2, "VR-12-07", "A", "2027-01-25").record(), "timestamp": "2027-01-25T17:00:00Z"})
    eo = statuses(example, [entry(1, "VP-12-01", "A", "2026-11-20"), late_evening], date(2027, 2, 1))[0]["EO-01"]
    assert eo.last_validated == date(2027, 1, 26)
