"""Document lifecycle: revision states, status, review and retention dates, revision history."""

from __future__ import annotations

import json
from datetime import date

import pytest

from dossier.control.ledger import ZERO_HASH, LedgerEntry
from dossier.control.lifecycle import (
    DraftChange,
    HistoryRow,
    Policy,
    State,
    add_months,
    document_status,
    history_rows,
    revision_states,
)
from dossier.workspace.retention import RetentionRule


def entry(seq: int, doc: str, rev: str, effective: str, action: str = "release", reason: str | None = None,
          change: str | None = None) -> LedgerEntry:
    """A ledger entry as `Ledger.entries()` returns it (hash fields do not matter here)."""
    return LedgerEntry(
        seq=seq, action=action, document=doc, revision=rev, inputs_sha256=None, outputs={},
        prepared_by="张敏", reviewed_by="李强", approved_by="王建国", reason=reason, change_summary=change,
        effective_date=effective, timestamp=f"{effective}T00:00:00Z", prev=ZERO_HASH, hash=ZERO_HASH, line=seq,
    )


A = entry(1, "QP-04", "A", "2026-12-01", reason="首次发布", change="首次发布")
OTHER = entry(2, "QP-05", "A", "2026-12-01")
B = entry(3, "QP-04", "B", "2027-06-01", reason="CAPA-2027-003：增加电子文件控制", change="第5章增加电子签名要求")
WITHDRAWN = entry(4, "QP-04", "B", "2028-01-15", action="obsolete", reason="并入QM-01，不再单独发布")


# --- months arithmetic -----------------------------------------------------------------------

@pytest.mark.parametrize("day, months, expected", [
    (date(2026, 12, 1), 24, date(2028, 12, 1)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),
    (date(2027, 1, 31), 1, date(2027, 2, 28)),
    (date(2027, 1, 31), 13, date(2028, 2, 29)),
    (date(2026, 8, 31), 1, date(2026, 9, 30)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2027, 3, 31), -1, date(2027, 2, 28)),
    (date(2027, 1, 10), -1, date(2026, 12, 10)),
])
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_policy_per_kind_with_defaults():
    assert Policy().review_months("procedure") == 24 and Policy().retention("procedure").years == 10
    policy = Policy({"default": 36, "work_instruction": 12}, {"default": 5, "quality_manual": 15})
    assert policy.review_months("work_instruction") == 12 and policy.review_months("procedure") == 36
    assert policy.retention("quality_manual").years == 15 and policy.retention("record_form").years == 5


def test_each_superseded_and_withdrawn_revision_gets_its_retention_end():
    # A stops when B takes effect (2027-06-01), B when the document is withdrawn (2028-01-15)
    policy = Policy({}, {"default": 10})
    while_b = document_status([A, B], "QP-04", "B", "procedure", date(2027, 7, 1), policy)
    assert while_b.retention == {"A": date(2037, 6, 1)}
    before_b = document_status([A, B], "QP-04", "B", "procedure", date(2027, 5, 1), policy)
    assert before_b.retention == {}  # B approved, not yet effective: A is still in force
    withdrawn = document_status([A, B, WITHDRAWN], "QP-04", "B", "procedure", date(2028, 2, 1), policy)
    assert withdrawn.retention == {"A": date(2037, 6, 1), "B": date(2038, 1, 15)}


def test_retention_tied_to_the_device_lifetime_or_the_product_expiry():
    lifetime = Policy({}, {"default": RetentionRule(2, "device_lifetime", lifetime_years=8)})
    assert document_status([A, B], "QP-04", "B", "procedure", date(2027, 7, 1), lifetime).retention == {"A": date(2037, 6, 1)}
    expiry = Policy({}, {"default": RetentionRule(1, "product_expiry", expiry_months=30)})
    assert document_status([A, B], "QP-04", "B", "procedure", date(2027, 7, 1), expiry).retention == {"A": date(2030, 12, 1)}


# --- revision states -------------------------------------------------------------------------

@pytest.mark.parametrize("today, expected", [
    (date(2026, 11, 30), {"A": State.APPROVED}),
    (date(2026, 12, 1), {"A": State.EFFECTIVE}),
])
def test_one_release_is_approved_until_its_effective_date(today, expected):
    assert revision_states([A, OTHER], "QP-04", today) == expected


