"""Markdown body -> Word content: every feature rendered, saved, reopened and inspected."""

from __future__ import annotations

import io
import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.shared import Emu
from docxtpl import DocxTemplate
from lxml import etree
from PIL import Image as PILImage

from dossier.errors import Problems
from dossier.markdown import citations
from dossier.word.body import render_markdown
from dossier.word.body.numbering import INDENT
from dossier.word.body.runs import CODE_FONT
from dossier.word.templating import Template

CITED = {"QP-04": "《文件控制程序》QP-04 B版", "QP-05": "《记录控制程序》QP-05 A版"}


def resolve(doc_id: str) -> str:
    return CITED[doc_id]


def png(width: int, height: int) -> bytes:
    """A valid grey RGB PNG of the given pixel size (72 dpi: no pHYs chunk)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\x80" * (3 * width) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture(scope="session")
def image_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("content")
    (folder / "images").mkdir()
    (folder / "images" / "wide.png").write_bytes(png(2400, 600))
    (folder / "images" / "流程图.png").write_bytes(png(144, 72))
    (folder / "images" / "broken.png").write_bytes(b"not an image")
    return folder


def reopen(document) -> docx.document.Document:
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return docx.Document(buffer)


def render(md: str, image_dir: Path, document=None, **options) -> tuple[docx.document.Document, Problems]:
    """Render into a fresh (or given) document, save and reopen it."""
    document = document if document is not None else docx.Document()
    problems = Problems()
    render_markdown(md, document, resolve_citation=resolve, image_dir=image_dir, source="content/QP-04.md",
                    problems=problems, **options)
    return reopen(document), problems


def text_width(document) -> int:
    section = document.sections[-1]
    return section.page_width - section.left_margin - section.right_margin


def num_pr(paragraph) -> tuple[int, int] | None:
    found = paragraph._p.pPr.find(qn("w:numPr")) if paragraph._p.pPr is not None else None
    if found is None:
        return None
    return int(found.find(qn("w:numId")).get(qn("w:val"))), int(found.find(qn("w:ilvl")).get(qn("w:val")))


def abstract_level(document, num_id: int, ilvl: int):
    numbering = document.part.numbering_part.element
    abstract_id = numbering.xpath(f'./w:num[@w:numId="{num_id}"]/w:abstractNumId/@w:val')[0]
    return numbering.xpath(f'./w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="{ilvl}"]')[0]


def level_attr(level, tag: str) -> str:
    return level.find(qn(tag)).get(qn("w:val"))


# -- headings ------------------------------------------------------------------------------------


def test_headings_get_styles_and_hierarchical_numbers(image_dir):
    document, problems = render("# 目的\n\n## 范围\n\n### 细则\n\n## 职责\n\n# 程序\n", image_dir)
    assert not problems
    found = [(p.style.name, p.text) for p in document.paragraphs]
    assert found == [("Heading 1", "1 目的"), ("Heading 2", "1.1 范围"), ("Heading 3", "1.1.1 细则"),
                     ("Heading 2", "1.2 职责"), ("Heading 1", "2 程序")]


def test_heading_offset_shifts_styles_and_numbers_can_be_left_out(image_dir):
    document, _ = render("# 目的\n\n## 范围\n", image_dir, heading_offset=1, numbering="none")
    assert [(p.style.name, p.text) for p in document.paragraphs] == [("Heading 2", "目的"), ("Heading 3", "范围")]


def test_numbers_start_at_the_shallowest_heading_and_a_skipped_level_is_the_next_sub_level(image_dir):
    document, _ = render("## 范围\n\n#### 细则\n\n### 定义\n", image_dir)
    assert [p.text for p in document.paragraphs] == ["1 范围", "1.1 细则", "1.2 定义"]
    assert [p.style.name for p in document.paragraphs] == ["Heading 2", "Heading 4", "Heading 3"]


def test_skipped_heading_levels_never_number_with_zero(image_dir):
    md = "# 一\n\n# 二\n\n# 三\n\n# 四\n\n# 五\n\n#### 甲\n\n#### 乙\n\n###### 丙\n\n## 丁\n\n### 戊\n\n# 六\n"
    document, _ = render(md, image_dir)
    found = [p.text for p in document.paragraphs]
    assert found[4:] == ["5 五", "5.1 甲", "5.2 乙", "5.2.1 丙", "5.3 丁", "5.3.1 戊", "6 六"]
    assert not any(re.match(r"[\d.]*\b0\b", text) for text in found)


def test_numbering_continues_after_headings_already_in_the_target(image_dir):
    document = docx.Document()
    for md in ("# 对象\n\n## 范围\n", "# 附录\n\n## 表格\n"):
        render_markdown(md, document, resolve_citation=resolve, image_dir=image_dir, source="x.md",
                        problems=Problems())
    assert [p.text for p in reopen(document).paragraphs] == ["1 对象", "1.1 范围", "2 附录", "2.1 表格"]


# -- inline formatting ---------------------------------------------------------------------------


def test_bold_italic_strike_and_code_runs(image_dir):
    document, _ = render("普通**加粗**和*倾斜*及~~删除~~与`code 代码`。\n", image_dir)
    runs = {run.text: run for run in document.paragraphs[0].runs}
    assert runs["加粗"].bold and not runs["普通"].bold
    assert runs["倾斜"].italic and not runs["加粗"].italic
    assert runs["删除"].font.strike
    fonts = runs["code 代码"]._r.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:ascii")) == CODE_FONT and fonts.get(qn("w:hAnsi")) == CODE_FONT
    assert fonts.get(qn("w:eastAsia")) is None


def test_no_run_names_an_east_asian_font(image_dir):
    document, _ = render("# 标题 `x`\n\n正文**粗**`代码`\n\n- 列表\n\n| 表 |\n|---|\n| 格 |\n", image_dir)
    body = document.element.body
    assert body.xpath(".//w:r/w:rPr/w:rFonts")  # the code runs
    assert not body.xpath(".//w:rFonts[@w:eastAsia or @w:eastAsiaTheme]")


def test_soft_breaks_join_chinese_lines_and_space_latin_ones_hard_breaks_break(image_dir):
    document, _ = render("第一行中文\n第二行\nEnglish\nline  \n硬换行\n", image_dir)
    paragraph = document.paragraphs[0]
    assert paragraph.text == "第一行中文第二行 English line\n硬换行"
    assert len(paragraph._p.xpath(".//w:br")) == 1


def test_links_show_their_address_when_it_differs_from_the_text(image_dir):
    document, _ = render("见[国家药监局](https://www.nmpa.gov.cn)，或 <https://example.org>，[附件](a.md)。\n", image_dir)
    assert document.paragraphs[0].text == "见国家药监局 (https://www.nmpa.gov.cn)，或 https://example.org，附件。"


# -- lists ---------------------------------------------------------------------------------------


def test_nested_lists_use_word_numbering_with_levels(image_dir):
    md = "1. 第一项\n2. 第二项\n   - 子项 a\n   - 子项 b\n     1. 深层\n3. 第三项\n\n- 项目\n"
    document, _ = render(md, image_dir)
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs] == ["第一项", "第二项", "子项 a", "子项 b", "深层", "第三项", "项目"]
    assert [p.style.name for p in paragraphs] == ["List Number", "List Number", "List Bullet 2", "List Bullet 2",
                                                   "List Number 3", "List Number", "List Bullet"]
    numbers = [num_pr(p) for p in paragraphs]
    outer, inner, deep, third, bullets = numbers[0], numbers[2], numbers[4], numbers[5], numbers[6]
    assert outer[1] == 0 and numbers[1] == outer and third == outer
    assert inner[1] == 1 and numbers[3] == inner and inner[0] != outer[0]
    assert deep[1] == 2 and deep[0] not in (outer[0], inner[0])
    assert bullets[1] == 0 and bullets[0] not in (outer[0], inner[0], deep[0])
    assert level_attr(abstract_level(document, outer[0], 0), "w:numFmt") == "decimal"
    assert level_attr(abstract_level(document, outer[0], 0), "w:lvlText") == "%1."
    assert level_attr(abstract_level(document, inner[0], 1), "w:numFmt") == "bullet"
    assert level_attr(abstract_level(document, deep[0], 2), "w:numFmt") == "lowerLetter"
    indents = [(p.paragraph_format.left_indent, p.paragraph_format.first_line_indent) for p in paragraphs[:5]]
    assert indents[0] == (Emu(INDENT * 635), Emu(-INDENT * 635))
    assert indents[2] == (Emu(2 * INDENT * 635), Emu(-INDENT * 635))
    assert indents[4][0] == Emu(3 * INDENT * 635)


def test_every_ordered_list_restarts_and_honours_its_start(image_dir):
    document, _ = render("1. 甲\n2. 乙\n\n段落\n\n3. 丙\n4. 丁\n\n段落\n\n1. 戊\n", image_dir)
    lists = [num_pr(p) for p in document.paragraphs if num_pr(p)]
    first, second, third = lists[0][0], lists[2][0], lists[4][0]
    assert len({first, second, third}) == 3
    starts = [level_attr(abstract_level(document, num_id, 0), "w:start") for num_id in (first, second, third)]
    assert starts == ["1", "3", "1"]


def test_list_item_paragraphs_after_the_first_are_indented_without_a_number(image_dir):
    document, _ = render("1. 第一段\n\n   第二段\n\n   ```\n   code\n   ```\n", image_dir)
    first, second, code = document.paragraphs
    assert num_pr(first) is not None and num_pr(second) is None
    assert second.paragraph_format.left_indent == Emu(INDENT * 635)
    assert code.text == "code" and code.paragraph_format.left_indent == Emu(INDENT * 635)


# -- tables --------------------------------------------------------------------------------------

TABLE = """| 序号 | 内容 | 金额 |
|:---:|:---|---:|
| 1 | 文件编号规则与**版本**控制 [[QP-04]] | 10 |
| 2 | 记录 | 20 |
"""


def test_gfm_table_becomes_bordered_full_width_word_table(image_dir):
    document, problems = render(TABLE, image_dir)
    assert not problems
    table = document.tables[0]
    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["序号", "内容", "金额"], ["1", "文件编号规则与版本控制 《文件控制程序》QP-04 B版", "10"], ["2", "记录", "20"]]
    row_properties = [[child.tag.split("}")[1] for child in tr.trPr] for tr in table._tbl.tr_lst]
    assert row_properties == [["cantSplit", "tblHeader"], ["cantSplit"], ["cantSplit"]]  # schema order
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    assert {child.tag.split("}")[1]: child.get(qn("w:val")) for child in borders} == {
        side: "single" for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
    assert all(run.bold for cell in table.rows[0].cells for run in cell.paragraphs[0].runs)
    assert not table.rows[2].cells[1].paragraphs[0].runs[0].bold
    assert [cell.paragraphs[0].alignment for cell in table.rows[1].cells] == [1, 0, 2]  # center, left, right
    width_twips = text_width(document) // 635
    assert table._tbl.tblPr.find(qn("w:tblW")).get(qn("w:w")) == str(width_twips)
    grid = [int(col.get(qn("w:w"))) for col in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == width_twips
    assert grid[0] < grid[2] < grid[1]  # short columns keep a narrow width, the text column takes the rest


def test_consecutive_tables_stay_apart(image_dir):
    document, _ = render("| 甲 |\n|---|\n| 1 |\n\n| 乙 |\n|---|\n| 2 |\n", image_dir)
    blocks = [child.tag.split("}")[1] for child in document.element.body]
    assert blocks == ["tbl", "p", "tbl", "sectPr"]


def test_table_columns_that_fit_keep_room_for_their_text(image_dir):
    wide = "很长的说明文字" * 12
    document, _ = render(f"| 编号格式 | 说明 |\n|---|---|\n| WI-XX-YY | {wide} |\n", image_dir)
    grid = [int(col.get(qn("w:w"))) for col in document.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert grid[0] >= 216 + 8 * 120  # eight half-width characters plus the cell margins
    assert grid[1] > 3 * grid[0]


# -- images --------------------------------------------------------------------------------------


def test_images_are_scaled_to_the_text_width_and_captioned(image_dir):
    document, problems = render("![工艺流程 [[QP-05]]](images/wide.png)\n\n![流程图](images/流程图.png)\n", image_dir)
    assert not problems
    shapes = document.inline_shapes
    assert len(shapes) == 2
    assert shapes[0].width == text_width(document)
    assert shapes[0].height == text_width(document) // 4
    assert shapes[1].width == Emu(2 * 914400)  # 144 px at 72 dpi: natural size
    picture, caption, small, small_caption = document.paragraphs
    assert picture._p.xpath(".//w:drawing") and picture.alignment == 1
    assert caption.style.name == "Caption" and caption.text == "图1 工艺流程 《记录控制程序》QP-05 A版"
    assert small_caption.text == "图2 流程图" and small_caption.alignment == 1
    instructions = [t.text.strip() for t in document.element.body.iter(qn("w:instrText"))]
    assert instructions == ["SEQ 图 \\* ARABIC"] * 2  # Word and LibreOffice count the figures themselves


def test_images_in_list_items_and_table_cells_fit_the_room_they_have(image_dir):
    document, _ = render("- ![](images/wide.png)\n\n| 图 | 说明 |\n|---|---|\n| ![](images/wide.png) | 文字 |\n",
                         image_dir)
    in_list, in_cell = document.inline_shapes
    assert in_list.width == text_width(document) - Emu(INDENT * 635)
    column = int(document.tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))[0].get(qn("w:w")))
    assert in_cell.width == Emu((column - 216) * 635)
    assert len(document.paragraphs) == 1  # no caption without alt text


def test_image_problems_name_the_line(image_dir):
    md = "正文\n\n![缺失](images/none.png)\n\n表\n![坏](images/broken.png)\n\n![远程](https://example.org/x.png)\n"
    _, problems = render(md, image_dir, line_offset=4)
    assert [(p.path, p.line, p.field) for p in problems.items] == [
        ("content/QP-04.md", 7, "body"), ("content/QP-04.md", 10, "body"), ("content/QP-04.md", 12, "body")]
    messages = [p.message for p in problems.items]
    assert "image not found: images/none.png" in messages[0]
    assert "broken.png is not a PNG, JPEG" in messages[1]
    assert "expected a path relative to" in messages[2]


# -- block quotes, code, rules -------------------------------------------------------------------


def test_block_quotes_use_the_quote_style_and_indent_by_depth(image_dir):
    document, _ = render("> 引用第一行\n> 第二行\n>\n> > 二级引用\n\n正文\n", image_dir)
    quote, nested, body = document.paragraphs
    assert (quote.style.name, quote.text) == ("Quote", "引用第一行第二行")
    assert quote.paragraph_format.left_indent == Emu(INDENT * 635)
    assert nested.style.name == "Quote" and nested.paragraph_format.left_indent == Emu(2 * INDENT * 635)
    assert body.style.name == "Normal" and body.paragraph_format.left_indent is None


def test_code_blocks_keep_lines_in_a_monospace_shaded_paragraph(image_dir):
    document, _ = render("```\nif a < b:\n\treturn {{ x }}\n```\n\n---\n", image_dir)
    code, rule = document.paragraphs
    assert code.text == "if a < b:\n\treturn {{ x }}"
    assert code._p.xpath("./w:pPr/w:shd") and all(run.font.name == CODE_FONT for run in code.runs)
    assert rule._p.xpath("./w:pPr/w:pBdr/w:bottom")


# -- citations and literal text ------------------------------------------------------------------


def test_citations_resolve_and_unknown_ones_are_problems_on_their_line(image_dir):
    md = "# 目的\n\n记录按[[QP-05]]执行，\n另见 **[[QP-99]]**。\n\n- 列表 [[QP-98]]\n\n`[[QP-97]]` 不是引用\n"
    document, problems = render(md, image_dir, line_offset=10)
    assert document.paragraphs[1].text == "记录按《记录控制程序》QP-05 A版执行，另见 [[QP-99]]。"
    assert document.paragraphs[3].text == "[[QP-97]] 不是引用"
    assert [(p.path, p.line, p.field, p.message) for p in problems.items] == [
        ("content/QP-04.md", 14, "body", "cites unknown document QP-99"),
        ("content/QP-04.md", 16, "body", "cites unknown document QP-98"),
    ]


def test_citations_allow_spaces_inside_the_brackets(image_dir):
    document, problems = render("按[[ QP-05 ]]与[[\tQP-04]]，另[[ QP-99 ]]。\n", image_dir)
    assert document.paragraphs[0].text == "按《记录控制程序》QP-05 A版与《文件控制程序》QP-04 B版，另[[QP-99]]。"
    assert [(p.line, p.message) for p in problems.items] == [(1, "cites unknown document QP-99")]


CITING = """# 目的 [[QP-01]]

