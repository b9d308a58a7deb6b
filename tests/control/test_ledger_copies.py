"""Issued copies and reviews in the ledger: the entries, their rules on append and under verify."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.control.ledger import Ledger
from dossier.control.ledger.copies import copy_book
from dossier.errors import UsageError
from tests.control.test_ledger import lines_of, release, rewrite


def _copy(led: Ledger, action: str, rev: str, copy: int, day: str = "2026-12-02", **extra):
    fields = {"holder": "张敏", "department": "质量部"} if action == "issue" else {}
    fields.update(extra)
    return led.append(action=action, document="QP-04", revision=rev, timestamp=f"{day}T08:00:00Z",
                      effective_date=day, copy=copy, performed_by="文控员王芳", **fields)


@pytest.fixture
def led(tmp_path: Path) -> Ledger:
    ledger = Ledger(tmp_path / "ledger.jsonl")
    release(ledger, "QP-04", "A", 1)
    return ledger


def test_a_copy_is_issued_returned_issued_again_under_b_and_the_old_one_destroyed(led: Ledger) -> None:
    _copy(led, "issue", "A", 1)
    _copy(led, "issue", "A", 2, holder="赵磊", department="生产部")
    release(led, "QP-04", "B", 3)
    _copy(led, "recall", "A", 1, day="2026-12-05")
    _copy(led, "issue", "B", 1, day="2026-12-05")
    _copy(led, "destroy", "A", 1, day="2026-12-06", witness="李强")
    assert led.verify() == []
    book = copy_book(led.entries(), "QP-04")
    assert [(i.copy, i.revision, i.out) for i in book.issues] == [(1, "A", False), (2, "A", True), (1, "B", True)]
    first = book.issues[0]
    assert (str(first.returned_on), str(first.destroyed_on), first.witness, first.destroyed_by) == \
        ("2026-12-05", "2026-12-06", "李强", "文控员王芳")
    record = json.loads(lines_of(led)[-1])
    assert record["action"] == "destroy" and record["copy"] == 1 and record["witness"] == "李强"
    assert record["actor"] and record["tool"].startswith("dossier ")


@pytest.mark.parametrize("steps, message", [
    ([("issue", "A", 1), ("issue", "A", 1)], "copy 1 of QP-04 is out (revision A, 张敏, issued 2026-12-02): it must be returned first"),
    ([("issue", "B", 1)], "copy 1 of QP-04 revision B cannot be issued: it was never released"),
    ([("recall", "A", 3)], "copy 3 of QP-04 revision A cannot be returned: it is not out"),
    ([("issue", "A", 1), ("destroy", "A", 1)], "copy 1 of QP-04 revision A cannot be destroyed: it is still out"),
    ([("destroy", "A", 2)], "cannot be destroyed: no returned copy of that revision awaits destruction"),
])
def test_append_refuses_what_the_records_cannot_show(led: Ledger, steps: list, message: str) -> None:
    *before, last = steps
    for step in before:
        _copy(led, *step)
    with pytest.raises(UsageError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _copy(led, *last)


def test_a_superseded_or_withdrawn_revision_cannot_be_issued_or_reviewed(led: Ledger) -> None:
    release(led, "QP-04", "B", 2)
    with pytest.raises(UsageError, match="revision A cannot be issued: revision B replaced it"):
        _copy(led, "issue", "A", 1)
    led.append(action="obsolete", document="QP-04", revision="B", timestamp="2026-12-03T08:00:00Z",
               effective_date="2026-12-03", reason="并入QM-01")
    with pytest.raises(UsageError, match="cannot be issued: it is withdrawn"):
        _copy(led, "issue", "B", 1)
    with pytest.raises(UsageError, match="QP-04 cannot be reviewed: it is withdrawn"):
        led.append(action="review", document="QP-04", revision="B", timestamp="2026-12-04T08:00:00Z",
                   effective_date="2026-12-04", performed_by="李强", result="continue")


def test_a_review_needs_a_known_result(led: Ledger) -> None:
    with pytest.raises(UsageError, match="result must be one of continue, revise, withdraw"):
        led.append(action="review", document="QP-04", revision="A", timestamp="2026-12-04T08:00:00Z",
                   effective_date="2026-12-04", performed_by="李强", result="ok")
    entry = led.append(action="review", document="QP-04", revision="A", timestamp="2026-12-04T08:00:00Z",
                       effective_date="2026-12-04", performed_by="李强", result="continue", note="内容仍适用")
    assert entry.describe() == "entry 2 (periodic review of QP-04 revision A)"


def test_verify_names_a_forged_destruction_of_a_copy_never_returned(led: Ledger, tmp_path: Path) -> None:
    _copy(led, "issue", "A", 1)
    other = Ledger(tmp_path / "forged.jsonl")
    # a hand-made destruction entry with a correct hash: the chain holds, the copy rule does not
    from dossier.control.archive import sha256_bytes
    from dossier.control.ledger.entry import canonical_json

    last = json.loads(lines_of(led)[-1])
    forged = {"seq": 3, "action": "destroy", "document": "QP-04", "revision": "A", "copy": 1, "performed_by": "某人",
              "effective_date": "2026-12-03", "timestamp": "2026-12-03T08:00:00Z", "prev": last["hash"]}
    forged["hash"] = sha256_bytes(canonical_json(forged))
    problems = rewrite(other, [*lines_of(led), json.dumps(forged, ensure_ascii=False) + "\n"])
    assert problems == ["forged.jsonl line 3: entry 3 (destruction of a copy of QP-04 revision A) breaks a copy rule: "
                        "copy 1 of QP-04 revision A cannot be destroyed: it is still out: record its return first"]
