"""Issue 7 end to end: release A, edit, revise, release B, then `dossier diff` and its outputs."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from docx import Document
from lxml import etree

from dossier.actions.diff import change_summary_text
from dossier.actions.init import init_workspace
from dossier.actions.release import release, revise
from dossier.cli.diff import diff_command
from dossier.cli.group import DossierGroup
from tests.conftest import pdf_text, set_signoffs
from tests.redline.test_redline import W, resolved, texts

DOC = "VP-01-01"
YAML = """\
id: VP-01-01
kind: validation_protocol
title: 纯化水系统再确认方案
revision: A
effective_date: "2026-12-01"
department: 质量部
prepared_by: {name: 陈静, date: "2026-11-02"}
reviewed_by: {name: 李强, date: "2026-11-05"}
approved_by: {name: 王建国, date: "2026-11-10"}
change: 首次发布
validation:
  object: 纯化水制备和分配系统 PW-01。
  responsibilities:
    - {department: 质量部, person: 李强, duties: 审核方案和报告}
  environment: 纯化水制备间。
  method: 连续 3 周每日取样检测。
  sampling: 总送水口、总回水口和各使用点。
  acceptance_criteria:
    - 电导率不大于 5.1 μS/cm（25 ℃）
    - 总有机碳不大于 0.50 mg/L
    - 微生物限度不超过 100 CFU/mL
"""
BODY = """\
# 实施安排

本方案由技术部组织实施，质量部负责监督检查和结果评价，设备部负责系统的正常运行和维护。

# 参考文件

- 《中华人民共和国药典》2020 年版
- GB/T 19973.1 医疗器械的灭菌 微生物学方法
- 纯化水系统首次确认报告

# 实施计划