正文[[ QP-02 ]]，
第二行 `[[QP-90]]` 与 **[[QP-03]]**。

```
[[QP-91]]
```

    [[QP-92]]

| 表 | [[QP-07]] |
|---|---|
| ``[[QP-93]]`` | ![图 [[QP-08]]](images/流程图.png) |

脚注[^a]。

[^a]: 注释 [[QP-06]]
"""


def test_validation_finds_the_citations_the_renderer_resolves_on_the_same_lines(image_dir):
    assert citations(CITING) == [(0, "QP-01"), (2, "QP-02"), (3, "QP-03"), (11, "QP-07"), (13, "QP-08"),
                                 (17, "QP-06")]
    assert citations("\ufeff见[[QP-01]]\r\n及\r\n[[QP-02]]") == [(0, "QP-01"), (2, "QP-02")]
    _, problems = render(CITING, image_dir, line_offset=3)
    assert [(p.line, p.message) for p in problems.items] == [
        (line + 4, f"cites unknown document {cited}") for line, cited in citations(CITING)]


def test_html_entities_and_template_syntax_stay_literal(image_dir):
    md = "A & B < C <b>粗</b> &amp; {{ x }} {% if y %} {_{ z"
    document, problems = render(md + "\n\n<div>块</div>\n", image_dir)
    assert not problems
    assert [p.text for p in document.paragraphs] == [md, "<div>块</div>"]
    assert not document.element.body.xpath(".//w:r[w:rPr/w:b]")


def test_characters_xml_cannot_hold_are_reported_with_their_line(image_dir):
    document, problems = render("第一行\n\n含\x0b控制\x01字符\n", image_dir, line_offset=2)
    assert document.paragraphs[1].text == "含控制字符"
    assert [(p.line, p.message) for p in problems.items] == [
        (5, "character '\\x0b' cannot appear in a document (XML forbids it)"),
        (5, "character '\\x01' cannot appear in a document (XML forbids it)"),
    ]


def test_a_leading_byte_order_mark_is_dropped(image_dir):
    document, problems = render("\ufeff# 目的\r\n\r\n正文\r\n", image_dir)
    assert not problems
    assert [(p.style.name, p.text) for p in document.paragraphs] == [("Heading 1", "1 目的"), ("Normal", "正文")]
    assert "\ufeff" not in document.element.xml


# -- footnotes -----------------------------------------------------------------------------------

FOOTNOTES = """# 目的

