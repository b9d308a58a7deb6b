"""Which issued copies must be recalled: all of a withdrawn document, the old ones once a new revision is approved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from dossier.control.ledger import LedgerEntry
from dossier.control.status import copies_to_recall
from dossier.workspace.model import Document


def _release(revision: str, day: str) -> LedgerEntry:
    return LedgerEntry(seq=1, action="release", document="QP-04", revision=revision, inputs_sha256=None, outputs={},
                       prepared_by=None, reviewed_by=None, approved_by=None, reason=None, change_summary=None,
                       effective_date=day, timestamp=f"{day}T02:00:00Z", prev="", hash="")


def _document(*copies: tuple[int, str, str | None]) -> Document:
    doc = Document(id="QP-04", kind="procedure", title="文件控制程序", revision="B", source=Path("content/QP-04.yaml"),
                   source_display="content/QP-04.yaml")
    doc.distribution = [{"copy": n, "holder": f"持有人{n}", "department": "生产部", "issued": date.fromisoformat(issued),
                         "withdrawn": date.fromisoformat(withdrawn) if withdrawn else None, "line": n}
                        for n, issued, withdrawn in copies]
    return doc


def test_copies_of_the_superseded_revision_are_due_back() -> None:
    doc = _document((1, "2026-01-15", None), (2, "2026-05-20", "2026-06-02"), (3, "2026-06-01", None))
    releases = [_release("A", "2026-01-10"), _release("B", "2026-06-01")]
    due = copies_to_recall(doc, releases, withdrawn=False, in_force="B")
    assert [c["copy"] for c in due] == [1]  # 2 came back; 3 was issued once B was approved
    assert due[0] == {"copy": 1, "holder": "持有人1", "department": "生产部", "issued": "2026-01-15"}


def test_nothing_is_due_while_the_first_revision_is_in_force() -> None:
    doc = _document((1, "2026-01-05", None))
    assert copies_to_recall(doc, [_release("A", "2026-01-10")], withdrawn=False, in_force="A") == []


def test_every_copy_out_of_a_withdrawn_document_is_due() -> None:
    doc = _document((1, "2026-01-15", None), (2, "2026-06-01", None), (3, "2026-06-01", "2026-07-01"))
    assert [c["copy"] for c in copies_to_recall(doc, [], withdrawn=True, in_force=None)] == [1, 2]
