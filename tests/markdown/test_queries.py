"""What bodies refer to: citations of documents and external documents, numbers in the prose, spots to fill in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dossier.markdown import citations, fenced_blocks, prose_lines
from dossier.markdown.queries import number_pattern, open_spots, plain_numbers
from dossier.workspace.model import Document
from tests.conftest import run_cli


def test_citations_take_document_ids_and_external_keys() -> None:
    md = "按[[QP-04]]、[[GB/T 42061-2022]]、[[ 公告2025年第107号 ]]和[[中国药典2025年版]]。\n\n`[[QP-09]]` [[]] [[ ]] [[a\nb]]\n"
    assert citations(md) == [(0, "QP-04"), (0, "GB/T 42061-2022"), (0, "公告2025年第107号"), (0, "中国药典2025年版")]


def test_fenced_blocks_by_info_string() -> None:
    md = "正文\n\n```{coverage}\nshow: not_applicable\n```\n\n```python\nx = 1\n```\n"
    assert fenced_blocks(md, "{coverage}") == [(2, "show: not_applicable\n")]
    assert fenced_blocks(md, "{other}") == []


def test_prose_leaves_out_code_and_citations() -> None:
    assert prose_lines("见QP-09和[[QP-10]]。\n") == [(0, "见QP-09和 。")]
    assert prose_lines("见 QP-09 和 `QP-10`\n\n```\nQP-11\n```\n") == [(0, "见 QP-09 和 ")]


def _doc(body: str) -> Document:
    return Document("QP-01", "procedure", "标题", "A", Path("content/QP-01.yaml"), "content/QP-01.yaml", body=body,
                    body_source="content/QP-01.md")


def test_plain_document_numbers_in_the_prose() -> None:
    pattern = number_pattern((r"QP-\d{2}", r"QR-\d{2}-\d{2}", r"WI-\d{2}-\d{2}"))
    body = "按QP-09执行，填写QR-09-01；QP-041 与 XQP-09、QP-09-3 不是编号。\n\n`QP-10` [[QP-11]]\n\n见 WI-13-01。\n"
    assert plain_numbers(_doc(body), pattern) == [(1, "QP-09"), (1, "QR-09-01"), (5, "WI-13-01")]


def test_open_spots_are_found_in_the_yaml_and_the_body(tmp_path: Path) -> None:
    (tmp_path / "QP-01.yaml").write_text("id: QP-01\nvalidation:\n  object: 【请根据本企业实际填写：设备编号】\n", encoding="utf-8")
    doc = Document("QP-01", "procedure", "标题", "A", tmp_path / "QP-01.yaml", "content/QP-01.yaml",
                   body="第一行\n【请确认：默认每年一次】和【请根据本企业实际填写：面积】\n【注意】不是待填项\n", body_source="content/QP-01.md")
    assert [(s.path, s.line, s.text) for s in open_spots(doc)] == [
        ("content/QP-01.yaml", 3, "请根据本企业实际填写：设备编号"),
        ("content/QP-01.md", 2, "请确认：默认每年一次"),
        ("content/QP-01.md", 2, "请根据本企业实际填写：面积"),
    ]



def test_an_open_spot_may_wrap_over_lines_and_hold_brackets_but_not_span_paragraphs(tmp_path: Path) -> None:
    body = ("跨行【请确认：默认\n  10 年】结束。\n\n【请确认：嵌套【内层】说明】\n\n"
            "【请确认：未闭合\n\n下一段】\r\n【请根据本企业实际填写：末行】\n")
    doc = Document("QP-01", "procedure", "标题", "A", tmp_path / "QP-01.yaml", "content/QP-01.yaml", body=body,
                   body_source="content/QP-01.md")
    assert [(s.line, s.text) for s in open_spots(doc)] == [
        (1, "请确认：默认 10 年"), (4, "请确认：嵌套【内层】说明"), (9, "请根据本企业实际填写：末行")]


def test_an_open_spot_ends_with_its_block_and_is_not_one_inside_code() -> None:
    body = ("- 【请确认：列表项未闭合\n- 下一项】\n\n"
            "| 【请确认：表格未闭合 | 甲 |\n|---|---|\n| 乙】 | 丙 |\n\n"
            "## 【请确认：标题未闭合\n正文】\n\n"
            "段落【请确认：未闭合\n```\n代码】\n```\n\n"
            "```\n【请确认：代码块中的示例】\n```\n\n"
            "写作 `【请确认：行内代码】` 的示例；【请确认：外层【内层\n跨行】说明】\n"
            "- 列表项【请确认：续行\n  仍属本项】\n")
    assert [(s.line, s.text) for s in open_spots(_doc(body))] == [
        (20, "请确认：外层【内层跨行】说明"), (22, "请确认：续行仍属本项")]


def test_an_open_spot_in_yaml_does_not_run_into_the_next_key_or_comment(tmp_path: Path) -> None:
    (tmp_path / "QP-01.yaml").write_text(
        "id: QP-01\ntitle: 【请确认：未闭合\nkind: procedure】\n# 【请确认：注释未闭合\n"
        "purpose: >-\n  【请根据本企业实际填写：\n  折行的值】\nowner: 质量部  # 【请确认：注释不印出】\n", encoding="utf-8")
    doc = Document("QP-01", "procedure", "标题", "A", tmp_path / "QP-01.yaml", "content/QP-01.yaml", body="")
    assert [(s.line, s.text) for s in open_spots(doc)] == [(6, "请根据本企业实际填写：折行的值")]


@pytest.mark.parametrize(("body", "expected"), [
    ("# 目的\n\n```命令``` 后面【请确认：一】\n\n第二段【请确认：二】\n", [(3, "请确认：一"), (5, "请确认：二")]),  # not a fence
    ("> 引用【请确认：第一行\n> 第二行】结束\n", [(1, "请确认：第一行第二行")]),
    ("- 项\n\n  > 内【请确认：内\n  > 续】\n", [(3, "请确认：内续")]),
    ("转义 \\`【请确认：转义】\\`\n", [(1, "请确认：转义")]),  # escaped backticks open no code span
    ("说明【请确认：参见\nNote: 英文说明】\n", [(1, "请确认：参见 Note: 英文说明")]),  # Latin text wraps with a space
    ("段落【请确认：数量\n10) 项】\n", [(1, "请确认：数量 10) 项")]),  # only "1)" starts a list inside a paragraph
    ("a | b\n--- | ---\n【请确认：无前导竖线 | x\ny | z】\n", []),  # two rows of a table
    ("跨行 `a\n【请确认：行内跨行】` 完\n", []),  # inside a code span wrapped over lines
    ("见[[QP-09]]【请确认：按[[QP-10]]执行】\n", [(1, "请确认：按[[QP-10]]执行")]),
])
def test_open_spots_are_what_the_page_prints(body: str, expected: list) -> None:
    assert [(s.line, s.text) for s in open_spots(_doc(body))] == expected


def test_yaml_values_are_read_as_yaml_prints_them(tmp_path: Path) -> None:
    (tmp_path / "QP-01.yaml").write_text(
        "id: QP-01\ntitle: Company's 文件控制程序 # 【请确认：撇号行注释】\n"
        "reviewed_by: {name: \"审核人\", date: \"2026-12-01\"} # 【请确认：注释2】\n"
        "body: |\n  # 目的\n\n  规定【请确认：正文】要求。\ndepartment: 质量部【请确认：紧随正文的键】\n"
        "change: |\n  首次发布\n  # 【请确认：块内井号】\n  说明: 【请确认：块内冒号\n  续行】\n", encoding="utf-8")
    doc = Document("QP-01", "procedure", "标题", "A", tmp_path / "QP-01.yaml", "content/QP-01.yaml",
                   body="# 目的\n\n规定【请确认：正文】要求。\n", body_source="content/QP-01.yaml", body_line_offset=4)
    assert [(s.line, s.text) for s in open_spots(doc)] == [
        (7, "请确认：正文"), (8, "请确认：紧随正文的键"), (11, "请确认：块内井号"), (12, "请确认：块内冒号续行")]
    doc.source.write_text('id: QP-01\nbody: "# 目的\\n\\n规定【请确认：引号正文】要求。"\ndepartment: 质量部【请确认：下一键】\n',
                          encoding="utf-8")
    quoted = Document("QP-01", "procedure", "标题", "A", doc.source, "content/QP-01.yaml", body="# 目的\n\n规定【请确认：引号正文】要求。",
                      body_source="content/QP-01.yaml", body_line_offset=1)
    assert [s.text for s in open_spots(quoted)] == ["请确认：下一键", "请确认：引号正文"]


def test_many_unclosed_spots_are_read_in_one_pass() -> None:
    """Each unclosed opening is read to its paragraph's end only (no rescanning of the text)."""
    body = "【请确认：未闭合\n" * 2000 + "\n【请确认：闭合】\n" + "`" + "【请确认：" * 4000 + "\n"
    assert [(s.line, s.text) for s in open_spots(_doc(body))] == [(2002, "请确认：闭合")]