记录保存[^keep]，电子记录[^e]另行规定，见前[^keep]。

| 项目 | 说明 |
|---|---|
| 期限 | 五年[^e] |

[^e]: 电子记录按 [[QP-05]] 备份。

    第二段说明。

[^keep]: 保存期限不少于产品寿命期。

[^unused]: 未被引用的脚注不出现。
"""


def _footnotes(document) -> etree._Element:
    part = document.part.part_related_by(RT.FOOTNOTES)
    return etree.fromstring(part.blob)


def test_footnotes_are_word_footnotes_referenced_from_the_text(image_dir):
    document, problems = render(FOOTNOTES, image_dir)
    assert not problems
    paragraphs = document.paragraphs
    assert [p.text for p in paragraphs] == ["1 目的", "记录保存，电子记录另行规定，见前1。"]
    references = paragraphs[1]._p.xpath(".//w:footnoteReference/@w:id")
    assert len(references) == 2 and len(set(references)) == 2
    again = [run for run in paragraphs[1].runs if run.text == "1"]
    assert again and again[0].font.superscript  # the second reference to a note shows its number
    cell = document.tables[0].rows[1].cells[1].paragraphs[0]
    assert cell.text == "五年2" and cell.runs[-1].font.superscript  # the note of 电子记录, referenced again
    blocks = [child.tag.split("}")[1] for child in document.element.body]
    assert blocks == ["p", "p", "tbl", "sectPr"]  # no list of notes at the end
    notes = _footnotes(document)
    kinds = [(note.get(qn("w:type")), note.get(qn("w:id"))) for note in notes]
    assert kinds[:2] == [("separator", "-1"), ("continuationSeparator", "0")]
    texts = {note.get(qn("w:id")): ["".join(p.itertext()) for p in note.iter(qn("w:p"))] for note in notes[2:]}
    assert texts == {references[0]: [" 保存期限不少于产品寿命期。"],
                     references[1]: [" 电子记录按 《记录控制程序》QP-05 A版 备份。", "第二段说明。"]}
    first = notes[2].find(qn("w:p"))
    assert first.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "FootnoteText"
    assert first.find(f"{qn('w:r')}/{qn('w:footnoteRef')}") is not None
    settings = document.settings.element
    assert settings.xpath("./w:footnotePr/w:footnote/@w:id") == ["-1", "0"]
    assert "未被引用" not in document.element.xml + etree.tostring(notes, encoding="unicode")
    style_ids = {s.style_id: s.type for s in document.styles}
    assert "FootnoteText" in style_ids and "FootnoteReference" in style_ids


def test_footnotes_continue_across_bodies_and_keep_template_syntax_literal(image_dir, tmp_path):
    template = docx.Document()
    template.add_paragraph("{{ title }}")
    template.add_paragraph("{{p body }}")
    template.save(tmp_path / "t.docx")
    tpl = Template(str(tmp_path / "t.docx"))
    body = tpl.new_subdoc()
    for md in ("甲[^a]\n\n[^a]: 第一条注 {{ x }}\n", "乙[^b]\n\n[^b]: 第二条注 {% if y %}\n"):
        render_markdown(md, body, resolve_citation=resolve, image_dir=image_dir, source="x.md", problems=Problems())
    tpl.render_autoescaped({"title": "标题", "body": body, "x": "EVALUATED"})
    tpl.save(tmp_path / "out.docx")
    document = docx.Document(str(tmp_path / "out.docx"))
    notes = _footnotes(document)
    assert ["".join(note.itertext()) for note in notes[2:]] == [" 第一条注 {{ x }}", " 第二条注 {% if y %}"]
    ids = document.element.body.xpath(".//w:footnoteReference/@w:id")
    assert ids == [note.get(qn("w:id")) for note in notes[2:]]


def test_footnotes_render_the_same_every_time_and_undefined_ones_stay_literal(image_dir):
    def xml() -> bytes:
        document, _ = render(FOOTNOTES, image_dir)
        return document.element.xml.encode() + etree.tostring(_footnotes(document))
    assert xml() == xml()
    document, problems = render("正文[^无]。\n", image_dir)
    assert not problems and [p.text for p in document.paragraphs] == ["正文[^无]。"]


# -- templates without the expected parts --------------------------------------------------------


def test_missing_styles_and_numbering_part_are_added(image_dir):
    document = docx.Document()
    styles = document.styles.element
    for style_id in ("Quote", "ListBullet", "Caption", "Heading9"):
        styles.remove(styles.xpath(f'./w:style[@w:styleId="{style_id}"]')[0])
    numbering_rel = next(rel for rel in document.part.rels.values() if rel.reltype.endswith("/numbering"))
    document.part.drop_rel(numbering_rel.rId)
    document, _ = render("> 引用\n\n- 项目\n\n![图](images/流程图.png)\n\n# 深\n", image_dir, document,
                         heading_offset=8)
    assert [p.style.name for p in document.paragraphs] == ["Quote", "List Bullet", "Normal", "Caption", "Heading 9"]
    heading = document.styles["Heading 9"].element
    assert heading.xpath("./w:pPr/w:outlineLvl/@w:val") == ["8"] and document.paragraphs[4].text == "1 深"
    num_id, level = num_pr(document.paragraphs[1])
    assert level == 0 and level_attr(abstract_level(document, num_id, 0), "w:numFmt") == "bullet"


def test_styles_are_written_by_the_template_s_style_ids(image_dir):
    document = docx.Document()
    styles = document.styles.element
    for style_id, own_id in (("Quote", "a5"), ("ListBullet", "a6"), ("TableGrid", "a7")):
        styles.xpath(f'./w:style[@w:styleId="{style_id}"]')[0].set(qn("w:styleId"), own_id)
    md = "> 引用一\n>\n> ```\n> 代码\n> ```\n\n- 甲\n- 乙\n\n| 表 |\n|---|\n| 1 |\n\n> 引用二\n"
    document, _ = render(md, image_dir, document)
    style_ids = [p._p.pPr.style if p._p.pPr is not None else None for p in document.paragraphs]
    assert style_ids == ["a5", None, "a6", "a6", "a5"]  # the default style (Normal) is written as no w:pStyle
    assert [p.style.name for p in document.paragraphs] == ["Quote", "Normal", "List Bullet", "List Bullet", "Quote"]
    assert document.tables[0]._tbl.tblStyle_val == "a7" and document.tables[0].style.name == "Table Grid"


def test_level_six_heading_with_offset_uses_heading_9(image_dir):
    document, _ = render("# 一\n\n###### 六\n", image_dir, heading_offset=4)
    assert [p.style.name for p in document.paragraphs] == ["Heading 5", "Heading 9"]


# -- through docxtpl -----------------------------------------------------------------------------

SAMPLE = """# 目的

