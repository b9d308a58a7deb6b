"""Issue 16 walk-through: issued copies, exchange on a new revision, return, destruction, registers,
periodic review and retention, as a document controller runs them (device GMP 2025 Art. 43, 45(4)).

Release QP-04 A → issue copies 1 and 2 → stamped on every page → revise and release B → status lists
copies 1 and 2 to exchange → recall copy 1, issue it again under B, destroy the A copy with a witness
→ distribution and destruction records (docx/pdf/csv) → review `continue` moves the next review →
A has a retention end → a one-year retention rule is exit 2 at its line. Every step is the command
line; the two releases run on a clock set in the past, so the review can come after B took effect.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest
from docx import Document
from pypdf import PdfReader

from dossier.control.ledger import verify_workspace
from dossier.util import clock
from tests.conftest import copy_workspace, pdf_text, run_cli, set_signoffs

A_DAY, B_DAY = datetime(2025, 1, 6, 2, tzinfo=timezone.utc), datetime(2025, 6, 2, 2, tzinfo=timezone.utc)


def _cli(root: Path, *args: str):
    result = run_cli(*args, "-w", str(root))
    assert result.exit_code == 0, (args, result.output)
    return result


def _release_on(root: Path, moment: datetime, reason: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: moment)  # what the release action sees as the time
        return _cli(root, "release", "QP-04", "--approved-by", "王建国", "--reason", reason)


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> dict:
    """The whole walk once (two LibreOffice renderings of QP-04 and the registers); tests read the evidence."""
    root = copy_workspace(tmp_path_factory.mktemp("copies"))
    qp04 = root / "content/QP-04.yaml"
    qp04.write_text(re.sub(r"^effective_date: .*\n", "", qp04.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    set_signoffs(qp04, prepared_by=("张敏", "2024-12-02"), reviewed_by=("李强", "2024-12-05"), approved_by=("王建国", "2024-12-10"))
    evidence: dict = {"root": root}
    _release_on(root, A_DAY, "首次发布")
    evidence["issue"] = _cli(root, "issue", "QP-04", "--copy", "1", "--copy", "2", "--date", "2025-01-08", "--by", "王芳")
    evidence["reissue_while_out"] = run_cli("issue", "QP-04", "--copy", "1", "--by", "王芳", "-w", str(root))
    ledger = (root / "ledger.jsonl").read_bytes()
    evidence["issue_without_by"] = run_cli("issue", "QP-04", "--copy", "3", "--holder", "刘洋", "-w", str(root))
    evidence["recall_without_by"] = run_cli("recall", "QP-04", "--copy", "2", "-w", str(root))
    evidence["ledger_unchanged"] = (root / "ledger.jsonl").read_bytes() == ledger and \
        not (root / "build/copies/QP-04_A_copy3.pdf").exists()
    body = root / "content/QP-04.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n电子文件的发放和回收按本程序执行。\n", encoding="utf-8")
    _cli(root, "revise", "QP-04", "--change", "增加电子文件发放要求")
    set_signoffs(qp04, prepared_by=("张敏", "2025-05-20"), reviewed_by=("李强", "2025-05-26"))
    evidence["release_b"] = _release_on(root, B_DAY, "CAPA-2025-003").output
    evidence["status_b"] = _cli(root, "status", "QP-04").output
    evidence["status_b_json"] = json.loads(_cli(root, "status", "QP-04", "--json").output)
    evidence["table_b"] = _cli(root, "status").output
    _cli(root, "recall", "QP-04", "--copy", "1", "--date", "2025-06-03", "--by", "王芳")
    evidence["reissue"] = _cli(root, "issue", "QP-04", "--copy", "1", "--date", "2025-06-03", "--by", "王芳")
    evidence["destroy"] = _cli(root, "destroy", "QP-04", "--copy", "1", "--by", "王芳", "--witness", "李强", "--date", "2025-06-04")
    registered = run_cli("register", str(root))
    assert registered.exit_code == 0, registered.output
    evidence["before_review"] = json.loads(_cli(root, "status", "QP-04", "--json").output)
    _cli(root, "review", "QP-04", "--by", "李强", "--result", "continue", "--note", "内容仍适用", "--date", "2026-05-20")
    evidence["after_review"] = json.loads(_cli(root, "status", "QP-04", "--json").output)
    evidence["status_end"] = _cli(root, "status", "QP-04").output
    evidence["due"] = _cli(root, "status", "--due", "--today", "2035-06-02").output
    return evidence


def test_copies_1_and_2_are_stamped_on_every_page_of_the_archived_release(walked: dict) -> None:
    root = walked["root"]
    assert "issued copy 1 of QP-04 revision A to 张敏（质量部） on 2025-01-08" in walked["issue"].output
    assert "issued copy 2 of QP-04 revision A to 赵磊（生产部）" in walked["issue"].output  # holders from distribution:
    pages = len(PdfReader(root / "releases/QP-04/A/QP-04.pdf").pages)
    for copy, holder in ((1, "张敏（质量部）"), (2, "赵磊（生产部）")):
        path = root / f"build/copies/QP-04_A_copy{copy}.pdf"
        assert len(PdfReader(path).pages) == pages > 1
        for page in range(1, pages + 1):
            text = _flat(pdf_text(path, page, page))
            assert f"受控文件发放号：0{copy}" in text and f"持有人：{holder}" in text and "版本：A发放日期：2025-01-08" in text, page
    out = walked["reissue_while_out"]
    assert out.exit_code == 2 and "copy 1 of QP-04 is out (revision A, 张敏, issued 2025-01-08): record its return first" in out.output
    assert "issued copy 1 of QP-04 revision A to 张敏（质量部） on 2025-01-08 by 王芳;" in walked["issue"].output


def test_issue_and_recall_name_the_person_who_hands_out_or_collects(walked: dict) -> None:
    """User test: `issue` without --by wrote the git user.name (`Seed 2703cb7a maintainers`) as 发放人."""
    for key in ("issue_without_by", "recall_without_by"):
        result = walked[key]
        assert result.exit_code == 2 and "Missing option '--by'" in result.output, key
    assert walked["ledger_unchanged"]


def test_a_new_revision_lists_the_copies_to_exchange(walked: dict) -> None:
    assert ("released QP-04 revision B (effective 2025-06-02); approved by 王建国 on 2025-06-02 (today), written to "
            "approved_by.date in content/QP-04.yaml; ledger entry 4") in walked["release_b"]
    assert "exchange copy 1 (revision A, 张敏（质量部）): dossier recall QP-04 --copy 1 --by NAME, then dossier issue QP-04 --copy 1 --by NAME" \
        in walked["release_b"]
    assert "exchange copy 2 (revision A, 赵磊（生产部）)" in walked["release_b"]
    lines = walked["status_b"].splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("to exchange:"))
    assert "copy 1 revision A, 张敏（质量部）, issued 2025-01-08" in lines[start]
    assert "copy 2 revision A, 赵磊（生产部）, issued 2025-01-08" in lines[start + 1]
    assert [c["copy"] for c in walked["status_b_json"]["copies_to_recall"]] == [1, 2]
    assert "EXCHANGE-2" in walked["table_b"]
    assert not walked["status_b"].lstrip().startswith("{")  # readable text; JSON only with --json


def test_copy_1_keeps_its_number_under_b_and_the_a_copy_is_destroyed_with_a_witness(walked: dict) -> None:
    root = walked["root"]
    assert "issued copy 1 of QP-04 revision B to 张敏（质量部）" in walked["reissue"].output
    assert (root / "build/copies/QP-04_B_copy1.pdf").is_file()
    assert "destroyed copy 1 of QP-04 revision A on 2025-06-04 by 王芳, witnessed by 李强" in walked["destroy"].output
    assert verify_workspace(root) == []  # every new entry keeps the chain and the copy rules
    entries = [json.loads(line) for line in (root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["action"] for e in entries] == ["release", "issue", "issue", "release", "recall", "issue", "destroy", "review"]
    assert entries[1]["performed_by"] == "王芳" and entries[1]["actor"] and entries[1]["revision"] == "A"
    assert entries[4]["performed_by"] == "王芳"  # 回收人 as given; the actor (who ran the command) is kept apart


def test_distribution_and_destruction_records_show_every_issue_with_its_revision(walked: dict) -> None:
    register = walked["root"] / "build/register"
    with open(register / "distribution.csv", encoding="utf-8-sig", newline="") as handle:
        issued = [(r["版本"], r["发放号"], r["领用人"], r["发放日期"], r["发放人"], r["回收日期"], r["销毁日期"], r["签收"])
                  for r in csv.DictReader(handle)]
    assert issued == [("A", "01", "张敏", "2025-01-08", "王芳", "2025-06-03", "2025-06-04", ""),
                      ("A", "02", "赵磊", "2025-01-08", "王芳", "—", "—", ""),
                      ("B", "01", "张敏", "2025-06-03", "王芳", "—", "—", "")]
    with open(register / "destruction.csv", encoding="utf-8-sig", newline="") as handle:
        destroyed = list(csv.DictReader(handle))
    assert [(r["版本"], r["发放号"], r["销毁日期"], r["销毁人"], r["监销人"], r["销毁原因"]) for r in destroyed] == \
        [("A", "01", "2025-06-04", "王芳", "李强", "换版回收（B版替代）")]
    table = Document(str(register / "distribution.docx")).tables[0]
    assert [c.text for c in table.rows[0].cells][9:12] == ["签收", "回收日期", "回收"]
    assert [c.text for c in table.rows[3].cells][3:5] == ["B", "01"]
    for name, number, title in (("distribution", "QR-04-02", "文件发放回收记录"), ("destruction", "QR-04-05", "文件销毁记录")):
        text = _flat(pdf_text(register / f"{name}.pdf"))
        assert title in text and f"编号：{number}" in text and "批准：" in text and "2025-06-04" in text, name
    master = _flat(pdf_text(register / "master-list.pdf"))
    assert "QP-04" in master and "QP-05" not in master  # controlled documents only: QP-05 is a draft


def test_a_review_that_keeps_the_document_moves_the_next_review(walked: dict) -> None:
    assert walked["before_review"]["next_review"] == "2027-06-02"  # B took effect 2025-06-02, every 24 months
    after = walked["after_review"]
    assert after["next_review"] == "2028-05-20"
    assert after["last_review"] == {"date": "2026-05-20", "by": "李强", "result": "continue", "note": "内容仍适用"}
    assert "last review:          2026-05-20 by 李强: 继续有效 (continue) — 内容仍适用" in walked["status_end"]


def test_superseded_a_has_a_retention_end_and_is_due_then(walked: dict) -> None:
    assert walked["after_review"]["retention"] == {"A": "2035-06-02"}  # 10 years from B taking effect
    assert "A superseded, retain until 2035-06-02" in walked["status_end"]
    assert "QP-04 revision A: archived revision, retention ended 2035-06-02" in walked["due"]


def test_a_retention_rule_of_one_year_is_an_input_error_at_its_line(walked: dict, tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    config = root / "dossier.yaml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines, start=1) if line.startswith("  default: 10"))
    lines[number - 1] = "  default: 1\n"
    config.write_text("".join(lines), encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert f"error: dossier.yaml:{number}: retention_years.default: 1 keeps a revision 1 year, less than the two years " \
           "from release device GMP Art. 45(4) requires (at least 2)" in result.output