| 日期 | 工作内容 | 责任人 |
|---|---|---|
| 第 1 周 | 每日取样检测 | 何娟 |
| 第 2 周 | 每日取样检测 | 何娟 |
"""
RELEASE_A = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
RELEASE_B = datetime(2026, 12, 15, 8, 0, tzinfo=UTC)


def _cli() -> DossierGroup:
    """The diff command under the dossier error handling, as the main CLI will run it."""
    group = DossierGroup("dossier")
    group.add_command(diff_command)
    return group


def run_diff(*args: str) -> Result:
    """Invoke `dossier diff` in-process."""
    return CliRunner().invoke(_cli(), ["diff", *args], catch_exceptions=False)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_revisions(root: Path) -> Path:
    """A workspace where VP-01-01 was released as A, then edited, revised and released as B."""
    init_workspace(root, "示例医疗科技有限公司", "2026-11-01")
    (root / "content" / f"{DOC}.yaml").write_text(YAML, encoding="utf-8")
    (root / "content" / f"{DOC}.md").write_text(BODY, encoding="utf-8")
    release(root, DOC, "王建国", "首次发布", now=RELEASE_A)
    revise(root, DOC, change="细化微生物限度，增加第 3 周检测")
    yaml_path, body_path = root / "content" / f"{DOC}.yaml", root / "content" / f"{DOC}.md"
    _edit(body_path, "负责监督检查", "负责监督核查")  # one character
    _edit(body_path, "- GB/T 19973.1 医疗器械的灭菌 微生物学方法\n", "")  # a list item
    _edit(body_path, "| 第 2 周 | 每日取样检测 | 何娟 |\n", "| 第 2 周 | 每日取样检测 | 何娟 |\n| 第 3 周 | 每日取样检测 | 张敏 |\n")
    _edit(yaml_path, "不超过 100 CFU/mL", "不超过 50 CFU/mL")  # an acceptance criterion
    set_signoffs(yaml_path, prepared_by=("张敏", "2026-12-10"), reviewed_by=("李强", "2026-12-11"),
                 approved_by=("王建国", "2026-12-12"))  # revise cleared A's sign-off dates and approver
    _edit(yaml_path, 'effective_date: ""', 'effective_date: "2026-12-20"')  # revise cleared A's date
    release(root, DOC, "王建国", "年度再确认", now=RELEASE_B)
    return root


@pytest.fixture(scope="module")
def revisions(tmp_path_factory) -> Path:
    """Released A and B of VP-01-01 (two LibreOffice runs, shared by every test here)."""
    return make_revisions(tmp_path_factory.mktemp("diff"))


@pytest.fixture(scope="module")
def diffed(revisions: Path) -> dict:
    """`dossier diff VP-01-01 --json` run once (A against B, with the PDF)."""
    result = run_diff(DOC, "--json", "-w", str(revisions))
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _document_xml(path: Path) -> etree._Element:
    return etree.fromstring(zipfile.ZipFile(path).read("word/document.xml"))


def _run_changes(root: etree._Element) -> list[tuple[str, str]]:
    """("ins"|"del", text) of every run-level tracked change, in document order."""
    found = []
    for node in root.iter(f"{{{W}}}ins", f"{{{W}}}del"):
        if node.getparent().tag in (f"{{{W}}}rPr", f"{{{W}}}trPr"):
            continue
        kind = etree.QName(node).localname
        found.append((kind, "".join(t.text or "" for t in node.iter(f"{{{W}}}t", f"{{{W}}}delText"))))
    return found


def test_outputs_are_named_from_to(revisions: Path, diffed: dict) -> None:
    assert diffed["outputs"] == {"docx": f"build/diff/{DOC}_A_B.docx", "pdf": f"build/diff/{DOC}_A_B.pdf"}
    assert (revisions / diffed["outputs"]["docx"]).is_file() and (revisions / diffed["outputs"]["pdf"]).is_file()


def test_redline_holds_exactly_the_four_changes_as_ins_and_del(revisions: Path, diffed: dict) -> None:
    root = _document_xml(revisions / diffed["outputs"]["docx"])
    assert _run_changes(root) == [
        ("del", "100"), ("ins", "50"),  # the acceptance criterion, a cell of the 接收准则 table
        ("del", "检"), ("ins", "核"),  # one character in a paragraph
        ("del", "GB/T 19973.1 医疗器械的灭菌 微生物学方法"),  # the list item
        ("ins", "第 3 周"), ("ins", "每日取样检测"), ("ins", "张敏"),  # the new table row, cell by cell
    ]
    rows = [tr for tr in root.iter(f"{{{W}}}tr") if tr.find(f"{{{W}}}trPr/{{{W}}}ins") is not None]
    assert [["".join(tc.itertext()) for tc in tr.findall(f"{{{W}}}tc")] for tr in rows] == [["第 3 周", "每日取样检测", "张敏"]]
    assert not [tr for tr in root.iter(f"{{{W}}}tr") if tr.find(f"{{{W}}}trPr/{{{W}}}del") is not None]
    marks = [(etree.QName(m).localname, "".join(m.getparent().getparent().getparent().itertext()))
             for m in root.iter(f"{{{W}}}ins", f"{{{W}}}del") if m.getparent().tag == f"{{{W}}}rPr"]
    assert marks == [("del", "GB/T 19973.1 医疗器械的灭菌 微生物学方法")]  # the removed item's paragraph mark
    assert not list(root.iter(f"{{{W}}}rPrChange", f"{{{W}}}pPrChange"))


def test_changes_carry_the_revisers_name_and_date(revisions: Path, diffed: dict) -> None:
    root = _document_xml(revisions / diffed["outputs"]["docx"])
    changes = list(root.iter(f"{{{W}}}ins", f"{{{W}}}del"))
    assert {c.get(f"{{{W}}}author") for c in changes} == {"张敏"}
    assert {c.get(f"{{{W}}}date") for c in changes} == {"2026-12-10T00:00:00Z"}
    ids = [c.get(f"{{{W}}}id") for c in changes]
    assert len(ids) == len(set(ids))


def test_accept_all_gives_b_and_reject_all_gives_a(revisions: Path, diffed: dict) -> None:
    data = (revisions / diffed["outputs"]["docx"]).read_bytes()
    b = (revisions / "releases" / DOC / "B" / f"{DOC}.docx").read_bytes()
    a = (revisions / "releases" / DOC / "A" / f"{DOC}.docx").read_bytes()
    assert texts(resolved(data, accept=True)) == texts(resolved(b))
    rejected, older = texts(resolved(data, accept=False)), texts(resolved(a))
    start = rejected.index("1 验证或者确认对象")  # the content; the frame (approval block, history) is B's
    assert rejected[start:] == older[older.index("1 验证或者确认对象"):]


def test_frame_is_revision_b(revisions: Path, diffed: dict) -> None:
    document = Document(str(revisions / diffed["outputs"]["docx"]))
    history = [[c.text for c in row.cells] for table in document.tables for row in table.rows if row.cells[0].text in ("A", "B")]
    assert [row[0] for row in history] == ["A", "B"]
    assert "版本：B" in "".join(p.text for p in document.paragraphs[:3])


def test_json_summary_lists_the_four_changes(diffed: dict) -> None:
    assert diffed["from"] == {"revision": "A", "source": f"releases/{DOC}/A/{DOC}.docx"}
    assert diffed["to"] == {"revision": "B", "source": f"releases/{DOC}/B/{DOC}.docx"}
    assert diffed["author"] == "张敏" and diffed["date"] == "2026-12-10" and diffed["scope"] == "content"
    assert diffed["change"] == "细化微生物限度，增加第 3 周检测"
    paragraphs = diffed["paragraphs"]
    assert [(p["section"], p["diff"]) for p in paragraphs["changed"]] == [
        ("7 实施安排", "…，质量部负责监督[-检-]{+核+}查和结果评价，设…"),
    ]
    assert paragraphs["removed"] == [{"section": "8 参考文件", "text": "GB/T 19973.1 医疗器械的灭菌 微生物学方法"}]
    assert paragraphs["added"] == paragraphs["moved"] == paragraphs["formatted"] == []
    assert diffed["table_rows"] == {
        "added": [{"section": "9 实施计划", "table": "日期 | 工作内容 | 责任人", "cells": ["第 3 周", "每日取样检测", "张敏"]}],
        "removed": [],
        "moved": [],
        "changed": [{"section": "6 接收准则", "table": "编号 | 接收准则 | 测量项目和样品 | 判定方式",  # a free-text criterion row
                     "old": ["3", "微生物限度不超过 100 CFU/mL", "—", "由审核人判定"],
                     "new": ["3", "微生物限度不超过 50 CFU/mL", "—", "由审核人判定"]}],
        "formatted": [],
    }
    fields = {f["field"]: (f["old"], f["new"]) for f in diffed["fields"]["changed"]}
    assert fields.pop("validation.acceptance_criteria[2]") == ("微生物限度不超过 100 CFU/mL", "微生物限度不超过 50 CFU/mL")
    assert fields.pop("effective_date") == ("2026-12-01", "2026-12-20")
    assert set(fields) == {"prepared_by.name", "prepared_by.date", "reviewed_by.date", "approved_by.date"}
    assert diffed["fields"]["added"] == diffed["fields"]["removed"] == []
    assert diffed["sections"] == ["6 接收准则", "7 实施安排", "8 参考文件", "9 实施计划"]


def test_pdf_shows_insertions_and_deletions_in_colour(revisions: Path, diffed: dict) -> None:
    pdf = revisions / diffed["outputs"]["pdf"]
    text = "".join(pdf_text(pdf).split())
    assert "GB/T19973.1医疗器械的灭菌微生物学方法" in text  # the deletion is shown, struck through
    assert "第3周" in text and "监督检核查" in text
    pixels = subprocess.run(["pdftoppm", "-r", "40", str(pdf)], capture_output=True, check=True).stdout
    assert _coloured_pixels(pixels) > 50


def _coloured_pixels(ppm_pages: bytes) -> int:
    """Pixels clearly not grey in binary PPM output (one or more concatenated pages)."""
    count, stream = 0, io.BytesIO(ppm_pages)
    while header := stream.read(2):
        assert header == b"P6"
        fields: list[bytes] = []
        while len(fields) < 3:
            token = b""
            while (char := stream.read(1)).isspace():
                pass
            while not char.isspace():
                token += char
                char = stream.read(1)
            fields.append(token)
        width, height = int(fields[0]), int(fields[1])
        data = stream.read(width * height * 3)
        count += sum(1 for i in range(0, len(data), 3) if max(data[i:i + 3]) - min(data[i:i + 3]) > 60)
    return count


def test_summary_is_printed_for_people(revisions: Path, diffed: dict, tmp_path: Path) -> None:
    result = run_diff(DOC, "--from", "A", "--to", "B", "--no-pdf", "-o", str(tmp_path), "-w", str(revisions))
    assert result.exit_code == 0, result.output
    out = result.output
    assert f"{DOC} 纯化水系统再确认方案: A -> B, changes by 张敏 on 2026-12-10" in out
    assert "paragraph removed [8 参考文件]: GB/T 19973.1" in out
    assert "table row added [9 实施计划] (日期 | 工作内容 | 责任人): 第 3 周 | 每日取样检测 | 张敏" in out
    assert ('  field changed validation.acceptance_criteria[2]: "微生物限度不超过 100 CFU/mL" -> "微生物限度不超过 50 CFU/mL"'
            in out.splitlines())
    assert (tmp_path / f"{DOC}_A_B.docx").read_bytes() == (revisions / diffed["outputs"]["docx"]).read_bytes()
    assert not (tmp_path / f"{DOC}_A_B.pdf").exists()


def test_change_summary_text_for_the_revision_history(revisions: Path) -> None:
    assert change_summary_text(revisions, DOC) == (
        "与A版相比：涉及“6 接收准则”、“7 实施安排”、“8 参考文件”、“9 实施计划”；段落删除1处、修改1处；"
        "表格新增1行、修改1行；字段变更：生效日期、接收准则第3条。"
    )
    assert change_summary_text(revisions, "QP-01") == "首次发布"


@pytest.fixture(scope="module")
def draft_c(revisions: Path, tmp_path_factory) -> Path:
    """B revised into a working draft C: one word made bold, one list item turned numbered."""
    root = tmp_path_factory.mktemp("draft") / "ws"
    shutil.copytree(revisions, root, symlinks=True)
    revise(root, DOC, change="格式调整")
    body = root / "content" / f"{DOC}.md"
    _edit(body, "本方案由技术部组织实施", "本方案由**技术部**组织实施")
    _edit(body, "- 纯化水系统首次确认报告\n", "\n1. 纯化水系统首次确认报告\n")
    return root


def test_working_draft_against_last_release_shows_format_changes(draft_c: Path) -> None:
    result = run_diff(DOC, "--json", "--no-pdf", "--author", "文控员", "-w", str(draft_c))
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["from"]["revision"] == "B" and data["to"] == {"revision": "C", "source": "working draft"}
    assert data["outputs"] == {"docx": f"build/diff/{DOC}_B_working.docx"}
    assert [p["text"] for p in data["paragraphs"]["formatted"]] == [
        "本方案由技术部组织实施，质量部负责监督核查和结果评价，设备部负责系统的正常运行和维护。", "纯化水系统首次确认报告"]
    assert data["counts"]["paragraphs_changed"] == data["counts"]["table_rows_added"] == 0
    root = _document_xml(draft_c / data["outputs"]["docx"])
    assert _run_changes(root) == []
    (run_change,) = root.iter(f"{{{W}}}rPrChange")
    run = run_change.getparent().getparent()
    assert "".join(run.itertext()) == "技术部" and run.find(f"{{{W}}}rPr/{{{W}}}b") is not None
    assert run_change.get(f"{{{W}}}author") == "文控员"
    (paragraph_change,) = root.iter(f"{{{W}}}pPrChange")
    paragraph = paragraph_change.getparent().getparent()
    assert "".join(t.text for t in paragraph.iter(f"{{{W}}}t")) == "纯化水系统首次确认报告"
    assert paragraph_change.find(f"{{{W}}}pPr/{{{W}}}pStyle").get(f"{{{W}}}val") == "ListBullet"
    assert paragraph.find(f"{{{W}}}pPr/{{{W}}}pStyle").get(f"{{{W}}}val") == "ListNumber"


def test_working_draft_named_by_its_revision_gives_the_same_bytes(draft_c: Path, tmp_path: Path) -> None:
    for folder, extra in (("default", ()), ("named", ("--to", "C"))):
        result = run_diff(DOC, *extra, "--no-pdf", "-o", str(tmp_path / folder), "-w", str(draft_c))
        assert result.exit_code == 0, result.output
    name = f"{DOC}_B_working.docx"
    assert (tmp_path / "default" / name).read_bytes() == (tmp_path / "named" / name).read_bytes()


def test_unknown_revision_and_nothing_to_compare_are_usage_errors(revisions: Path) -> None:
    result = run_diff(DOC, "--from", "F", "--no-pdf", "-w", str(revisions))
    assert result.exit_code == 2
    assert f"error: --from F: {DOC} revision F was never released (released: A, B)" in result.output
    result = run_diff("QP-01", "--no-pdf", "-w", str(revisions))
    assert result.exit_code == 2
    assert "error: QP-01: no released revision before the working draft to compare with" in result.output
    result = run_diff(DOC, "--from", "B", "--to", "B", "--no-pdf", "-w", str(revisions))
    assert result.exit_code == 2 and "same revision" in result.output


def test_tampered_archive_is_refused(revisions: Path, tmp_path: Path) -> None:
    root = tmp_path / "ws"
    shutil.copytree(revisions, root, symlinks=True)
    archived = root / "releases" / DOC / "A" / f"{DOC}.docx"
    archived.chmod(0o644)
    archived.write_bytes(archived.read_bytes() + b"\0")
    result = run_diff(DOC, "--no-pdf", "-w", str(root))
    assert result.exit_code == 1
    assert f"releases/{DOC}/A/{DOC}.docx: SHA-256 differs from ledger entry" in result.output
