"""The external-document register (Art. 44): its grammar, citations of its entries, review flags for superseded ones."""

from __future__ import annotations

import json
from pathlib import Path

from docx import Document

from tests.conftest import copy_workspace, run_cli

REGISTER = """documents:
  - key: 公告2025年第107号
    number: 国家药监局公告2025年第107号
    title: 医疗器械生产质量管理规范
    type: 规范性文件
    effective: "2026-11-01"
  - key: 公告2014年第64号
    number: 原国家食品药品监督管理总局公告2014年第64号
    title: 医疗器械生产质量管理规范
    status: {status}
    replaced_by: 公告2025年第107号
  - number: GB/T 42061-2022
    title: 医疗器械 质量管理体系 用于法规的要求
    type: 国家标准
"""


def workspace(root: Path, status: str = "current", body: str = "") -> Path:
    assert run_cli("init", str(root)).exit_code == 0
    (root / "external.yaml").write_text(REGISTER.format(status=status), encoding="utf-8")
    if body:
        path = root / "content" / "QP-01.md"
        path.write_text(path.read_text(encoding="utf-8") + body, encoding="utf-8")
    return root


def errors(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("error:")]


def test_citations_of_external_documents_render_their_number_and_title(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", body="\n依据[[公告2025年第107号]]，参照[[ GB/T 42061-2022 ]]；代码 `[[无此文件]]` 不是引用。\n")
    result = run_cli("build", str(root), "--only", "QP-01", "--format", "docx")
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(root / "build" / "QP-01.docx")).paragraphs)
    assert ("依据《医疗器械生产质量管理规范》（国家药监局公告2025年第107号），参照GB/T 42061-2022《医疗器械 质量管理体系 "
            "用于法规的要求》；代码 [[无此文件]] 不是引用。") in text


def test_an_unknown_key_is_an_input_error_naming_the_register(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", body="\n参照[[GB/T 19001-2016]]和[[QP-99]]。\n")
    found = errors(run_cli("check", str(root)))
    assert any(e.endswith("body: cites GB/T 19001-2016, which is neither a document nor a key of the external-document register "
                          "(external.yaml)") for e in found), found
    assert any(e.endswith("body: cites unknown document QP-99") for e in found), found


def test_register_mistakes_are_located(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws")
    (root / "external.yaml").write_text(
        "documents:\n"
        "  - {number: A-1, title: 甲, status: obsolete}\n"
        "  - {number: B-1, title: 乙, status: superseded}\n"
        "  - {number: C-1, title: 丙, replaced_by: Z-9, type: 企业标准, issued: 2020}\n"
        "  - {number: A-1, title: 甲二}\n"
        "  - {title: 无编号}\n", encoding="utf-8")
    found = errors(run_cli("check", str(root)))
    expected = [
        "external.yaml:2: documents[1].status: expected one of current, superseded, withdrawn, got 'obsolete'",
        "external.yaml:3: documents[2].replaced_by: is required when status is superseded",
        "external.yaml:4: documents[3].replaced_by: 'Z-9' is not a key of the register",
        "external.yaml:4: documents[3].type: expected one of 法律、行政法规、部门规章",
        "external.yaml:4: documents[3].issued: unknown field",
        "external.yaml:5: documents[4].key: A-1 is already in the register (line 2)",
        "external.yaml:6: documents[5].number: is required",
    ]
    for text in expected:
        assert any(text in line for line in found), (text, found)


def test_a_superseded_external_document_flags_every_document_citing_it(tmp_path: Path) -> None:
    root = copy_workspace(tmp_path / "ws")
    for doc_id in ("QP-04", "QP-27"):
        body = root / "content" / f"{doc_id}.md"
        body.write_text(body.read_text(encoding="utf-8") + "\n原规范：[[公告2014年第64号]]。\n", encoding="utf-8")
    status = run_cli("status", "-w", str(root), "--json")
    warnings = json.loads(status.stdout)["warnings"]
    expected = [f"{doc_id} cites 公告2014年第64号, superseded by 公告2025年第107号 on 2026-11-01: review {doc_id}" for doc_id in ("QP-04", "QP-27")]
    assert [w for w in warnings if "公告2014年第64号" in w] == expected
    rows = {row["id"]: row for row in json.loads(status.stdout)["documents"]}
    assert rows["QP-04"]["outdated_references"] == expected[:1] and rows["QP-05"]["outdated_references"] == []
    table = run_cli("status", "-w", str(root)).stdout
    assert "OUTDATED-REF" in next(line for line in table.splitlines() if line.startswith("QP-04 "))
    assert f"warning: {expected[1]}" in table
    check = run_cli("check", str(root))
    assert check.exit_code == 0 and f"warning: content/QP-27.yaml: {expected[1]}" in check.stderr
    register = root / "external.yaml"
    register.write_text(register.read_text(encoding="utf-8").replace(
        "    effective: \"2015-03-01\"\n    status: superseded", "    effective: \"2015-03-01\"\n    status: current"), encoding="utf-8")
    assert "公告2014年第64号" not in run_cli("check", str(root)).stderr


def test_a_withdrawn_one_is_flagged_too(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", status="withdrawn", body="\n旧规范[[公告2014年第64号]]。\n")
    check = run_cli("check", str(root))
    assert check.exit_code == 0
    assert ("warning: content/QP-01.yaml: QP-01 cites 公告2014年第64号, withdrawn, replaced by 公告2025年第107号: review QP-01"
            in check.stderr)


def test_a_superseded_entry_without_replacement_is_one_error_and_no_garbled_review_note(tmp_path: Path) -> None:
    root = workspace(tmp_path / "ws", body="\n原规范：[[公告2014年第64号]]。\n")
    register = root / "external.yaml"
    register.write_text(REGISTER.format(status="superseded").replace("    replaced_by: 公告2025年第107号\n", ""), encoding="utf-8")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert errors(result) == ["error: external.yaml:7: documents[2].replaced_by: is required when status is superseded "
                              "(the key of the document that replaces it)"]
    assert "superseded by :" not in result.output and "superseded by  " not in result.output
    notes = [line for line in result.output.splitlines() if "cites 公告2014年第64号" in line]
    assert notes == ["warning: content/QP-01.yaml: QP-01 cites 公告2014年第64号, superseded: review QP-01"]
