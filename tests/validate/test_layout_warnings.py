"""Issue 13: `check` warns (file, line, field) about layout faults it can see in the sources —
leftover emphasis delimiters, headings that type their own number, titles longer than the page
header shows — without failing; `numbering_style` is a checked setting."""

from __future__ import annotations

from pathlib import Path

from dossier.actions.init import init_workspace
from dossier.errors import Problems, Warnings
from dossier.pipeline.load import load_checked
from tests.conftest import run_cli
from tests.layout_support import TITLE_60

DOC = """\
id: QP-30
kind: procedure
title: {title}
revision: A
department: 质量部
prepared_by: {{name: 陈静, date: "2026-11-02"}}
change: 首次发布
{extra}"""
BODY = """\
# 总则

**注意**：正文缺少**结束。

## 1.1 条款1

带\\*号的为必填项，3 * 4 = 12。
"""


def _workspace(root: Path, title: str = "文件控制程序", extra: str = "", body: str = BODY) -> Path:
    init_workspace(root, "示例医疗科技有限公司", "2026-11-01")
    (root / "content" / "QP-30.yaml").write_text(DOC.format(title=title, extra=extra), encoding="utf-8")
    (root / "content" / "QP-30.md").write_text(body, encoding="utf-8")
    return root


def test_check_prints_warnings_with_file_line_and_field_and_succeeds(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", title=TITLE_60)
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "ok: 3 documents valid (3 warnings)"
    assert result.stderr.splitlines() == [
        "warning: content/QP-30.md:3: body: “：正文缺少**结束。”: this * is printed as an asterisk (an emphasis that "
        "does not close); close it, or write \\* for a literal asterisk",
        "warning: content/QP-30.md:5: body: heading “1.1 条款1” starts with a section number (1.1) and headings are "
        "numbered automatically (numbering_style: auto), so it would show two numbers; remove the typed number or "
        "set numbering_style: none",
        "warning: content/QP-30.yaml:3: title: 60 characters; the page header shows at most 44 (2 lines of 22) and "
        "grows taller on every page for a longer title",
    ]


def test_numbering_style_none_takes_typed_numbers_as_meant(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", extra="numbering_style: none\n", body="# 1 总则\n\n## 1.1 条款1\n")
    warnings = Warnings()
    load_checked(root, warnings=warnings)
    assert warnings.items == []
    (root / "dossier.yaml").write_text((root / "dossier.yaml").read_text(encoding="utf-8") + "numbering_style: chapter\n",
                                       encoding="utf-8")
    ws = load_checked(root)
    assert ws.config.numbering_style == "chapter" and ws.documents["QP-30"].heading_numbers(ws.config) == "none"
    assert ws.documents["QP-01"].heading_numbers(ws.config) == "chapter"


def test_a_heading_without_words_is_warned_at_its_line(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", body="# 总则\n\n正文。\n\n#\n\n乙。\n\n###   \n")
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: content/QP-30.md:{line}: body: a level-{level} heading has no words: it prints as a section without "
        "a title; write its title after the #, or remove the line" for line, level in ((5, 1), (9, 3))]


def test_an_unknown_numbering_style_is_an_input_error(tmp_path: Path) -> None:
    root = _workspace(tmp_path / "ws", extra="numbering_style: roman\n", body="# 总则\n")
    result = run_cli("check", str(root))
    assert result.exit_code == 2
    assert ("error: content/QP-30.yaml:8: numbering_style: unknown heading numbering 'roman' "
            "(expected one of: auto, none, chapter)") in result.stderr


def test_warnings_are_kept_apart_from_errors_and_reported_once() -> None:
    problems = Problems()
    problems.warn("a.md", 3, "body", "x")
    problems.warn("a.md", 3, "body", "x")
    problems.warn("a.md", 1, "body", "y")
    problems.raise_if_any()  # warnings alone never stop a run
    assert problems.warnings.lines() == ["warning: a.md:1: body: y", "warning: a.md:3: body: x"]


def test_captions_that_type_their_own_number_are_warned_at_their_line(tmp_path: Path) -> None:
    body = ("# 组织机构\n\n![图1 组织机构图](org.png)\n\n| 项目 | 要求 |\n|---|---|\n| 温度 | 20 ℃ |\n\nTable: 表 2 环境要求\n\n"
            "![设备照片](org.png)\n\n`![图3 代码里](x.png)`\n")
    root = _workspace(tmp_path / "ws", body=body)
    (root / "content" / "org.png").write_bytes(_tiny_png())
    result = run_cli("check", str(root))
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if "caption" in line]
    assert warned == [
        "warning: content/QP-30.md:3: body: caption “图1 组织机构图” starts with its number (图1) and captions are numbered "
        "automatically (图1、图2 …, 表1 …), so it would show two numbers; remove the typed number",
        "warning: content/QP-30.md:9: body: caption “表 2 环境要求” starts with its number (表 2) and captions are numbered "
        "automatically (图1、图2 …, 表1 …), so it would show two numbers; remove the typed number",
    ]


def _tiny_png() -> bytes:
    """A 2×2 white PNG."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "white").save(buffer, format="PNG")
    return buffer.getvalue()
