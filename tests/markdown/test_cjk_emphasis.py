"""Issue 13, case 4: emphasis beside Chinese punctuation, and the leftover-delimiter and typed-number queries."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from dossier.markdown import syntax_tree
from dossier.markdown.lint import headings, leftover_emphasis, typed_number


def _marked(md: str) -> list[tuple[str, str]]:
    return [(node.type, "".join(child.content for child in node.children))
            for node in syntax_tree(md).walk() if node.type in ("strong", "em")]


@pytest.mark.parametrize(("md", "expected"), [
    ("**注意：**操作前必须佩戴手套。", [("strong", "注意：")]),
    ("标识为**“受控”**的副本", [("strong", "“受控”")]),
    ("*（试行）*版本", [("em", "（试行）")]),
    ("见**《文件控制程序》**第4条", [("strong", "《文件控制程序》")]),
    ("普通**加粗**文字", [("strong", "加粗")]),
])
def test_emphasis_beside_chinese_punctuation(md: str, expected: list[tuple[str, str]]) -> None:
    assert _marked(md) == expected


@pytest.mark.parametrize("md", [
    "a **b** c", "foo**bar**", '**foo "*bar*" foo**', "a * b * c", "snake_case_name", "*(*foo*)*", "**foo*bar**baz*",
    "_foo_bar_", "__foo, __bar__, baz__", "**(**foo)", "a**\"foo\"**", "中文_强调_中文",
])
def test_text_without_cjk_beside_a_delimiter_parses_as_commonmark_says(md: str) -> None:
    stock = MarkdownIt("commonmark").enable(["strikethrough"])
    assert [t.type for t in syntax_tree(md).walk()] == [t.type for t in SyntaxTreeNode(stock.parse(md)).walk()]


def test_leftover_delimiters_are_found_with_their_line() -> None:
    md = "正文\n\n**注意**：操作。\n\n缺少**结束\n\n3 * 4 = 12\n\n带\\*号为必填项\n\n`**代码**`\n\n- 列表 *斜\n"
    assert leftover_emphasis(md) == [(4, "缺少**结束"), (12, "列表 *斜")]
    assert leftover_emphasis("**注意：**操作前必须佩戴手套。\n") == []


@pytest.mark.parametrize(("text", "number"), [
    ("1.1 条款1", "1.1"), ("1 目的", "1"), ("1.目的", "1."), ("10.2.3测试", "10.2.3"), ("第一章 总则", "第一章"),
    ("第3节 范围", "第3节"), ("一、范围", "一、"), ("（二）细则", "（二）"),
    ("目的", None), ("2026年计划", None), ("3D打印", None), ("ISO 13485 要求", None),
])
def test_typed_section_numbers(text: str, number: str | None) -> None:
    assert typed_number(text) == number


def test_headings_are_listed_with_line_and_level() -> None:
    assert headings("# 1 目的\n\n正文\n\n## 1.1 条款1\n\n```\n# 代码\n```\n") == [(0, 1, "1 目的"), (4, 2, "1.1 条款1")]