@pytest.mark.parametrize("today, expected", [
    (date(2027, 5, 31), {"A": State.EFFECTIVE, "B": State.APPROVED}),
    (date(2027, 6, 1), {"A": State.SUPERSEDED, "B": State.EFFECTIVE}),
    (date(2028, 1, 14), {"A": State.SUPERSEDED, "B": State.EFFECTIVE}),
    (date(2028, 1, 15), {"A": State.OBSOLETE, "B": State.OBSOLETE}),
])
def test_states_through_revision_and_withdrawal(today, expected):
    assert revision_states([A, OTHER, B, WITHDRAWN], "QP-04", today) == expected


def test_a_later_release_supersedes_even_with_an_earlier_effective_date():
    late_a = entry(1, "QP-04", "A", "2027-03-01")
    early_b = entry(2, "QP-04", "B", "2027-01-01")
    assert revision_states([late_a, early_b], "QP-04", date(2027, 2, 1)) == {"A": State.SUPERSEDED, "B": State.EFFECTIVE}


def test_a_release_after_withdrawal_brings_the_document_back():
    c = entry(5, "QP-04", "C", "2028-03-01")
    states = revision_states([A, B, WITHDRAWN, c], "QP-04", date(2028, 6, 1))
    assert states == {"A": State.OBSOLETE, "B": State.OBSOLETE, "C": State.EFFECTIVE}


def test_unknown_document_has_no_revisions():
    assert revision_states([A, B], "QP-99", date(2027, 1, 1)) == {}


# --- document status -------------------------------------------------------------------------

def test_never_released_document_is_a_draft():
    status = document_status([OTHER], "QP-04", "A", "procedure", date(2026, 11, 1))
    assert status.state is State.DRAFT and status.revisions == {"A": State.DRAFT}
    assert status.in_force is None and status.next_review is None and not status.review_overdue
    assert status.withdrawn_on is None and status.retention_until is None


def test_released_b_is_effective_and_a_superseded():
    status = document_status([A, OTHER, B], "QP-04", "B", "procedure", date(2027, 7, 1))
    assert status.state is State.EFFECTIVE
    assert status.revisions == {"A": State.SUPERSEDED, "B": State.EFFECTIVE}
    assert status.in_force == "B" and status.in_force_since == date(2027, 6, 1)
    assert status.next_review == date(2029, 6, 1) and not status.review_overdue


def test_working_draft_next_to_the_revision_in_force():
    status = document_status([A, B], "QP-04", "C", "procedure", date(2027, 7, 1))
    assert status.state is State.DRAFT and status.in_force == "B"
    assert status.revisions == {"A": State.SUPERSEDED, "B": State.EFFECTIVE, "C": State.DRAFT}


def test_periodic_review_interval_per_kind_and_overdue_flag():
    policy = Policy({"default": 24, "work_instruction": 12}, {})
    wi = entry(1, "WI-12-01", "A", "2026-12-01")
    due = document_status([wi], "WI-12-01", "A", "work_instruction", date(2027, 12, 1), policy)
    assert due.next_review == date(2027, 12, 1) and not due.review_overdue
    late = document_status([wi], "WI-12-01", "A", "work_instruction", date(2027, 12, 2), policy)
    assert late.review_overdue
    procedure = document_status([A], "QP-04", "A", "procedure", date(2027, 12, 2), policy)
    assert procedure.next_review == date(2028, 12, 1) and not procedure.review_overdue


def test_approved_revision_waiting_for_its_date():
    status = document_status([A, B], "QP-04", "B", "procedure", date(2027, 5, 1))
    assert status.state is State.APPROVED and status.in_force == "A"
    assert status.next_review == date(2028, 12, 1)


def test_withdrawn_document_shows_reason_and_retention_end():
    policy = Policy({}, {"default": 10, "procedure": 15})
    status = document_status([A, B, WITHDRAWN], "QP-04", "B", "procedure", date(2028, 2, 1), policy)
    assert status.state is State.OBSOLETE and status.in_force is None
    assert status.withdrawn_on == date(2028, 1, 15) and status.withdrawal_reason == "并入QM-01，不再单独发布"
    assert status.retention_until == date(2043, 1, 15)
    assert status.next_review is None and not status.review_overdue


