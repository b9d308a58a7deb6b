"""User test of the release flow (device GMP 2025 Art. 43(2), 46; Art. 76 validation reports), without
rendering: every refusal happens before anything is written.

1. A validation report's sign-offs are not dated before the end of its execution or a deviation it
   records, and its approval not before its protocol's: `check` at the field's line, and `release`
   for the approval date it would record.
2. Release records the approval date the YAML states, or today when it states none; it never
   changes a date silently, and its messages quote what the file says.
3. Release, revise and issue problems about a field of a document's YAML name that field's line.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from dossier.actions.approval import approval_day
from dossier.actions.copies import issue, recall
from dossier.actions.release import obsolete, release, revise
from dossier.control.controls import ledger_of
from dossier.errors import DossierError, UsageError
from dossier.pipeline.load import load_checked
from tests.conftest import copy_workspace, run_cli, set_signoffs
from tests.control_support import fake_release


def _at(day: str) -> datetime:
    """10:00 Beijing time on `day`."""
    return datetime.fromisoformat(f"{day}T02:00:00+00:00")


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _refused(root: Path, *args, **kwargs) -> list[str]:
    """The error lines of a release that must be refused with nothing written."""
    before = _snapshot(root)
    with pytest.raises(DossierError) as caught:
        release(root, *args, **kwargs)
    assert caught.value.exit_code == 2
    assert _snapshot(root) == before
    return caught.value.lines()


def _errors(text: str) -> list[str]:
    """The error lines (check also prints the example's warnings)."""
    return [line for line in text.splitlines() if line.startswith("error:")]


EXECUTED_LINE = 19  # report.executed in the example's VR-12-07.yaml


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_workspace(tmp_path / "ws")


# --- 1. a report is signed off after its work, and approved after its protocol ------------------------------

def test_the_user_test_report_signed_off_before_its_work_ended(example: Path) -> None:
    """VR-12-07 prepared and reviewed on 2026-11-30 while executed until 2027-01-08 and DEV-2026-047 approved
    2027-01-18: release with --effective 2026-12-20 succeeded (approving it on 2026-12-01)."""
    report = example / "content/VR-12-07.yaml"
    set_signoffs(report, prepared_by=("陈静", "2026-11-30"), reviewed_by=("李强", "2026-11-30"))
    checked = run_cli("check", str(example))
    expected = [
        f"error: content/VR-12-07.yaml:{line}: {key}.date: 2026-11-30 is before the approval of deviation DEV-2026-047 "
        "on 2027-01-18 (report.deviations, line 84): a validation report is prepared, reviewed and approved after the "
        "work it reports; date it 2027-01-18 or later" for line, key in ((7, "prepared_by"), (8, "reviewed_by"))]
    assert checked.exit_code == 2 and [line for line in checked.stderr.splitlines() if line.startswith("error:")] == expected
    fake_release(example, "VP-12-01", effective="2026-12-10")
    assert _refused(example, "VR-12-07", "", "首次发布", effective=date(2026, 12, 20), now=_at("2026-12-01")) == expected


def test_the_end_of_execution_binds_every_signoff(example: Path) -> None:
    report = example / "content/VR-12-07.yaml"
    _edit(report, 'approved_by: {name: 王建国, date: "2027-01-18"}', 'approved_by: {name: 王建国, date: "2027-01-05"}')
    set_signoffs(report, prepared_by=("陈静", "2027-01-06"), reviewed_by=("李强", "2027-01-07"),
                 approved_by=("王建国", "2027-01-07"))
    result = run_cli("check", str(example))
    assert result.exit_code == 2
    assert [e for e in result.stderr.splitlines() if e.startswith("error:")] == [
        f"error: content/VR-12-07.yaml:{line}: {key}.date: {day} is before the end of execution 2027-01-08 "
        f"(report.executed.to, line {EXECUTED_LINE}): a validation report is prepared, reviewed and approved after the work it "
        "reports; date it 2027-01-08 or later"
        for line, key, day in ((7, "prepared_by", "2027-01-06"), (8, "reviewed_by", "2027-01-07"), (9, "approved_by", "2027-01-07"))]


def test_a_report_is_approved_after_its_protocol_as_its_yaml_or_the_ledger_says(example: Path) -> None:
    protocol = example / "content/VP-12-01.yaml"
    _edit(protocol, 'date: "2026-11-23"', 'date: "2027-01-25"')
    _edit(protocol, 'effective_date: "2026-12-15"', 'effective_date: "2027-01-25"')
    result = run_cli("check", str(example))
    assert result.exit_code == 2
    assert _errors(result.stderr) == ["error: content/VR-12-07.yaml:9: approved_by.date: 2027-01-22 is before the approval of "
                                      "protocol VP-12-01 revision A on 2027-01-25 (content/VP-12-01.yaml:9): a validation report is "
                                      "approved after the protocol it executes; date it 2027-01-25 or later"]
    fake_release(example, "VP-12-01", effective="2027-01-25", timestamp="2027-01-25T02:00:00Z", approved_on="2027-01-25")
    result = run_cli("check", str(example))
    assert result.exit_code == 2 and "before the approval of protocol VP-12-01 revision A on 2027-01-25 (ledger entry 1)" \
        in result.stderr


def test_release_refuses_to_approve_a_report_today_before_its_protocol_was_approved(example: Path) -> None:
    fake_release(example, "VP-12-01", effective="2027-01-25", timestamp="2027-01-20T02:00:00Z", approved_on="2027-01-25")
    set_signoffs(example / "content/VR-12-07.yaml", approved_by=None)
    assert _refused(example, "VR-12-07", "王建国", "首次发布", now=_at("2027-01-24")) == [
        "error: content/VR-12-07.yaml:1: approved_by: releasing today records approval on 2027-01-24, before the approval "
        "of protocol VP-12-01 revision A on 2027-01-25 (ledger entry 1): a validation report is approved after the "
        "protocol it executes; release on or after 2027-01-25"]


# --- 2. the approval date release records is the one the file states ----------------------------------------

def test_releasing_today_before_the_review_quotes_the_dates_in_the_file(example: Path) -> None:
    """The user's message said `approved_by: date 2026-12-01 is before reviewed_by date 2027-01-21` at line 9,
    which reads 2027-01-22: release had written today's date into the YAML, checked it, then put the file back."""
    fake_release(example, "VP-12-01", effective="2026-12-10")
    set_signoffs(example / "content/VR-12-07.yaml", approved_by=None)
    assert _refused(example, "VR-12-07", "王建国", "首次发布", now=_at("2026-12-01")) == [
        "error: content/VR-12-07.yaml:1: approved_by: releasing today records approval on 2026-12-01, before reviewed_by "
        "date 2027-01-21 (line 8): a revision is approved after it is prepared and reviewed; release on or after 2027-01-21"]


def test_an_approval_date_after_today_is_refused_not_replaced(example: Path) -> None:
    fake_release(example, "VP-12-01", effective="2026-12-10")
    assert _refused(example, "VR-12-07", "", "首次发布", effective=date(2026, 12, 20), now=_at("2026-12-01")) == [
        "error: content/VR-12-07.yaml:9: approved_by.date: 2027-01-22 is after today (2026-12-01): release records an "
        "approval already given; release on or after 2027-01-22, or correct the date"]


def test_the_yaml_approval_date_is_recorded_and_today_only_when_it_has_none(example: Path) -> None:
    ws = load_checked(example)
    recorded = approval_day(ws, ws.documents["QP-04"], [], date(2026, 11, 30))
    assert (recorded.day, recorded.source) == (date(2026, 11, 20), "as approved_by.date in content/QP-04.yaml states")
    set_signoffs(example / "content/QP-04.yaml", approved_by=None)
    ws = load_checked(example)
    recorded = approval_day(ws, ws.documents["QP-04"], [], date(2026, 11, 30))
    assert (recorded.day, recorded.source) == (date(2026, 11, 30), "(today), written to approved_by.date in content/QP-04.yaml")


# --- 3. problems about a field of the YAML name its line ------------------------------------------------------

def test_a_missing_signoff_is_reported_at_the_documents_first_line(example: Path) -> None:
    """User test: `error: content/QP-05.yaml: reviewed_by: required before release (name and date)`."""
    set_signoffs(example / "content/QP-05.yaml", reviewed_by=None, approved_by=None)
    assert _refused(example, "QP-05", "王建国", "首次发布", now=_at("2026-11-30")) == [
        "error: content/QP-05.yaml:1: reviewed_by: required before release (name and date)"]


def test_an_effective_date_before_the_revision_it_replaces_is_reported_at_its_line(example: Path) -> None:
    """User test: `error: content/QP-04.yaml: effective_date: 2026-11-30 is before revision A takes effect (2026-12-01)`."""
    fake_release(example, "QP-04", effective="2026-12-01")
    revise(example, "QP-04", change="增加电子发放")
    qp04 = example / "content/QP-04.yaml"
    _edit(qp04, 'effective_date: ""', 'effective_date: "2026-11-30"')
    set_signoffs(qp04, prepared_by=("张敏", "2026-11-21"), reviewed_by=("李强", "2026-11-22"))
    assert _refused(example, "QP-04", "王建国", "CAPA", now=_at("2026-11-25")) == [
        "error: content/QP-04.yaml:5: effective_date: 2026-11-30 is before revision A takes effect (2026-12-01): "
        "a revision cannot take effect before the one it replaces"]
    _edit(qp04, 'effective_date: "2026-11-30"', 'effective_date: "2026-11-24"')
    assert _refused(example, "QP-04", "王建国", "CAPA", now=_at("2026-11-25")) == [
        "error: content/QP-04.yaml:5: effective_date: 2026-11-24 is before today (2026-11-25), the day of this release: "
        "a revision takes effect on or after its release"]


def test_revision_problems_of_release_and_revise_name_the_revision_line(example: Path) -> None:
    with pytest.raises(UsageError, match=re.escape("error: content/QP-04.yaml:4: revision: QP-04 revision A is not "
                                                   "released yet: edit it as it is")):
        revise(example, "QP-04")
    _edit(example / "content/QP-04.yaml", "revision: A", "revision: C")
    assert _refused(example, "QP-04", "王建国", "首次发布", now=_at("2026-11-30")) == [
        "error: content/QP-04.yaml:4: revision: the first release of QP-04 is revision A, not C"]
    _edit(example / "content/QP-04.yaml", "revision: C", "revision: A")
    fake_release(example, "QP-04", effective="2026-12-01")
    assert _refused(example, "QP-04", "王建国", "再次", now=_at("2026-11-30")) == [
        "error: content/QP-04.yaml:4: revision: QP-04 revision A was already released (2026-11-20); "
        "start revision B with `dossier revise QP-04`"]


def test_a_citation_of_a_withdrawn_document_is_reported_at_its_body_line(example: Path) -> None:
    fake_release(example, "QP-05", effective="2026-11-20")
    obsolete(example, "QP-05", "并入QP-04", "王建国", now=_at("2026-11-21"))
    assert _refused(example, "QM-01", "王建国", "首次发布", now=_at("2026-11-30")) == [
        "error: content/QM-01.md:109: body: cites QP-05, which was withdrawn (作废)"]


def test_a_report_on_an_unreleased_protocol_is_refused_at_report_protocol(example: Path) -> None:
    assert _refused(example, "VR-12-07", "王建国", "首次发布", now=_at("2027-01-22")) == [
        "error: content/VR-12-07.yaml:17: report.protocol: VP-12-01 revision A is not released; a report is released "
        "only on an approved protocol (dossier release VP-12-01)"]


# --- 4. 发放人 and 回收人 are people, not the account that runs the command ------------------------------------

def test_issue_and_recall_need_the_person_who_hands_out_or_collects(example: Path) -> None:
    """User test: `dossier issue` without --by wrote the git user.name into the distribution record's 发放人."""
    for args in (("issue", "QP-04", "--copy", "1"), ("recall", "QP-04", "--copy", "1")):
        result = run_cli(*args, "-w", str(example))
        assert result.exit_code == 2 and "Missing option '--by'" in result.output, args
    with pytest.raises(UsageError, match=re.escape("error: --by: name who issues the copies (发放人)")):
        issue(example, "QP-04", [1], " ")
    with pytest.raises(UsageError, match=re.escape("error: --by: name who collected the copy (回收人)")):
        recall(example, "QP-04", 1, "")
    assert ledger_of(load_checked(example)).entries() == []


def test_a_copy_recorded_in_the_yaml_is_named_at_its_distribution_line(example: Path) -> None:
    fake_release(example, "QP-04", effective="2026-11-20")
    _edit(example / "content/QP-04.yaml", "  - {copy: 2, holder: 赵磊, department: 生产部}",
          '  - {copy: 2, holder: 赵磊, department: 生产部, issued: "2026-11-20"}')
    with pytest.raises(UsageError) as caught:
        recall(example, "QP-04", 2, "王芳", now=_at("2026-11-25"))
    assert str(caught.value) == ("error: content/QP-04.yaml:14: distribution.withdrawn: copy 2 of QP-04 was issued here "
                                 "(distribution:): record its return here as withdrawn: DATE")