def test_a_number_of_no_document_is_a_warning_in_check_and_refused_at_release(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n记录按 QP-05 保存，表格见 QR-01-01。\n", encoding="utf-8")
    line = len(body.read_text(encoding="utf-8").splitlines())
    check = run_cli("check", str(root))
    assert check.exit_code == 0
    assert check.stderr == (f"warning: content/QP-01.md:{line}: body: QP-05 is written as a document number but no document QP-05 "
                            "exists (cite documents as [[ID]]; release refuses this)\n")
    release = run_cli("release", "QP-01", "--approved-by", "王建国", "--reason", "首次发布", "-w", str(root))
    assert release.exit_code == 2
    assert f"error: content/QP-01.md:{line}: body: QP-05 is written as a document number but no document QP-05 exists" in release.output
    assert not (root / "ledger.jsonl").exists() and not (root / "releases").exists()


def test_check_counts_the_open_spots_and_status_lists_them(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    body = root / "content" / "QP-01.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n文件保存【请确认：默认 10 年】，地点【请根据本企业实际填写：档案室】。\n",
                    encoding="utf-8")
    line = len(body.read_text(encoding="utf-8").splitlines())
    check = run_cli("check", str(root))
    assert check.stdout.splitlines()[1] == ("open: 2 spots to fill in or confirm (【请根据本企业实际填写：…】, 【请确认：…】) in 1 document; "
                                            "`dossier status --open` lists them")
    assert run_cli("status", "-w", str(root), "--open").stdout.splitlines() == [
        "QP-01: 2 open (文件控制程序)",
        f"  content/QP-01.md:{line}: 请确认：默认 10 年",
        f"  content/QP-01.md:{line}: 请根据本企业实际填写：档案室",
        "2 open spots in 1 document",
    ]
    as_json = json.loads(run_cli("status", "-w", str(root), "--open", "--json").stdout)
    assert as_json == {"open": [{"id": "QP-01", "title": "文件控制程序", "spots": [
        {"file": "content/QP-01.md", "line": line, "text": "请确认：默认 10 年"},
        {"file": "content/QP-01.md", "line": line, "text": "请根据本企业实际填写：档案室"}]}], "total": 2}
    both = run_cli("status", "-w", str(root), "--open", "--due")
    assert both.exit_code == 2 and both.stderr == "error: --open, --due: choose one (see dossier status --help)\n"
    table = run_cli("status", "-w", str(root)).stdout
    assert "OPEN-2" in next(row for row in table.splitlines() if row.startswith("QP-01"))


def test_a_body_in_the_yaml_gives_its_file_lines_however_the_block_starts(tmp_path: Path) -> None:
    root = tmp_path / "ws"
    assert run_cli("init", str(root)).exit_code == 0
    (root / "content" / "QP-01.md").unlink()
    yaml_file = root / "content" / "QP-01.yaml"
    head = yaml_file.read_text(encoding="utf-8")
    for block in ("body: |\n", "body:\n  |\n"):
        yaml_file.write_text(head + block + "  # 目的\n\n  规定【请确认：另起】。\n", encoding="utf-8")
        line = len((head + block).splitlines()) + 3
        listed = run_cli("status", "-w", str(root), "--open").stdout.splitlines()
        assert f"  content/QP-01.yaml:{line}: 请确认：另起" in listed, (block, listed)


def test_a_hash_inside_a_quoted_yaml_value_with_escaped_quotes_is_text() -> None:
    from dossier.markdown.spots import yaml_spots

    text = ('change: "a\\"b # 【请确认：双引号内】"\nholder: \'it\'\'s # 【请确认：单引号内】\'\n'
            "c3: it's 文件 # 【请确认：注释】\nc4: \"q\" # 【请确认：注释2】\n")
    assert yaml_spots(text) == [(1, "请确认：双引号内"), (2, "请确认：单引号内")]