def test_scheduled_withdrawal_is_shown_before_it_takes_effect():
    status = document_status([A, B, WITHDRAWN], "QP-04", "B", "procedure", date(2027, 12, 1))
    assert status.state is State.EFFECTIVE and status.withdrawn_on == date(2028, 1, 15)
    assert status.retention_until == date(2038, 1, 15)


def test_status_as_json():
    status = document_status([A, B, WITHDRAWN], "QP-04", "B", "procedure", date(2028, 2, 1))
    data = json.loads(json.dumps(status.as_dict(), ensure_ascii=False))
    assert data == {
        "document": "QP-04", "revision": "B", "state": "obsolete",
        "revisions": {"A": "obsolete", "B": "obsolete"},
        "in_force": None, "in_force_since": None, "next_review": None, "review_overdue": False,
        "withdrawn_on": "2028-01-15", "withdrawal_reason": "并入QM-01，不再单独发布", "retention_until": "2038-01-15",
        "retention": {"A": "2037-06-01", "B": "2038-01-15"}, "last_review": None,
    }
    live = document_status([A, B], "QP-04", "B", "procedure", date(2027, 7, 1)).as_dict()
    assert live["in_force_since"] == "2027-06-01" and live["next_review"] == "2029-06-01" and live["state"] == "effective"


# --- revision history ------------------------------------------------------------------------

def test_history_rows_from_the_ledger_plus_the_working_draft():
    draft = DraftChange(revision="C", change="第7章增加外来文件控制", effective_date="2028-01-01",
                        prepared_by="张敏", approved_by=None)
    rows = history_rows([A, OTHER, B], "QP-04", draft)
    assert rows == [
        HistoryRow("A", "2026-12-01", "首次发布", "首次发布", "张敏", "王建国", True),
        HistoryRow("B", "2027-06-01", "第5章增加电子签名要求", "CAPA-2027-003：增加电子文件控制", "张敏", "王建国", True),
        HistoryRow("C", "2028-01-01", "第7章增加外来文件控制", None, "张敏", None, False),
    ]


def test_released_working_revision_is_not_listed_twice():
    draft = DraftChange(revision="B", change="edited YAML text", effective_date="2027-06-01",
                        prepared_by="张敏", approved_by="王建国")
    rows = history_rows([A, B], "QP-04", draft)
    assert [(r.revision, r.change) for r in rows] == [("A", "首次发布"), ("B", "第5章增加电子签名要求")]


def test_withdrawals_are_not_revision_rows():
    assert [r.revision for r in history_rows([A, B, WITHDRAWN], "QP-04")] == ["A", "B"]
    assert history_rows([A, B], "QP-99") == []


# --- periodic review -------------------------------------------------------------------------

def review(seq: int, rev: str, day: str, result: str, note: str | None = None) -> LedgerEntry:
    return LedgerEntry(seq=seq, action="review", document="QP-04", revision=rev, timestamp=f"{day}T00:00:00Z",
                       prev=ZERO_HASH, hash=ZERO_HASH, effective_date=day, performed_by="李强", result=result, note=note)


def test_a_review_that_keeps_the_document_restarts_the_interval():
    before = document_status([A], "QP-04", "A", "procedure", date(2028, 11, 1))
    assert before.next_review == date(2028, 12, 1) and before.last_review is None
    kept = document_status([A, review(2, "A", "2028-11-20", "continue", "内容仍适用")], "QP-04", "A", "procedure", date(2028, 12, 2))
    assert kept.next_review == date(2030, 11, 20) and not kept.review_overdue
    assert kept.as_dict()["last_review"] == {"date": "2028-11-20", "by": "李强", "result": "continue", "note": "内容仍适用"}


def test_a_review_that_asks_for_a_revision_leaves_the_due_date():
    entries = [A, review(2, "A", "2027-06-01", "continue"), review(3, "A", "2029-05-20", "revise", "标准更新")]
    status = document_status(entries, "QP-04", "A", "procedure", date(2029, 6, 2))
    assert status.next_review == date(2029, 6, 1) and status.review_overdue and status.last_review.result == "revise"
    # a review of the revision before the one in force does not count for it
    after_b = document_status([A, review(2, "A", "2027-05-01", "continue"), B], "QP-04", "B", "procedure", date(2027, 7, 1))
    assert after_b.next_review == date(2029, 6, 1) and after_b.last_review is None