本程序适用于 A&B <公司> 的 {{ company }} 与 {%p if x %} 以及 {_{ y 文本，引用[[QP-04]]。

## 职责

1. 文控员
   - 编号
2. 质量部

| 文件类别 | 编号格式 |
|---|---|
| 程序文件 | QP-XX |

![流程图](images/流程图.png)

> 注：引用
"""


@pytest.fixture(scope="session")
def through_docxtpl(image_dir, tmp_path_factory) -> Path:
    """SAMPLE rendered into a docxtpl subdoc and through a tiny template made with python-docx."""
    folder = tmp_path_factory.mktemp("tpl")
    template = docx.Document()
    template.add_paragraph("{{ title }}")
    template.add_paragraph("{{p body }}")
    template.save(folder / "template.docx")
    tpl = DocxTemplate(str(folder / "template.docx"))
    body = tpl.new_subdoc()
    problems = Problems()
    render_markdown(SAMPLE, body, resolve_citation=resolve, image_dir=image_dir, source="x.md", problems=problems)
    assert not problems
    tpl.render({"title": "文件控制程序", "body": body, "company": "EVALUATED", "y": "EVALUATED"}, autoescape=True)
    tpl.save(folder / "out.docx")
    return folder / "out.docx"


def test_subdoc_renders_through_docxtpl(through_docxtpl):
    document = docx.Document(str(through_docxtpl))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == ["文件控制程序", "1 目的",
                         "本程序适用于 A&B <公司> 的 {{ company }} 与 {%p if x %} 以及 {_{ y 文本，"
                         "引用《文件控制程序》QP-04 B版。", "1.1 职责"]
    assert document.paragraphs[1].style.name == "Heading 1"
    assert document.paragraphs[4].style.name == "List Number" and num_pr(document.paragraphs[4]) is not None
    assert document.tables[0].rows[1].cells[1].text == "QP-XX"
    assert document.tables[0]._tbl.tr_lst[0].xpath("./w:trPr/w:tblHeader")
    assert len(document.inline_shapes) == 1
    embed = document.inline_shapes[0]._inline.xpath(".//a:blip/@r:embed")[0]
    assert document.part.related_parts[embed].content_type == "image/png"
    assert any(p.style.name == "Quote" and p.text == "注：引用" for p in document.paragraphs)


def test_template_markers_survive_docxtpl_literally(image_dir, tmp_path):
    template = docx.Document()
    template.add_paragraph("{{p body }}")
    template.save(tmp_path / "t.docx")
    tpl = DocxTemplate(str(tmp_path / "t.docx"))
    body = tpl.new_subdoc()
    literal = "a{_{b}_}c{_%d%_}e {{ x }} {% if x %}"
    render_markdown(f"`{literal}`\n", body, resolve_citation=resolve, image_dir=tmp_path, source="x.md",
                    problems=Problems())
    tpl.render({"body": body, "x": "EVALUATED"}, autoescape=True)
    tpl.save(tmp_path / "out.docx")
    assert docx.Document(str(tmp_path / "out.docx")).paragraphs[0].text == literal


def test_same_markdown_gives_the_same_xml(image_dir):
    def parts() -> tuple[bytes, bytes]:
        document, _ = render(SAMPLE + TABLE, image_dir)
        return document.element.xml.encode(), document.part.numbering_part.element.xml.encode()
    assert parts() == parts()


# -- real rendering in LibreOffice ----------------------------------------------------------------


@pytest.fixture(scope="session")
def pdf_text(image_dir, tmp_path_factory) -> list[str]:
    """A long sample through LibreOffice once: text of each PDF page."""
    folder = tmp_path_factory.mktemp("pdf")
    rows = "\n".join(f"| {i} | 第{i}行记录 |" for i in range(1, 81))
    md = (SAMPLE + "\n1. 甲\n2. 乙\n   1. 乙一\n   2. 乙二\n3. 丙\n\n段落[^n]\n\n1. 重新\n\n"
          f"| 序号 | 重复表头 |\n|---|---|\n{rows}\n\n[^n]: 脚注内容\n")
    document = docx.Document()
    render_markdown(md, document, resolve_citation=resolve, image_dir=image_dir, source="x.md", problems=Problems())
    document.save(folder / "sample.docx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is needed: apt-get install libreoffice-writer-nogui"
    profile = folder / "profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(folder), str(folder / "sample.docx")],
                   check=True, capture_output=True, timeout=180, env={**os.environ, "HOME": str(profile)})
    text = subprocess.run(["pdftotext", "-layout", str(folder / "sample.pdf"), "-"], check=True,
                          capture_output=True, text=True).stdout
    return text.split("\f")


@pytest.mark.libreoffice
def test_pdf_shows_section_and_list_numbers(pdf_text):
    first = pdf_text[0]
    assert re.search(r"1 目的", first) and re.search(r"1\.1 职责", first)
    for pattern in (r"1\.\s+文控员", r"2\.\s+质量部", r"1\.\s+甲", r"2\.\s+乙", r"1\)\s+乙一", r"2\)\s+乙二",
                    r"3\.\s+丙", r"1\.\s+重新"):
        assert re.search(pattern, first), pattern


@pytest.mark.libreoffice
def test_pdf_prints_the_notes_at_the_foot_of_their_page(pdf_text):
    page = next(text for text in pdf_text if "段落" in text)
    assert re.search(r"段落1", page.replace(" ", ""))
    lines = [line.strip() for line in page.splitlines() if line.strip()]
    assert lines[-1] == "脚注内容" and lines[-2] == "1", lines[-3:]  # the last line of the page; its number (raised)
    assert not re.search(r"1\.\s+脚注内容", "".join(pdf_text))  # no longer a list item at the end


@pytest.mark.libreoffice
def test_pdf_repeats_the_table_header_on_every_page(pdf_text):
    pages = [page.replace(" ", "") for page in pdf_text if "行记录" in page]
    assert len(pages) >= 2 and "第80行记录" in pages[-1]
    assert all("重复表头" in page for page in pages)


# -- issue 13: pictures that fit, upright photos, numbered captions, wide tables, numbering styles --


def test_a_tall_picture_fits_the_body_height_with_room_for_its_heading_and_caption(tmp_path):
    from tests.layout_support import png as plain_png
    (tmp_path / "screenshot.png").write_bytes(plain_png(1080, 2400))
    document, problems = render("# 操作界面\n\n![设备操作界面截图](screenshot.png)\n", tmp_path)
    assert not problems
    (shape,) = document.inline_shapes
    section = document.sections[-1]
    body_height = section.page_height - section.top_margin - section.bottom_margin
    assert shape.height < body_height - Emu(914400 // 2)  # the caption's line and the heading still fit
    assert shape.width / shape.height == pytest.approx(1080 / 2400, rel=0.005)
    picture, caption = document.paragraphs[1:]
    assert picture.paragraph_format.keep_with_next and picture.paragraph_format.line_spacing == 1.0
    assert caption.text == "图1 设备操作界面截图"


def test_a_sideways_photo_is_embedded_upright(tmp_path):
    from tests.layout_support import sideways_jpeg
    (tmp_path / "photo.jpg").write_bytes(sideways_jpeg(400, 200, 6))
    document, _ = render("![现场](photo.jpg)\n", tmp_path)
    (shape,) = document.inline_shapes
    assert shape.height == 2 * shape.width
    embed = shape._inline.xpath(".//a:blip/@r:embed")[0]
    image = PILImage.open(io.BytesIO(document.part.related_parts[embed].blob))
    assert image.size == (200, 400) and image.getexif().get(0x0112, 1) == 1


def test_a_table_caption_is_numbered_above_its_table(image_dir):
    document, problems = render("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\nTable: 参数表\n\n: 第二张\n\n| 丙 |\n|---|\n| 3 |\n",
                                image_dir)
    assert not problems
    blocks = [(child.tag.split("}")[1], "".join(t.text for t in child.iter(qn("w:t")))) for child in document.element.body]
    assert blocks[:4] == [("p", "表1 参数表"), ("tbl", "甲乙12"), ("p", "表2 第二张"), ("tbl", "丙3")]
    assert all(p.style.name == "Caption" and p.paragraph_format.keep_with_next for p in document.paragraphs[:2])


def test_a_wide_table_gets_a_landscape_section_and_narrow_ones_stay(image_dir):
    wide = "| " + " | ".join(f"参数{n}" for n in range(12)) + " |\n|" + "---|" * 12 + "\n| " + " | ".join(
        "较长的内容说明" for _ in range(12)) + " |\n"
    document, _ = render(f"前文\n\n{wide}\n后文\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", image_dir)
    orientations = [s.orientation for s in document.sections]
    assert orientations == [WD_ORIENT.PORTRAIT, WD_ORIENT.LANDSCAPE, WD_ORIENT.PORTRAIT]
    landscape = document.sections[1]
    wide_table, narrow_table = document.tables
    grid = [int(col.get(qn("w:w"))) for col in wide_table._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert sum(grid) == (landscape.page_width - landscape.left_margin - landscape.right_margin) // 635
    narrow = sum(int(col.get(qn("w:w"))) for col in narrow_table._tbl.tblGrid.findall(qn("w:gridCol")))
    assert narrow == text_width(document) // 635
    for table in document.tables:
        assert table._tbl.tblPr.find(qn("w:jc")).get(qn("w:val")) == "center"  # borders on the text margins


def test_rows_known_to_fit_stay_whole_and_taller_ones_may_split(image_dir):
    from tests.layout_support import sentences
    document, _ = render(f"| 序号 | 内容 |\n|---|---|\n| 1 | 短 |\n| 2 | {sentences(450)} |\n| 3 | 短 |\n", image_dir)
    kept = [tr.find(f"{qn('w:trPr')}/{qn('w:cantSplit')}") is not None for tr in document.tables[0]._tbl.tr_lst]
    assert kept == [True, True, False, True]


@pytest.mark.parametrize(("style", "expected"), [
    ("auto", ["1 总则", "1.1 范围", "1.1.1 细则", "1.1.1.1 条目", "2 附则"]),
    ("none", ["总则", "范围", "细则", "条目", "附则"]),
    ("chapter", ["第一章\u3000总则", "第一节\u3000范围", "一、细则", "（一）条目", "第二章\u3000附则"]),
])
def test_heading_numbering_styles(image_dir, style, expected):
    document, _ = render("# 总则\n\n## 范围\n\n### 细则\n\n#### 条目\n\n# 附则\n", image_dir, numbering=style)
    assert [p.text for p in document.paragraphs] == expected


def test_chinese_numerals_of_section_numbers():
    from dossier.word.body.headings import chinese_numeral
    assert [chinese_numeral(n) for n in (1, 9, 10, 11, 20, 21, 99, 100, 105, 110, 999)] == [
        "一", "九", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十", "九百九十九"]
