"""Issue 3 walk-through: release, edit, revise, release again, status, archive, ledger tamper."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from docx import Document

from dossier.control.ledger import verify_workspace
from tests.conftest import pdf_text, run_cli, set_signoffs, workspace_today


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> dict:
    """Runs the whole walk-through once; tests then inspect each step's evidence."""
    root = tmp_path_factory.mktemp("control")
    assert run_cli("init", str(root)).exit_code == 0
    evidence: dict = {"root": root}
    first = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布", "-w", str(root))
    assert first.exit_code == 0, first.output
    evidence["a_pdf"] = (root / "releases/QP-01/A/QP-01.pdf").read_bytes()
    body = root / "content/QP-01.md"
    body.write_text(body.read_text(encoding="utf-8").replace("编制、审核", "编写、审核"), encoding="utf-8")
    evidence["check_after_edit"] = run_cli("check", str(root))
    evidence["release_again"] = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "再次", "-w", str(root))
    revised = run_cli("revise", "QP-01", "--change", "术语“编制”改为“编写”", "-w", str(root))
    assert revised.exit_code == 0, revised.output
    evidence["release_unsigned_off"] = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r", "-w", str(root))
    today = workspace_today(root)
    set_signoffs(root / "content/QP-01.yaml", prepared_by=("编制人", today), reviewed_by=("审核人", today))
    second = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "与GB/T 19001术语一致", "-w", str(root))
    assert second.exit_code == 0, second.output
    evidence["status"] = json.loads(run_cli("status", "--json", "-w", str(root)).output)
    evidence["status_one"] = json.loads(run_cli("status", "QP-01", "--json", "-w", str(root)).output)
    return evidence


def test_editing_a_released_revision_fails_check(walked: dict) -> None:
    result = walked["check_after_edit"]
    assert result.exit_code == 2
    assert ("error: content/QP-01.yaml:4: revision: QP-01 changed since release A (body content/QP-01.md); "
            "start revision B (dossier revise QP-01)") in result.output


def test_release_refused_until_the_new_revision_is_prepared_and_reviewed(walked: dict) -> None:
    result = walked["release_unsigned_off"]
    assert result.exit_code == 2
    assert "error: content/QP-01.yaml:7: prepared_by.date: required before release" in result.output
    assert "error: content/QP-01.yaml:8: reviewed_by.date: required before release" in result.output


def test_release_refused_while_check_fails(walked: dict) -> None:
    assert walked["release_again"].exit_code == 2
    assert "changed since release A" in walked["release_again"].output


def test_revision_b_shows_history_rows_a_and_b_with_reason(walked: dict) -> None:
    root = walked["root"]
    document = Document(str(root / "releases/QP-01/B/QP-01.docx"))
    history = max(document.tables, key=lambda t: "修订原因" in t.rows[0].cells[3].text if len(t.columns) > 3 else False)
    rows = [[c.text for c in r.cells] for r in history.rows[1:]]
    assert [r[0] for r in rows] == ["A", "B"]
    assert rows[0][3] == "首次发布" and rows[1][3] == "与GB/T 19001术语一致"
    assert rows[1][2] == "术语“编制”改为“编写”"
    text = _flat(pdf_text(root / "releases/QP-01/B/QP-01.pdf"))
    assert "与GB/T19001术语一致" in text and "受控" in text


def test_status_shows_b_effective_a_superseded(walked: dict) -> None:
    row = next(r for r in walked["status"]["documents"] if r["id"] == "QP-01")
    assert row["revision"] == "B" and row["state"] == "effective" and row["in_force"] == "B"
    assert row["revisions"] == {"A": "superseded", "B": "effective"}
    assert row["next_review"] is not None and row["changed_since_release"] is False
    assert walked["status_one"]["cited_by"] == ["QR-01-01"]


def test_archived_a_is_unchanged_and_read_only(walked: dict) -> None:
    path = walked["root"] / "releases/QP-01/A/QP-01.pdf"
    assert path.read_bytes() == walked["a_pdf"]
    assert path.stat().st_mode & 0o222 == 0


def test_rebuilding_released_revision_reproduces_archive(walked: dict) -> None:
    root = walked["root"]
    assert run_cli("build", str(root), "--only", "QP-01").exit_code == 0
    for suffix in ("docx", "pdf"):
        assert (root / f"build/QP-01.{suffix}").read_bytes() == (root / f"releases/QP-01/B/QP-01.{suffix}").read_bytes()


