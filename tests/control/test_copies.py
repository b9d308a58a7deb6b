"""Issued copies of a document: the ledger's issues, the YAML's older records, and which must come back."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from dossier.control.copies import document_issues, due_back, issue_row, planned
from dossier.control.ledger import ZERO_HASH, LedgerEntry
from dossier.workspace.model import Document

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _entry(seq: int, action: str, revision: str, day: str, **fields) -> LedgerEntry:
    return LedgerEntry(seq=seq, action=action, document="QP-04", revision=revision, timestamp=f"{day}T02:00:00Z",
                       prev=ZERO_HASH, hash=ZERO_HASH, effective_date=day, **fields)


def _release(seq: int, revision: str, day: str) -> LedgerEntry:
    return _entry(seq, "release", revision, day, outputs={}, approved_by="王建国")


def _document(*entries: dict) -> Document:
    doc = Document(id="QP-04", kind="procedure", title="文件控制程序", revision="B", source=Path("content/QP-04.yaml"),
                   source_display="content/QP-04.yaml")
    doc.distribution = [{"holder": f"持有人{e['copy']}", "department": "生产部", "issued": None, "withdrawn": None,
                         "line": 10 + n, **e} for n, e in enumerate(entries)]
    return doc


def test_copies_issued_in_the_ledger_keep_their_revision_and_number_across_revisions() -> None:
    entries = [
        _release(1, "A", "2026-01-10"),
        _entry(2, "issue", "A", "2026-01-15", copy=1, holder="张敏", department="质量部", performed_by="王芳"),
        _entry(3, "issue", "A", "2026-01-15", copy=2, holder="赵磊", department="生产部", performed_by="王芳"),
        _release(4, "B", "2026-06-01"),
        _entry(5, "recall", "A", "2026-06-02", copy=1, performed_by="王芳"),
        _entry(6, "issue", "B", "2026-06-02", copy=1, holder="张敏", department="质量部", performed_by="王芳"),
    ]
    issues = document_issues(_document(), entries, SHANGHAI)
    assert [(i.copy, i.revision, str(i.issued_on), i.out) for i in issues] == \
        [(1, "A", "2026-01-15", False), (2, "A", "2026-01-15", True), (1, "B", "2026-06-02", True)]
    due = due_back(issues, "B", withdrawn=False)
    assert [(i.copy, i.revision) for i in due] == [(2, "A")]  # copy 1 was exchanged already
    assert [(i.copy, i.revision) for i in due_back(issues, "B", withdrawn=True)] == [(2, "A"), (1, "B")]
    assert issue_row(issues[0])["returned"] == "2026-06-02" and issue_row(issues[0])["issued_by"] == "王芳"


def test_issues_recorded_in_the_yaml_read_as_the_revision_released_by_then() -> None:
    doc = _document({"copy": 1, "issued": date(2026, 1, 15)},
                    {"copy": 2, "issued": date(2026, 5, 20), "withdrawn": date(2026, 6, 2)},
                    {"copy": 3, "issued": date(2026, 6, 1)},
                    {"copy": 4})  # planned, not issued
    issues = document_issues(doc, [_release(1, "A", "2026-01-10"), _release(2, "B", "2026-06-01")], SHANGHAI)
    assert [(i.copy, i.revision, i.legacy) for i in issues] == [(1, "A", True), (2, "A", True), (3, "B", True)]
    assert [i.copy for i in due_back(issues, "B", withdrawn=False)] == [1]  # 2 came back; 3 is of B
    assert planned(doc)[4].holder == "持有人4" and planned(doc)[4].line == 13


def test_nothing_is_due_while_the_first_revision_is_in_force() -> None:
    doc = _document({"copy": 1, "issued": date(2026, 1, 5)})
    issues = document_issues(doc, [_release(1, "A", "2026-01-10")], SHANGHAI)
    assert issues[0].revision == "A" and due_back(issues, "A", withdrawn=False) == []