def test_draft_is_watermarked_and_marked(walked: dict) -> None:
    root = walked["root"]
    assert run_cli("build", str(root), "--only", "QR-01-01", "--format", "docx").exit_code == 0
    document = Document(str(root / "build/QR-01-01.docx"))
    header = document.sections[0].header._element.xml
    assert 'string="草稿"' in header
    footer = " ".join(p.text for p in document.sections[0].footer.paragraphs)
    assert "草稿" in footer


def test_superseded_revision_renders_void(walked: dict, tmp_path: Path) -> None:
    """Rendering revision A again (from its archived sources) marks it 作废."""
    from dossier.control.controls import document_controls, ledger_of
    from dossier.control.lifecycle import State
    from dossier.pipeline.load import load_checked

    ws = load_checked(walked["root"])
    doc = ws.documents["QP-01"]
    doc.revision = "A"
    controls = document_controls(ws, doc, ledger_of(ws).entries(), ws.config.today())  # B took effect today, workspace time
    assert controls.state is State.SUPERSEDED and controls.watermark == "作废" and controls.mark == "作废"


def test_register_lists_the_controlled_documents_and_the_drafts_apart(walked: dict) -> None:
    root = walked["root"]
    result = run_cli("register", str(root), "--drafts")
    assert result.exit_code == 0, result.output
    with open(root / "build/register/master-list.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {(r["文件编号"], r["现行版本"], r["状态"]) for r in rows} == {("QP-01", "B", "现行有效")}
    text = _flat(pdf_text(root / "build/register/master-list.pdf"))
    assert "受控文件清单" in text and "QP-01" in text and "第1页共1页" in text and "编号：DC-ML" in text
    with open(root / "build/register/drafts.csv", encoding="utf-8-sig", newline="") as handle:
        drafts = list(csv.DictReader(handle))
    assert [(r["文件编号"], r["草稿版本"], r["现行版本"]) for r in drafts] == [("QR-01-01", "A", "—")]
    with open(root / "build/register/distribution.csv", encoding="utf-8-sig", newline="") as handle:
        assert list(csv.DictReader(handle)) == []  # nothing issued yet


def test_editing_one_character_of_old_ledger_entry_fails_verify(walked: dict, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "ws"
    shutil.copytree(walked["root"], copy)
    assert verify_workspace(copy) == []
    ledger = copy / "ledger.jsonl"
    lines = ledger.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[0] = lines[0].replace("王建国", "王建民")
    ledger.write_text("".join(lines), encoding="utf-8")
    problems = verify_workspace(copy)
    assert problems and "line 1" in problems[0] and "QP-01 revision A" in problems[0]


def test_obsolete_shows_retention_end(walked: dict, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "ws"
    shutil.copytree(walked["root"], copy)
    assert run_cli("issue", "QP-01", "--copy", "1", "--by", "王芳", "-w", str(copy)).exit_code == 0
    yaml_file = copy / "content/QP-01.yaml"  # and a copy recorded the way earlier versions did, in the YAML
    with yaml_file.open("a", encoding="utf-8") as handle:
        handle.write('  - {copy: 2, holder: 赵磊, department: 生产部, issued: "2026-01-05"}\n')
    result = run_cli("obsolete", "QP-01", "--reason", "合并至QP-02", "--approved-by", "王建国", "-w", str(copy))
    assert result.exit_code == 0, result.output
    row = json.loads(run_cli("status", "QP-01", "--json", "-w", str(copy)).output)
    assert row["state"] == "obsolete" and row["withdrawal_reason"] == "合并至QP-02"
    assert row["retention_until"] is not None and set(row["retention"]) == {"A", "B"}
    # the issued copies must come back (Art. 43): named on withdrawal, flagged until their return is recorded
    assert "recall copy 1 (revision B) from 编制人（质量部）" in result.output and "then dossier recall QP-01 --copy 1" in result.output
    assert "recall copy 2 (revision A) from 赵磊（生产部）, issued 2026-01-05; then record its withdrawn: date in content/QP-01.yaml" \
        in result.output
    assert [c["copy"] for c in row["copies_to_recall"]] == [2, 1]
    assert "RECALL-2" in run_cli("status", "-w", str(copy)).output
    assert run_cli("recall", "QP-01", "--copy", "1", "--by", "王芳", "-w", str(copy)).exit_code == 0
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace('issued: "2026-01-05"}', 'issued: "2026-01-05", withdrawn: "2026-01-06"}'), encoding="utf-8")
    assert json.loads(run_cli("status", "QP-01", "--json", "-w", str(copy)).output)["copies_to_recall"] == []


def test_release_order_and_distribution_records(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    yaml_file = root / "content/QP-01.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("revision: A", "revision: C"), encoding="utf-8")
    skipped = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r", "-w", str(root))
    assert skipped.exit_code == 2 and "the first release of QP-01 is revision A, not C" in skipped.output
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("revision: C", "revision: A"), encoding="utf-8")
    assert run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r", "-w", str(root)).exit_code == 0
    # planning another controlled copy is a control record, not a change of the released text
    with yaml_file.open("a", encoding="utf-8") as handle:
        handle.write('  - {copy: 2, holder: 赵磊, department: 生产部}\n')
    assert run_cli("check", str(root)).exit_code == 0
    assert run_cli("revise", "QP-01", "-w", str(root)).exit_code == 0
    unchanged = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r2", "-w", str(root))
    assert unchanged.exit_code == 2 and "change: describe what revision B changes" in unchanged.output


def test_docx_only_build_removes_the_stale_pdf(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    assert run_cli("build", str(root), "--only", "QP-01").exit_code == 0
    body = root / "content/QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n新增段落。\n", encoding="utf-8")
    assert run_cli("build", str(root), "--only", "QP-01", "--format", "docx").exit_code == 0
    assert not (root / "build/QP-01.pdf").exists()
    manifest = json.loads((root / "build/manifest.json").read_text(encoding="utf-8"))
    assert [o["path"] for d in manifest["documents"] for o in d["outputs"]] == ["build/QP-01.docx"]


def test_release_attaches_the_diff_summary_to_the_history(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    assert run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布", "-w", str(root)).exit_code == 0
    body = root / "content/QP-01.md"
    body.write_text(body.read_text(encoding="utf-8").replace("编制、审核", "编写、审核"), encoding="utf-8")
    assert run_cli("revise", "QP-01", "--change", "术语统一", "-w", str(root)).exit_code == 0
    today = workspace_today(root)
    set_signoffs(root / "content/QP-01.yaml", prepared_by=("编制人", today), reviewed_by=("审核人", today))
    result = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "r2", "--diff-summary", "-w", str(root))
    assert result.exit_code == 0, result.output
    entry = json.loads((root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["change_summary"] == "术语统一（与A版相比：涉及“1 目的”；段落修改1处。）"
    document = Document(str(root / "releases/QP-01/B/QP-01.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert entry["change_summary"] in cells


def test_revise_clears_the_date_and_release_writes_the_new_one(tmp_path: Path) -> None:

    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    yaml_file = root / "content/QP-01.yaml"
    assert run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布", "-w", str(root)).exit_code == 0
    assert run_cli("revise", "QP-01", "--change", "增加电子发放", "-w", str(root)).exit_code == 0
    today = workspace_today(root)
    set_signoffs(yaml_file, prepared_by=("编制人", today), reviewed_by=("审核人", today))
    text = yaml_file.read_text(encoding="utf-8")
    assert 'effective_date: ""' in text and 'revision: "B"' in text and 'change: "增加电子发放"' in text
    assert run_cli("build", str(root), "--only", "QP-01", "--format", "docx").exit_code == 0
    header = [c.text for t in Document(str(root / "build/QP-01.docx")).sections[0].header.tables for r in t.rows for c in r.cells]
    assert header[header.index("生效日期") + 1] == "—"  # a draft has no effective date yet, not revision A's
    # a release that fails leaves the YAML as it was
    failed = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "CAPA-01", "--sign", "nosuch", "-w", str(root))
    assert failed.exit_code == 2 and yaml_file.read_text(encoding="utf-8") == text
    released = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "CAPA-01", "-w", str(root))
    assert released.exit_code == 0, released.output  # dated today without --effective
    assert f'effective_date: "{today}"' in yaml_file.read_text(encoding="utf-8")
    assert f'effective_date: "{today}"' in (root / "releases/QP-01/B/QP-01.yaml").read_text(encoding="utf-8")
    entry = json.loads((root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert entry["effective_date"] == today
    assert run_cli("check", str(root)).exit_code == 0  # the written date is part of revision B as released


def test_a_failure_after_the_ledger_entry_keeps_the_released_date(tmp_path: Path, monkeypatch) -> None:
    from datetime import date, timedelta

    import dossier.actions.release as releasing

    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    later = (date.fromisoformat(workspace_today(root)) + timedelta(days=30)).isoformat()

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(releasing, "write_outputs", full_disk)
    with pytest.raises(OSError):
        releasing.release(root, "QP-01", "王建国", "首次发布", effective=date.fromisoformat(later))
    # the release happened (ledger entry, archive); the YAML says what was released
    assert json.loads((root / "ledger.jsonl").read_text(encoding="utf-8").splitlines()[-1])["effective_date"] == later
    assert f'effective_date: "{later}"' in (root / "content/QP-01.yaml").read_text(encoding="utf-8")
    monkeypatch.undo()
    assert run_cli("check", str(root)).exit_code == 0
